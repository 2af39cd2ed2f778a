// Watches the heap for secrets that are freed without being wiped. This test
// binary replaces the global operator new and delete (freed_memory_watch.cpp);
// while a FreedMemoryWatch is alive, every block freed through operator delete
// is searched for the watched byte strings before it goes back to malloc. A
// SecretBytes wipes its buffer before freeing it, so a schedule that keeps its
// secrets only in SecretBytes frees nothing the watch can find; a copy in a
// plain std::vector (or a std::string) would be found.
//
// It sees only what goes through operator new: OpenSSL's own allocations
// (its HKDF and HMAC contexts) use malloc and are OpenSSL's to wipe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace dtls::tls13::testing {

class FreedMemoryWatch {
public:
    // At most one watch at a time (the replacement operator delete reads one
    // global set of patterns).
    FreedMemoryWatch();
    ~FreedMemoryWatch();
    FreedMemoryWatch(const FreedMemoryWatch&) = delete;
    FreedMemoryWatch& operator=(const FreedMemoryWatch&) = delete;

    // Watches for `secret` (1 to 64 bytes; up to 8 secrets), copied into
    // static storage so the watch itself frees nothing that holds it.
    void watch(std::span<const uint8_t> secret);

    // How many freed blocks held a watched secret so far.
    size_t blocks_freed_holding_a_secret() const;
};

}  // namespace dtls::tls13::testing
