// Wiping and constant-time comparison of secrets, and SecretBytes' lifetime:
// every path that drops bytes (destruction, assignment, move, clear) wipes
// them first.
#include "crypto/secret.hpp"

#include <openssl/crypto.h>

namespace dtls::crypto {

void cleanse(std::span<uint8_t> bytes) {
    if (!bytes.empty()) {
        OPENSSL_cleanse(bytes.data(), bytes.size());
    }
}

bool equal_constant_time(std::span<const uint8_t> a, std::span<const uint8_t> b) {
    if (a.size() != b.size()) {
        return false;
    }
    if (a.empty()) {
        return true;
    }
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

SecretBytes& SecretBytes::operator=(const SecretBytes& other) {
    if (this != &other) {
        // Wipe before assigning: the assignment may reallocate and free the
        // old buffer without wiping it.
        clear();
        bytes_ = other.bytes_;
    }
    return *this;
}

// Moving a vector hands over its buffer, so no copy of the secret is left in
// `other`; clearing it only resets the size.
SecretBytes::SecretBytes(SecretBytes&& other) noexcept : bytes_(std::move(other.bytes_)) { other.bytes_.clear(); }

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
    if (this != &other) {
        clear();
        bytes_ = std::move(other.bytes_);
        other.bytes_.clear();
    }
    return *this;
}

SecretBytes::~SecretBytes() { cleanse(bytes_); }

void SecretBytes::clear() {
    cleanse(bytes_);
    bytes_.clear();
}

}  // namespace dtls::crypto
