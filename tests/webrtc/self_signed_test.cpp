// generate_self_signed_credential: what a WebRTC peer relies on when it
// sends the certificate and its fingerprint. The certificate is read back
// with OpenSSL alone: it is self-signed by the credential's own P-256 key
// with ecdsa-with-SHA256, names the requested CN as subject and issuer, has a
// positive random serial and the promised validity, and every call makes a
// new key. Bad options are refused before any key is made.
#include <gtest/gtest.h>
#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/x509.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "dtls/certificate.hpp"

namespace dtls {
namespace {

struct X509Free {
    void operator()(X509* p) const { X509_free(p); }
};
struct BnFree {
    void operator()(BIGNUM* p) const { BN_free(p); }
};
using CertPtr = std::unique_ptr<X509, X509Free>;

CertPtr parse(const Bytes& der) {
    const unsigned char* p = der.data();
    CertPtr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    if (cert && p != der.data() + der.size()) return nullptr;
    return cert;
}

Credential generate(const SelfSignedOptions& options = {}) {
    Result<Credential> credential = generate_self_signed_credential(options);
    if (!credential) {
        ADD_FAILURE() << credential.error().reason;
        std::abort();
    }
    return *credential;
}

std::string common_name(X509_NAME* name) {
    const int index = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
    if (index < 0) return {};
    const ASN1_STRING* value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
    unsigned char* utf8 = nullptr;
    const int len = ASN1_STRING_to_UTF8(&utf8, value);
    if (len < 0) return {};
    std::string text(reinterpret_cast<char*>(utf8), static_cast<size_t>(len));
    OPENSSL_free(utf8);
    return text;
}

// Seconds from now until `time` (negative if it is in the past).
long long seconds_from_now(const ASN1_TIME* time) {
    int days = 0;
    int seconds = 0;
    EXPECT_EQ(ASN1_TIME_diff(&days, &seconds, nullptr, time), 1);
    return static_cast<long long>(days) * 86400 + seconds;
}

std::vector<uint8_t> public_key_der(X509* cert) {
    unsigned char* der = nullptr;
    const int len = i2d_PUBKEY(X509_get0_pubkey(cert), &der);
    EXPECT_GT(len, 0);
    std::vector<uint8_t> out(der, der + (len > 0 ? len : 0));
    OPENSSL_free(der);
    return out;
}

TEST(SelfSignedCredential, IsSelfSignedByItsOwnP256Key) {
    const Credential credential = generate({"webrtc peer", std::chrono::hours(24)});
    ASSERT_EQ(credential.chain().size(), 1u) << "a single self-signed certificate";
    CertPtr cert = parse(credential.chain().front());
    ASSERT_TRUE(cert) << "the leaf does not parse as exactly one DER certificate";

    EVP_PKEY* key = X509_get0_pubkey(cert.get());
    ASSERT_NE(key, nullptr);
    EXPECT_EQ(EVP_PKEY_get_base_id(key), EVP_PKEY_EC);
    char group[64] = {};
    size_t group_len = 0;
    ASSERT_EQ(EVP_PKEY_get_group_name(key, group, sizeof(group), &group_len), 1);
    EXPECT_STREQ(group, "prime256v1");

    EXPECT_EQ(X509_verify(cert.get(), key), 1) << "the signature does not verify with the certificate's own key";
    EXPECT_EQ(X509_NAME_cmp(X509_get_issuer_name(cert.get()), X509_get_subject_name(cert.get())), 0);
    EXPECT_EQ(X509_get_signature_nid(cert.get()), NID_ecdsa_with_SHA256);
    EXPECT_EQ(X509_get_version(cert.get()), X509_VERSION_3);
}

TEST(SelfSignedCredential, NamesTheCommonNameAsSubjectAndIssuer) {
    const Credential credential = generate({"alice@example.test", std::chrono::hours(1)});
    CertPtr cert = parse(credential.chain().front());
    ASSERT_TRUE(cert);
    EXPECT_EQ(common_name(X509_get_subject_name(cert.get())), "alice@example.test");
    EXPECT_EQ(common_name(X509_get_issuer_name(cert.get())), "alice@example.test");

    // A UTF-8 name of exactly 64 bytes, the longest accepted.
    std::string longest = "\xC3\xA9";  // é
    longest += std::string(62, 'n');
    ASSERT_EQ(longest.size(), 64u);
    CertPtr long_cert = parse(generate({longest, std::chrono::hours(1)}).chain().front());
    ASSERT_TRUE(long_cert);
    EXPECT_EQ(common_name(X509_get_subject_name(long_cert.get())), longest);
}

TEST(SelfSignedCredential, DefaultsAreCnDtlsForThirtyDays) {
    const Credential credential = generate();
    CertPtr cert = parse(credential.chain().front());
    ASSERT_TRUE(cert);
    EXPECT_EQ(common_name(X509_get_subject_name(cert.get())), "dtls");
    EXPECT_NEAR(static_cast<double>(seconds_from_now(X509_get0_notAfter(cert.get()))), 30.0 * 86400, 60.0);
}

TEST(SelfSignedCredential, ValidFromAnHourAgoUntilNowPlusValidity) {
    const auto validity = std::chrono::hours(24 * 7) + std::chrono::minutes(30);
    const Credential credential = generate({"dtls", validity});
    CertPtr cert = parse(credential.chain().front());
    ASSERT_TRUE(cert);
    const double expected_after = static_cast<double>(std::chrono::seconds(validity).count());
    EXPECT_NEAR(static_cast<double>(seconds_from_now(X509_get0_notAfter(cert.get()))), expected_after, 60.0);
    EXPECT_NEAR(static_cast<double>(seconds_from_now(X509_get0_notBefore(cert.get()))), -3600.0, 60.0);
    EXPECT_EQ(X509_cmp_current_time(X509_get0_notBefore(cert.get())), -1) << "valid already";
    EXPECT_EQ(X509_cmp_current_time(X509_get0_notAfter(cert.get())), 1) << "not expired";

    // Long lifetimes reach GeneralizedTime (after 2049) without overflowing.
    const auto decades = std::chrono::hours(24 * 365 * 100);
    CertPtr century = parse(generate({"dtls", decades}).chain().front());
    ASSERT_TRUE(century);
    EXPECT_NEAR(static_cast<double>(seconds_from_now(X509_get0_notAfter(century.get()))),
                static_cast<double>(std::chrono::seconds(decades).count()), 60.0);
}

TEST(SelfSignedCredential, SerialIsPositiveAndAtMost16Bytes) {
    for (int i = 0; i < 8; ++i) {
        CertPtr cert = parse(generate().chain().front());
        ASSERT_TRUE(cert);
        std::unique_ptr<BIGNUM, BnFree> serial(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert.get()), nullptr));
        ASSERT_TRUE(serial);
        EXPECT_FALSE(BN_is_negative(serial.get()));
        EXPECT_FALSE(BN_is_zero(serial.get()));
        EXPECT_LE(BN_num_bits(serial.get()), 127);
    }
}

TEST(SelfSignedCredential, EveryCallMakesANewKeyAndSerial) {
    const Credential first = generate();
    const Credential second = generate();
    CertPtr a = parse(first.chain().front());
    CertPtr b = parse(second.chain().front());
    ASSERT_TRUE(a);
    ASSERT_TRUE(b);
    EXPECT_NE(public_key_der(a.get()), public_key_der(b.get()));
    EXPECT_NE(ASN1_INTEGER_cmp(X509_get0_serialNumber(a.get()), X509_get0_serialNumber(b.get())), 0);
    EXPECT_NE(certificate_fingerprint(first.chain().front()), certificate_fingerprint(second.chain().front()));
    // Each certificate is signed by its own key, not the other's.
    EXPECT_NE(X509_verify(a.get(), X509_get0_pubkey(b.get())), 1);
}

// Refused with invalid_argument, and a reason that names the problem.
void expect_refused(const std::string& name, Duration validity, const std::string& reason_mentions) {
    SelfSignedOptions options;
    options.common_name = name;
    options.validity = validity;
    Result<Credential> result = generate_self_signed_credential(options);
    ASSERT_FALSE(result) << "accepted name \"" << name << "\"";
    EXPECT_EQ(result.error().code, ErrorCode::invalid_argument) << result.error().reason;
    EXPECT_NE(result.error().reason.find(reason_mentions), std::string::npos)
        << "reason \"" << result.error().reason << "\" does not mention \"" << reason_mentions << "\"";
}

TEST(SelfSignedCredential, RefusesBadOptions) {
    expect_refused("", std::chrono::hours(1), "empty");
    expect_refused(std::string(65, 'x'), std::chrono::hours(1), "longer than 64");
    expect_refused("dtls", Duration::zero(), "validity");
    expect_refused("dtls", -std::chrono::hours(1), "validity");
    expect_refused(std::string("a\0b", 3), std::chrono::hours(1), "NUL");
    expect_refused("\xFF\xFE", std::chrono::hours(1), "UTF-8");
}

}  // namespace
}  // namespace dtls
