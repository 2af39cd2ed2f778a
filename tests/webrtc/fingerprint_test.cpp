// Certificate fingerprints in the RFC 8122 5 text form: the string an SDP
// a=fingerprint line carries must be exactly OpenSSL's digest of the DER
// certificate, upper-case and colon-joined; parsing accepts what browsers
// send and refuses, with a reason naming the problem, anything else; and
// matching finds the right certificate among several entries.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cctype>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "crypto/fingerprint.hpp"
#include "dtls/certificate.hpp"

namespace dtls {
namespace {

using crypto::Fingerprint;
using crypto::fingerprint_digest;
using crypto::matches_any_fingerprint;
using crypto::parse_fingerprint;

struct X509Free {
    void operator()(X509* p) const { X509_free(p); }
};

// A fresh self-signed certificate, DER.
Bytes new_certificate() {
    Result<Credential> credential = generate_self_signed_credential();
    if (!credential) {
        ADD_FAILURE() << credential.error().reason;
        return {};
    }
    return credential->chain().front();
}

// OpenSSL's digest of the parsed certificate, computed without the library.
std::vector<uint8_t> openssl_digest(const Bytes& der, const EVP_MD* md) {
    const unsigned char* p = der.data();
    std::unique_ptr<X509, X509Free> cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    EXPECT_TRUE(cert) << "the certificate does not parse";
    if (!cert) return {};
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EXPECT_EQ(X509_digest(cert.get(), md, out, &len), 1);
    return {out, out + len};
}

// "AB:CD:...", formatted here independently of the library.
std::string colon_hex(const std::vector<uint8_t>& bytes, bool upper = true) {
    std::string text;
    for (size_t i = 0; i < bytes.size(); ++i) {
        char pair[3];
        std::snprintf(pair, sizeof(pair), upper ? "%02X" : "%02x", bytes[i]);
        if (i != 0) text += ':';
        text += pair;
    }
    return text;
}

// A syntactically valid digest text of `n` bytes (0x00, 0x11, ...).
std::string digest_text(size_t n) {
    std::vector<uint8_t> bytes;
    for (size_t i = 0; i < n; ++i) bytes.push_back(static_cast<uint8_t>(i * 0x11));
    return colon_hex(bytes);
}

TEST(CertificateFingerprint, Sha256IsOpenSslsDigestInUpperCaseColonHex) {
    const Bytes der = new_certificate();
    ASSERT_FALSE(der.empty());
    const std::vector<uint8_t> expected = openssl_digest(der, EVP_sha256());
    ASSERT_EQ(expected.size(), 32u);

    const std::string text = certificate_fingerprint(der);
    EXPECT_EQ(text, "sha-256 " + colon_hex(expected));
    EXPECT_EQ(text, certificate_fingerprint(der, FingerprintHash::sha256)) << "sha-256 is the default";
    EXPECT_EQ(text.size(), 8u + 32 * 3 - 1);
    for (size_t i = 8; i < text.size(); ++i) {
        const char c = text[i];
        if ((i - 8) % 3 == 2) {
            EXPECT_EQ(c, ':') << "at " << i;
        } else {
            EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F')) << "'" << c << "' at " << i;
        }
    }
}

TEST(CertificateFingerprint, Sha384AndSha512MatchOpenSsl) {
    const Bytes der = new_certificate();
    ASSERT_FALSE(der.empty());
    const std::string sha384 = certificate_fingerprint(der, FingerprintHash::sha384);
    const std::string sha512 = certificate_fingerprint(der, FingerprintHash::sha512);
    EXPECT_EQ(sha384, "sha-384 " + colon_hex(openssl_digest(der, EVP_sha384())));
    EXPECT_EQ(sha512, "sha-512 " + colon_hex(openssl_digest(der, EVP_sha512())));
    EXPECT_EQ(sha384.size(), 8u + 48 * 3 - 1);
    EXPECT_EQ(sha512.size(), 8u + 64 * 3 - 1);
}

// The digest is over the bytes exactly as given: SHA-256("abc") from FIPS
// 180-2 B.1, a value that does not depend on OpenSSL at all.
TEST(CertificateFingerprint, PublishedSha256Vector) {
    const uint8_t abc[] = {'a', 'b', 'c'};
    EXPECT_EQ(certificate_fingerprint(abc),
              "sha-256 BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:"
              "B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD");
}

TEST(CertificateFingerprint, DifferentCertificatesHaveDifferentFingerprints) {
    EXPECT_NE(certificate_fingerprint(new_certificate()), certificate_fingerprint(new_certificate()));
}

TEST(ParseFingerprint, RoundTripsTheFormattedText) {
    const Bytes der = new_certificate();
    ASSERT_FALSE(der.empty());
    struct Case {
        FingerprintHash hash;
        const EVP_MD* md;
    };
    for (const Case& c : {Case{FingerprintHash::sha256, EVP_sha256()}, Case{FingerprintHash::sha384, EVP_sha384()},
                          Case{FingerprintHash::sha512, EVP_sha512()}}) {
        const std::string text = certificate_fingerprint(der, c.hash);
        Result<Fingerprint> parsed = parse_fingerprint(text);
        ASSERT_TRUE(parsed) << text << ": " << parsed.error().reason;
        EXPECT_EQ(parsed->hash, c.hash) << text;
        EXPECT_EQ(parsed->digest, openssl_digest(der, c.md)) << text;

        Result<std::vector<uint8_t>> digest = fingerprint_digest(c.hash, der);
        ASSERT_TRUE(digest);
        EXPECT_EQ(*digest, parsed->digest);
    }
}

TEST(ParseFingerprint, AcceptsLowerCaseHexUpperCaseHashNameAndTab) {
    const Bytes der = new_certificate();
    ASSERT_FALSE(der.empty());
    const std::vector<uint8_t> digest = openssl_digest(der, EVP_sha256());
    for (const std::string& text : {"sha-256 " + colon_hex(digest, false), "SHA-256 " + colon_hex(digest),
                                    "Sha-256 " + colon_hex(digest, false), "sha-256\t" + colon_hex(digest)}) {
        Result<Fingerprint> parsed = parse_fingerprint(text);
        ASSERT_TRUE(parsed) << text << ": " << parsed.error().reason;
        EXPECT_EQ(parsed->hash, FingerprintHash::sha256);
        EXPECT_EQ(parsed->digest, digest) << text;
    }
    Result<Fingerprint> sha512 = parse_fingerprint("SHA-512 " + colon_hex(openssl_digest(der, EVP_sha512()), false));
    ASSERT_TRUE(sha512) << sha512.error().reason;
    EXPECT_EQ(sha512->hash, FingerprintHash::sha512);
}

TEST(ParseFingerprint, RefusesMalformedTextWithAReason) {
    const std::string good = digest_text(32);
    std::string missing_colon = good;
    missing_colon.erase(2, 1);  // "0011:22:..."
    std::string bad_hex = good;
    bad_hex.replace(3, 2, "GG");  // second byte
    struct Case {
        std::string text;
        std::string reason_mentions;
    };
    const std::vector<Case> cases = {
        {"", "empty"},
        {"md5 " + digest_text(16), "\"md5\" is not accepted"},
        {"sha-1 " + digest_text(20), "\"sha-1\" is not accepted"},
        {"SHA-1 " + digest_text(20), "is not accepted"},
        {"sha-224 " + digest_text(28), "\"sha-224\" is not accepted"},
        {"sha256 " + good, "unknown fingerprint hash \"sha256\""},
        {"sha-256 " + digest_text(31), "31 bytes; expected 32"},
        {"sha-256 " + digest_text(33), "more than 32 bytes"},
        {"sha-384 " + good, "32 bytes; expected 48"},
        {"sha-256 " + bad_hex, "byte 2 is not two hex digits: \"GG\""},
        {"sha-256 " + missing_colon, "missing the ':' after byte 1"},
        {"sha-256 " + good + " ", "trailing characters"},
        {"sha-256 " + good + ":", "ends with ':'"},
        {"sha-256" + good, "no space"},
        {"sha-256 ", "no digest"},
        {"sha-256  " + good, "byte 1 is not two hex digits"},
        {" sha-256 " + good, "no hash name"},
        {"sha-256 " + good.substr(0, 5) + "-" + good.substr(6), "unexpected character \"-\" after byte 2"},
    };
    for (const Case& c : cases) {
        Result<Fingerprint> parsed = parse_fingerprint(c.text);
        ASSERT_FALSE(parsed) << "accepted: \"" << c.text << "\"";
        EXPECT_EQ(parsed.error().code, ErrorCode::invalid_argument) << c.text;
        EXPECT_FALSE(parsed.error().alert.has_value()) << c.text;
        EXPECT_NE(parsed.error().reason.find(c.reason_mentions), std::string::npos)
            << "input \"" << c.text << "\": reason \"" << parsed.error().reason << "\" does not mention \""
            << c.reason_mentions << "\"";
    }
}

TEST(ParseFingerprint, ReasonForAnUnacceptedHashNamesTheAcceptedOnes) {
    Result<Fingerprint> parsed = parse_fingerprint("md5 " + digest_text(16));
    ASSERT_FALSE(parsed);
    EXPECT_NE(parsed.error().reason.find("sha-256"), std::string::npos) << parsed.error().reason;
}

TEST(MatchesAnyFingerprint, FindsTheRightCertificateOnly) {
    const Bytes mine = new_certificate();
    const Bytes other = new_certificate();
    ASSERT_FALSE(mine.empty());
    ASSERT_FALSE(other.empty());

    Result<bool> right = matches_any_fingerprint(mine, {certificate_fingerprint(mine)});
    ASSERT_TRUE(right) << right.error().reason;
    EXPECT_TRUE(*right);

    Result<bool> wrong = matches_any_fingerprint(other, {certificate_fingerprint(mine)});
    ASSERT_TRUE(wrong) << wrong.error().reason;
    EXPECT_FALSE(*wrong);

    // A match first and a mismatch after it: still a match.
    Result<bool> first = matches_any_fingerprint(
        mine, {certificate_fingerprint(mine), certificate_fingerprint(other, FingerprintHash::sha384)});
    ASSERT_TRUE(first) << first.error().reason;
    EXPECT_TRUE(*first);

    Result<bool> none = matches_any_fingerprint(mine, {});
    ASSERT_TRUE(none);
    EXPECT_FALSE(*none);
}

TEST(MatchesAnyFingerprint, MatchesTheSecondEntryWithAnotherHash) {
    const Bytes mine = new_certificate();
    const Bytes other = new_certificate();
    const std::vector<std::string> expected = {certificate_fingerprint(other, FingerprintHash::sha384),
                                               certificate_fingerprint(mine, FingerprintHash::sha512)};
    Result<bool> result = matches_any_fingerprint(mine, expected);
    ASSERT_TRUE(result) << result.error().reason;
    EXPECT_TRUE(*result);

    // The same entries, written in lower case as some browsers send them.
    std::vector<std::string> lower = expected;
    for (std::string& text : lower) {
        for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    Result<bool> lower_result = matches_any_fingerprint(mine, lower);
    ASSERT_TRUE(lower_result) << lower_result.error().reason;
    EXPECT_TRUE(*lower_result);

    // A certificate that is neither: no match, although the hash is right.
    Result<bool> third = matches_any_fingerprint(new_certificate(), expected);
    ASSERT_TRUE(third);
    EXPECT_FALSE(*third);
}

TEST(MatchesAnyFingerprint, AnEntryThatDoesNotParseIsAnError) {
    const Bytes mine = new_certificate();
    Result<bool> result = matches_any_fingerprint(mine, {certificate_fingerprint(mine), "sha-1 " + digest_text(20)});
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::invalid_argument);
}

}  // namespace
}  // namespace dtls
