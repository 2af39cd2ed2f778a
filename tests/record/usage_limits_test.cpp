// The DTLS 1.3 key usage limits (RFC 9147 4.5.3 and Appendix B, RFC 8446
// 5.5), checked against the powers of two the RFCs state, computed here.
#include <gtest/gtest.h>

#include <cmath>

#include "record/usage_limits.hpp"

namespace dtls::record {
namespace {

using Algorithm = crypto::AeadCipher::Algorithm;

uint64_t two_to(double exponent) { return static_cast<uint64_t>(std::floor(std::pow(2.0, exponent))); }

TEST(UsageLimits, TheLimitsOfEachAead) {
    for (Algorithm gcm : {Algorithm::aes_128_gcm, Algorithm::aes_256_gcm}) {
        const UsageLimits limits = dtls13_usage_limits(gcm, 0);
        EXPECT_EQ(limits.records, two_to(24.5));
        EXPECT_EQ(limits.failures, two_to(36));
    }
    const UsageLimits chacha = dtls13_usage_limits(Algorithm::chacha20_poly1305, 0);
    EXPECT_EQ(chacha.records, UsageLimits::kUnlimited) << "RFC 8446 5.5: the sequence numbers run out first";
    EXPECT_EQ(chacha.failures, two_to(36));
    const UsageLimits ccm = dtls13_usage_limits(Algorithm::aes_128_ccm, 0);
    EXPECT_EQ(ccm.records, two_to(23));
    EXPECT_EQ(ccm.failures, two_to(23.5));
}

TEST(UsageLimits, Ccm8FailuresAreTheDeploymentsChoice) {
    EXPECT_EQ(dtls13_usage_limits(Algorithm::aes_128_ccm_8, 128).records, two_to(23));
    EXPECT_EQ(dtls13_usage_limits(Algorithm::aes_128_ccm_8, 128).failures, 128u);
    EXPECT_EQ(dtls13_usage_limits(Algorithm::aes_128_ccm_8, 5000).failures, 5000u);
}

}  // namespace
}  // namespace dtls::record
