// Counts heap allocations made by the library and by OpenSSL inside it, for
// the tests that check a per-record path allocates nothing. OpenSSL's
// allocator can be replaced only before its first allocation, so the counter
// installs itself during static initialisation, before main.
#pragma once

namespace dtls::crypto::testing {

// Allocations so far: OpenSSL's (through its allocator) and the global
// operator new's.
long heap_allocations();

// Whether OpenSSL's allocations are being counted (false if OpenSSL had
// already allocated when the counter tried to install itself).
bool counting_openssl_allocations();

}  // namespace dtls::crypto::testing
