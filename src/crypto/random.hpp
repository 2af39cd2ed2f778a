#pragma once

#include <cstdint>
#include <span>

namespace dtls::crypto {

// Fills `out` with cryptographically secure random bytes. False if the
// system's generator fails (`out` is then zero): the caller must not go on
// with what it wanted them for.
[[nodiscard]] bool random_bytes(std::span<uint8_t> out);

}  // namespace dtls::crypto
