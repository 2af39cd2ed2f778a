#pragma once

#include <cstdint>
#include <span>

namespace dtls::crypto {

// Cryptographically secure random bytes. Aborts only if the system RNG is
// unusable, which no caller could recover from.
void random_bytes(std::span<uint8_t> out);

}  // namespace dtls::crypto
