#include "record/usage_limits.hpp"

namespace dtls::record {

namespace {

// 2^x for the half-integer exponents of the RFCs, rounded down.
constexpr uint64_t kTwoTo23 = uint64_t{1} << 23;
constexpr uint64_t kTwoTo23Half = 11'863'283;  // 2^23.5
constexpr uint64_t kTwoTo24Half = 23'726'566;  // 2^24.5
constexpr uint64_t kTwoTo36 = uint64_t{1} << 36;

}  // namespace

UsageLimits dtls13_usage_limits(crypto::AeadCipher::Algorithm aead, uint64_t ccm8_failures) {
    using Algorithm = crypto::AeadCipher::Algorithm;
    switch (aead) {
        case Algorithm::aes_128_gcm:
        case Algorithm::aes_256_gcm: return {kTwoTo24Half, kTwoTo36};
        case Algorithm::chacha20_poly1305: return {UsageLimits::kUnlimited, kTwoTo36};
        case Algorithm::aes_128_ccm: return {kTwoTo23, kTwoTo23Half};
        case Algorithm::aes_128_ccm_8: return {kTwoTo23, ccm8_failures};
    }
    return {};
}

}  // namespace dtls::record
