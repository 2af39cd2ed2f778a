// The TLS 1.3 exporter and the resumption PSK with the DTLS 1.3 prefix and
// both hashes, against the tests' own derivation (RFC 8448 has no exporter
// output; its resumption PSK is checked in rfc8448_test.cpp), and what the
// exporter refuses to an application.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "hex.hpp"
#include "reference_kdf.hpp"
#include "tls13/exporter.hpp"
#include "tls13/resumption.hpp"

namespace dtls::tls13 {
namespace {

using testing::bytes_of;
using testing::reference_derive_secret;
using testing::reference_expand_label;
using testing::reference_hash;
using testing::to_hex;

std::string hex_of(const Result<crypto::SecretBytes>& r) {
    EXPECT_TRUE(r.ok()) << r.error().reason;
    return r.ok() ? to_hex(r->span()) : std::string();
}

// TLS-Exporter(label, context_value, key_length), RFC 8446 7.5.
std::string reference_exporter(crypto::HashAlgorithm alg, std::string_view prefix,
                               std::span<const uint8_t> exporter_master_secret, std::string_view label,
                               std::span<const uint8_t> context, size_t length) {
    const std::vector<uint8_t> secret = reference_derive_secret(alg, prefix, exporter_master_secret, label, {});
    return to_hex(reference_expand_label(alg, prefix, secret, "exporter", reference_hash(alg, context), length));
}

// conformance: RFC8446-7.5-1
TEST(Exporter, MatchesAnIndependentDerivation) {
    const std::vector<uint8_t> master(48, 0x5a);
    const std::string_view context_text = "some context";
    for (crypto::HashAlgorithm alg : {crypto::HashAlgorithm::sha256, crypto::HashAlgorithm::sha384}) {
        const std::span<const uint8_t> secret = std::span<const uint8_t>(master).first(crypto::hash_length(alg));
        for (LabelPrefix prefix : {LabelPrefix::dtls13, LabelPrefix::tls13}) {
            const std::string_view p = prefix == LabelPrefix::tls13 ? "tls13 " : "dtls13";
            const KeyDerivation kdf(alg, prefix);
            for (size_t length : {0u, 16u, 32u, 100u}) {
                SCOPED_TRACE(std::string(p) + " " + std::to_string(length));
                EXPECT_EQ(hex_of(export_keying_material(kdf, secret, "EXPORTER-Test", bytes_of(context_text), length)),
                          reference_exporter(alg, p, secret, "EXPORTER-Test", bytes_of(context_text), length));
                EXPECT_EQ(hex_of(export_keying_material(kdf, secret, "EXPORTER-Test", {}, length)),
                          reference_exporter(alg, p, secret, "EXPORTER-Test", {}, length));
            }
        }
    }
}

TEST(Exporter, LabelContextAndPrefixEachChangeTheOutput) {
    const std::vector<uint8_t> secret(32, 0x5a);
    const std::vector<uint8_t> context = {1, 2, 3};
    const KeyDerivation dtls(crypto::HashAlgorithm::sha256);
    const KeyDerivation tls(crypto::HashAlgorithm::sha256, LabelPrefix::tls13);
    const std::string base = hex_of(export_keying_material(dtls, secret, "EXPORTER-a", context, 32));
    EXPECT_NE(base, hex_of(export_keying_material(dtls, secret, "EXPORTER-b", context, 32)));
    EXPECT_NE(base, hex_of(export_keying_material(dtls, secret, "EXPORTER-a", {}, 32)));
    EXPECT_NE(base, hex_of(export_keying_material(tls, secret, "EXPORTER-a", context, 32)));
    // The length is inside HkdfLabel, so a shorter output is not a prefix.
    EXPECT_NE(base.substr(0, 32), hex_of(export_keying_material(dtls, secret, "EXPORTER-a", context, 16)));
}

TEST(Exporter, RefusesWhatHkdfLabelCannotHold) {
    const std::vector<uint8_t> secret(32, 0x5a);
    const KeyDerivation kdf(crypto::HashAlgorithm::sha256);
    auto refused = [](const Result<crypto::SecretBytes>& r) {
        return !r.ok() && r.error().code == ErrorCode::invalid_argument && !r.error().fault.has_value() &&
               !r.error().alert.has_value() && !r.error().reason.empty();
    };
    // "dtls13" and 249 bytes make 255; one more does not fit.
    EXPECT_TRUE(export_keying_material(kdf, secret, std::string(249, 'x'), {}, 32).ok());
    EXPECT_TRUE(refused(export_keying_material(kdf, secret, std::string(250, 'x'), {}, 32)));
    EXPECT_TRUE(export_keying_material(kdf, secret, "EXPORTER-Test", {}, 255 * 32).ok());
    EXPECT_TRUE(refused(export_keying_material(kdf, secret, "EXPORTER-Test", {}, 255 * 32 + 1)));
    // The context is hashed, so its length does not matter.
    EXPECT_TRUE(export_keying_material(kdf, secret, "EXPORTER-Test", std::vector<uint8_t>(70000, 1), 32).ok());
}

TEST(ResumptionPsk, MatchesAnIndependentDerivation) {
    const std::vector<uint8_t> master(48, 0x7e);
    const std::vector<uint8_t> nonce = {0, 0, 0, 1};
    for (crypto::HashAlgorithm alg : {crypto::HashAlgorithm::sha256, crypto::HashAlgorithm::sha384}) {
        const std::span<const uint8_t> secret = std::span<const uint8_t>(master).first(crypto::hash_length(alg));
        const KeyDerivation kdf(alg);
        const std::string psk = hex_of(resumption_psk(kdf, secret, nonce));
        EXPECT_EQ(psk, to_hex(reference_expand_label(alg, "dtls13", secret, "resumption", nonce,
                                                     crypto::hash_length(alg))));
        // Each ticket's nonce gives its own PSK.
        EXPECT_NE(psk, hex_of(resumption_psk(kdf, secret, std::vector<uint8_t>{0, 0, 0, 2})));
        EXPECT_NE(psk, hex_of(resumption_psk(kdf, secret, {})));
    }
}

TEST(ResumptionPsk, RefusesANonceLongerThanItsWireBound) {
    const KeyDerivation kdf(crypto::HashAlgorithm::sha256);
    const std::vector<uint8_t> secret(32, 0x7e);
    EXPECT_TRUE(resumption_psk(kdf, secret, std::vector<uint8_t>(255, 1)).ok());
    Result<crypto::SecretBytes> too_long = resumption_psk(kdf, secret, std::vector<uint8_t>(256, 1));
    ASSERT_FALSE(too_long.ok());
    EXPECT_EQ(too_long.error().fault, Fault::internal_failure);
}

}  // namespace
}  // namespace dtls::tls13
