// Secret bytes are wiped when freed, and compared in constant time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace dtls::crypto {

void cleanse(std::span<uint8_t> bytes);

// Constant-time equality of two byte strings (different lengths: false,
// and the length itself is not secret).
bool equal_constant_time(std::span<const uint8_t> a, std::span<const uint8_t> b);

// A byte vector that is wiped on destruction, move and clear.
class SecretBytes {
public:
    SecretBytes() = default;
    explicit SecretBytes(size_t n) : bytes_(n) {}
    explicit SecretBytes(std::span<const uint8_t> b) : bytes_(b.begin(), b.end()) {}
    SecretBytes(const SecretBytes&) = default;
    SecretBytes& operator=(const SecretBytes& other);
    SecretBytes(SecretBytes&& other) noexcept;
    SecretBytes& operator=(SecretBytes&& other) noexcept;
    ~SecretBytes();

    uint8_t* data() { return bytes_.data(); }
    const uint8_t* data() const { return bytes_.data(); }
    size_t size() const { return bytes_.size(); }
    bool empty() const { return bytes_.empty(); }
    std::span<uint8_t> span() { return bytes_; }
    std::span<const uint8_t> span() const { return bytes_; }
    void clear();

private:
    std::vector<uint8_t> bytes_;
};

}  // namespace dtls::crypto
