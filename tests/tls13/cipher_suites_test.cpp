// The TLS 1.3 cipher suite table against RFC 8446 B.4 and RFC 9147 4.2.3.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "tls13/cipher_suites.hpp"

namespace dtls::tls13 {
namespace {

using Aead = crypto::AeadCipher::Algorithm;
using crypto::HashAlgorithm;
using Mask = crypto::RecordNumberMask::Kind;

TEST(CipherSuites, TableIsRfc8446AppendixB4) {
    struct Row {
        uint16_t code_point;
        const char* name;
        Aead aead;
        HashAlgorithm hash;
        Mask mask;
        size_t key_length;
    };
    const Row rows[] = {
        {0x1301, "TLS_AES_128_GCM_SHA256", Aead::aes_128_gcm, HashAlgorithm::sha256, Mask::aes, 16},
        {0x1302, "TLS_AES_256_GCM_SHA384", Aead::aes_256_gcm, HashAlgorithm::sha384, Mask::aes, 32},
        {0x1303, "TLS_CHACHA20_POLY1305_SHA256", Aead::chacha20_poly1305, HashAlgorithm::sha256, Mask::chacha20, 32},
        {0x1304, "TLS_AES_128_CCM_SHA256", Aead::aes_128_ccm, HashAlgorithm::sha256, Mask::aes, 16},
        {0x1305, "TLS_AES_128_CCM_8_SHA256", Aead::aes_128_ccm_8, HashAlgorithm::sha256, Mask::aes, 16},
    };
    ASSERT_EQ(all_suites().size(), std::size(rows));
    for (const Row& row : rows) {
        SCOPED_TRACE(row.name);
        const SuiteInfo* suite = find_suite(row.code_point);
        ASSERT_NE(suite, nullptr);
        EXPECT_EQ(suite->code_point, row.code_point);
        EXPECT_EQ(suite->name, row.name);
        EXPECT_EQ(suite->aead, row.aead);
        EXPECT_EQ(suite->hash, row.hash);
        EXPECT_EQ(suite->record_number_mask, row.mask);
        EXPECT_EQ(suite->key_length(), row.key_length);
    }
}

TEST(CipherSuites, CodePointConstantsNameTheirSuites) {
    EXPECT_EQ(find_suite(suite::aes_128_gcm_sha256)->name, "TLS_AES_128_GCM_SHA256");
    EXPECT_EQ(find_suite(suite::aes_256_gcm_sha384)->name, "TLS_AES_256_GCM_SHA384");
    EXPECT_EQ(find_suite(suite::chacha20_poly1305_sha256)->name, "TLS_CHACHA20_POLY1305_SHA256");
    EXPECT_EQ(find_suite(suite::aes_128_ccm_sha256)->name, "TLS_AES_128_CCM_SHA256");
    EXPECT_EQ(find_suite(suite::aes_128_ccm_8_sha256)->name, "TLS_AES_128_CCM_8_SHA256");
}

TEST(CipherSuites, OthersAreNotFound) {
    // Either side of the range, the NULL suite and a DTLS 1.2 suite.
    for (uint16_t code_point : {0x1300, 0x1306, 0x0000, 0xc02b, 0xcca9}) {
        EXPECT_EQ(find_suite(code_point), nullptr) << std::hex << code_point;
    }
}

TEST(CipherSuites, InCodePointOrderWithoutDuplicates) {
    std::set<uint16_t> seen;
    uint16_t previous = 0;
    for (const SuiteInfo& suite : all_suites()) {
        EXPECT_GT(suite.code_point, previous);
        previous = suite.code_point;
        EXPECT_TRUE(seen.insert(suite.code_point).second);
        EXPECT_EQ(find_suite(suite.code_point), &suite);
    }
}

}  // namespace
}  // namespace dtls::tls13
