// dtls::PreSharedKey (dtls/config.hpp): the key bytes are wiped whenever a
// copy of them is dropped.
#include "crypto/secret.hpp"
#include "dtls/config.hpp"

namespace dtls {

PreSharedKey::PreSharedKey(std::string identity, std::span<const uint8_t> key)
    : identity_(std::move(identity)), key_(key.begin(), key.end()) {}

PreSharedKey::PreSharedKey(const PreSharedKey& other) : identity_(other.identity_), key_(other.key_) {}

PreSharedKey& PreSharedKey::operator=(const PreSharedKey& other) {
    if (this != &other) {
        wipe();
        identity_ = other.identity_;
        key_ = other.key_;
    }
    return *this;
}

PreSharedKey::PreSharedKey(PreSharedKey&& other) noexcept
    : identity_(std::move(other.identity_)), key_(std::move(other.key_)) {
    other.wipe();
}

PreSharedKey& PreSharedKey::operator=(PreSharedKey&& other) noexcept {
    if (this != &other) {
        wipe();
        identity_ = std::move(other.identity_);
        key_ = std::move(other.key_);
        other.wipe();
    }
    return *this;
}

PreSharedKey::~PreSharedKey() { wipe(); }

void PreSharedKey::wipe() {
    crypto::cleanse(key_);
    key_.clear();
}

}  // namespace dtls
