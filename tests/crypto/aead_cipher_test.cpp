// AeadCipher: published answers for every algorithm, then what record
// protection relies on: one object seals record after record with nothing
// carried between them, any tampering is rejected with the text wiped and no
// OpenSSL error left behind, wrong sizes are refused, and the per-record path
// allocates nothing.
#include <gtest/gtest.h>
#include <openssl/err.h>

#include <algorithm>
#include <string>
#include <vector>

#include "crypto/aead_cipher.hpp"
#include "allocation_counter.hpp"
#include "hex.hpp"


namespace dtls::crypto {
namespace {

using testing::from_hex;
using testing::to_hex;
using Algorithm = AeadCipher::Algorithm;

using testing::heap_allocations;

std::string name_of(Algorithm alg) {
    switch (alg) {
        case Algorithm::aes_128_gcm: return "aes_128_gcm";
        case Algorithm::aes_256_gcm: return "aes_256_gcm";
        case Algorithm::chacha20_poly1305: return "chacha20_poly1305";
        case Algorithm::aes_128_ccm: return "aes_128_ccm";
        case Algorithm::aes_128_ccm_8: return "aes_128_ccm_8";
    }
    return "unknown";
}

struct KnownAnswer {
    const char* source;
    Algorithm algorithm;
    const char* key;
    const char* nonce;
    const char* aad;
    const char* plaintext;
    const char* ciphertext;
    const char* tag;
};

// Copied from the documents named; every one has a 12-byte nonce.
const KnownAnswer known_answers[] = {
    {"McGrew & Viega, The Galois/Counter Mode of Operation (GCM), Test Case 4 "
     "(OpenSSL evpciph_aes_common.txt)",
     Algorithm::aes_128_gcm, "feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
     "feedfacedeadbeeffeedfacedeadbeefabaddad2",
     "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
     "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
     "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
     "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
     "5bc94fbc3221a5db94fae95ae7121a47"},
    {"McGrew & Viega GCM, Test Case 16 (OpenSSL evpciph_aes_common.txt)", Algorithm::aes_256_gcm,
     "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
     "feedfacedeadbeeffeedfacedeadbeefabaddad2",
     "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
     "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
     "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
     "76fc6ece0f4e1768cddf8853bb2d551b"},
    {"McGrew & Viega GCM, Test Case 13: empty text and additional data", Algorithm::aes_256_gcm,
     "0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000", "", "", "",
     "530f8afbc74536b9a963b4f1c4cb738b"},
    {"RFC 8439 section 2.8.2", Algorithm::chacha20_poly1305,
     "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f", "070000004041424344454647",
     "50515253c0c1c2c3c4c5c6c7",
     // "Ladies and Gentlemen of the class of '99: If I could offer you only
     // one tip for the future, sunscreen would be it."
     "4c616469657320616e642047656e746c656d656e206f662074686520636c6173"
     "73206f66202739393a204966204920636f756c64206f6666657220796f75206f"
     "6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73"
     "637265656e20776f756c642062652069742e",
     "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
     "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
     "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
     "3ff4def08e4b7a9de576d26586cec64b6116",
     "1ae10b594f09e26a7e902ecbd0600691"},
    {"Wycheproof chacha20_poly1305_test.json tcId 2: empty text and additional data", Algorithm::chacha20_poly1305,
     "80ba3192c803ce965ea371d5ff073cf0f43b6a2ab576b208426e11409c09b9b0", "4da5bf8dfd5852c1ea12379d", "", "", "",
     "76acb342cf3166a5b63c0c0ea1383c8d"},
    {"Wycheproof aes_ccm_test.json tcId 28 (96-bit nonce, 128-bit tag)", Algorithm::aes_128_ccm,
     "671a70e883fb0611dffd0b1dd9b8cca2", "a51c37f467893c1608e56274", "3ea12d80f40f34f812479d2ecc13d2d6df",
     "3baf3edf04dc0c97aae081cdeb08021d", "5d5630fc728ffb08ce693f7299e6728b", "00023f11a023c0786c105fe4c003af6e"},
    {"Wycheproof aes_ccm_test.json tcId 1: empty text and additional data", Algorithm::aes_128_ccm,
     "bedcfb5a011ebc84600fcb296c15af0d", "438a547a94ea88dce46c6c85", "", "", "", "25d1a38495a7dea45bda049705627d10"},
    {"NIST SP 800-38C Appendix C, Example 3 (Nlen = 96, Tlen = 64)", Algorithm::aes_128_ccm_8,
     "404142434445464748494a4b4c4d4e4f", "101112131415161718191a1b", "000102030405060708090a0b0c0d0e0f10111213",
     "202122232425262728292a2b2c2d2e2f3031323334353637", "e3b201a9f5b71a7a9b1ceaeccd97e70b6176aad9a4428aa5",
     "484392fbc1b09951"},
};

AeadCipher make(Algorithm alg, const std::vector<uint8_t>& key) {
    auto made = AeadCipher::create(alg, key);
    EXPECT_TRUE(made.ok()) << made.error().reason;
    return std::move(made.value());
}

bool all_zero(const std::vector<uint8_t>& bytes) {
    return std::all_of(bytes.begin(), bytes.end(), [](uint8_t b) { return b == 0; });
}

TEST(AeadCipher, SealsThePublishedVectors) {
    for (const KnownAnswer& v : known_answers) {
        SCOPED_TRACE(v.source);
        AeadCipher cipher = make(v.algorithm, from_hex(v.key));
        std::vector<uint8_t> text = from_hex(v.plaintext);
        std::vector<uint8_t> tag(cipher.tag_length());
        Status sealed = cipher.seal(from_hex(v.nonce), from_hex(v.aad), text, tag);
        ASSERT_TRUE(sealed.ok()) << sealed.error().reason;
        EXPECT_EQ(to_hex(text), v.ciphertext);
        EXPECT_EQ(to_hex(tag), v.tag);
    }
}

TEST(AeadCipher, OpensThePublishedVectors) {
    for (const KnownAnswer& v : known_answers) {
        SCOPED_TRACE(v.source);
        AeadCipher cipher = make(v.algorithm, from_hex(v.key));
        std::vector<uint8_t> text = from_hex(v.ciphertext);
        ASSERT_TRUE(cipher.open(from_hex(v.nonce), from_hex(v.aad), text, from_hex(v.tag)));
        EXPECT_EQ(to_hex(text), v.plaintext);
    }
}

TEST(AeadCipher, KeyAndTagLengths) {
    EXPECT_EQ(AeadCipher::key_length(Algorithm::aes_128_gcm), 16u);
    EXPECT_EQ(AeadCipher::key_length(Algorithm::aes_256_gcm), 32u);
    EXPECT_EQ(AeadCipher::key_length(Algorithm::chacha20_poly1305), 32u);
    EXPECT_EQ(AeadCipher::key_length(Algorithm::aes_128_ccm), 16u);
    EXPECT_EQ(AeadCipher::key_length(Algorithm::aes_128_ccm_8), 16u);
    EXPECT_EQ(AeadCipher::tag_length(Algorithm::aes_128_gcm), 16u);
    EXPECT_EQ(AeadCipher::tag_length(Algorithm::chacha20_poly1305), 16u);
    EXPECT_EQ(AeadCipher::tag_length(Algorithm::aes_128_ccm), 16u);
    EXPECT_EQ(AeadCipher::tag_length(Algorithm::aes_128_ccm_8), 8u);
    EXPECT_EQ(AeadCipher::nonce_length, 12u);
}

class EachAlgorithm : public ::testing::TestWithParam<Algorithm> {
protected:
    Algorithm alg() const { return GetParam(); }
    std::vector<uint8_t> key = key_of(0x40);
    std::vector<uint8_t> iv = from_hex("a0a1a2a3a4a5a6a7a8a9aaab");
    std::vector<uint8_t> aad = from_hex("17fefd0001000000000005fe00");

    std::vector<uint8_t> key_of(uint8_t start) const {
        std::vector<uint8_t> k(AeadCipher::key_length(GetParam()));
        for (size_t i = 0; i < k.size(); ++i) k[i] = static_cast<uint8_t>(start + i);
        return k;
    }
    // The (D)TLS 1.3 per-record nonce: the IV XOR the 64-bit record number.
    std::vector<uint8_t> nonce_for(uint64_t record) const {
        std::vector<uint8_t> nonce = iv;
        for (int i = 0; i < 8; ++i) nonce[4 + i] ^= static_cast<uint8_t>(record >> (56 - 8 * i));
        return nonce;
    }
    static std::vector<uint8_t> plaintext_of(size_t size) {
        std::vector<uint8_t> text(size);
        for (size_t i = 0; i < size; ++i) text[i] = static_cast<uint8_t>(i * 31 + 7);
        return text;
    }
};

TEST_P(EachAlgorithm, RoundTripsTextsOfManySizes) {
    AeadCipher cipher = make(alg(), key);
    for (size_t size : {0u, 1u, 15u, 16u, 17u, 64u, 1200u, 16384u + 256u}) {
        SCOPED_TRACE(size);
        const std::vector<uint8_t> plaintext = plaintext_of(size);
        std::vector<uint8_t> text = plaintext;
        std::vector<uint8_t> tag(cipher.tag_length());
        ASSERT_TRUE(cipher.seal(nonce_for(size), aad, text, tag).ok());
        if (size >= 16) {
            EXPECT_NE(text, plaintext);
        }
        ASSERT_TRUE(cipher.open(nonce_for(size), aad, text, tag));
        EXPECT_EQ(text, plaintext);
    }
}

TEST_P(EachAlgorithm, EmptyTextIsAuthenticatedToo) {
    AeadCipher cipher = make(alg(), key);
    std::vector<uint8_t> text;
    std::vector<uint8_t> tag(cipher.tag_length());
    ASSERT_TRUE(cipher.seal(nonce_for(1), aad, text, tag).ok());
    EXPECT_FALSE(all_zero(tag));
    EXPECT_TRUE(cipher.open(nonce_for(1), aad, text, tag));
    std::vector<uint8_t> other_aad = aad;
    other_aad[0] ^= 1;
    EXPECT_FALSE(cipher.open(nonce_for(1), other_aad, text, tag));
    EXPECT_FALSE(cipher.open(nonce_for(2), aad, text, tag));
}

// Record after record through one object, each compared with what a fresh
// object produces for it alone: nothing leaks from one record to the next.
TEST_P(EachAlgorithm, OneObjectSealsManyRecords) {
    AeadCipher sealer = make(alg(), key);
    AeadCipher opener = make(alg(), key);
    std::vector<std::string> seen;
    for (uint64_t record = 0; record < 40; ++record) {
        SCOPED_TRACE(record);
        const std::vector<uint8_t> plaintext = plaintext_of(20 + record);
        std::vector<uint8_t> text = plaintext;
        std::vector<uint8_t> tag(sealer.tag_length());
        ASSERT_TRUE(sealer.seal(nonce_for(record), aad, text, tag).ok());

        AeadCipher fresh = make(alg(), key);
        std::vector<uint8_t> fresh_text = plaintext;
        std::vector<uint8_t> fresh_tag(fresh.tag_length());
        ASSERT_TRUE(fresh.seal(nonce_for(record), aad, fresh_text, fresh_tag).ok());
        EXPECT_EQ(to_hex(text), to_hex(fresh_text));
        EXPECT_EQ(to_hex(tag), to_hex(fresh_tag));
        seen.push_back(to_hex(tag));

        ASSERT_TRUE(opener.open(nonce_for(record), aad, text, tag));
        EXPECT_EQ(text, plaintext);
    }
    std::sort(seen.begin(), seen.end());
    EXPECT_EQ(std::unique(seen.begin(), seen.end()), seen.end()) << "two records got the same tag";
}

TEST_P(EachAlgorithm, RejectsAnyTamperingAndWipesTheText) {
    AeadCipher cipher = make(alg(), key);
    const std::vector<uint8_t> nonce = nonce_for(9);
    std::vector<uint8_t> ciphertext = plaintext_of(64);
    std::vector<uint8_t> tag(cipher.tag_length());
    ASSERT_TRUE(cipher.seal(nonce, aad, ciphertext, tag).ok());

    auto rejected = [&](const std::vector<uint8_t>& n, const std::vector<uint8_t>& a, std::vector<uint8_t> text,
                        const std::vector<uint8_t>& t) {
        const bool opened = cipher.open(n, a, text, t);
        const bool queue_empty = ERR_peek_error() == 0;
        return !opened && all_zero(text) && queue_empty;
    };
    for (size_t i = 0; i < ciphertext.size(); ++i) {
        std::vector<uint8_t> bad = ciphertext;
        bad[i] ^= 0x01;
        EXPECT_TRUE(rejected(nonce, aad, bad, tag)) << "ciphertext byte " << i;
    }
    for (size_t i = 0; i < aad.size(); ++i) {
        std::vector<uint8_t> bad = aad;
        bad[i] ^= 0x80;
        EXPECT_TRUE(rejected(nonce, bad, ciphertext, tag)) << "additional data byte " << i;
    }
    for (size_t i = 0; i < tag.size(); ++i) {
        std::vector<uint8_t> bad = tag;
        bad[i] ^= 0x01;
        EXPECT_TRUE(rejected(nonce, aad, ciphertext, bad)) << "tag byte " << i;
    }
    for (size_t i = 0; i < nonce.size(); ++i) {
        std::vector<uint8_t> bad = nonce;
        bad[i] ^= 0x01;
        EXPECT_TRUE(rejected(bad, aad, ciphertext, tag)) << "nonce byte " << i;
    }
    EXPECT_TRUE(rejected(nonce, aad, std::vector<uint8_t>(ciphertext.begin(), ciphertext.end() - 1), tag))
        << "truncated";
    EXPECT_TRUE(rejected(nonce, {}, ciphertext, tag)) << "additional data dropped";
    AeadCipher other = make(alg(), key_of(0x99));
    std::vector<uint8_t> copy = ciphertext;
    EXPECT_FALSE(other.open(nonce, aad, copy, tag)) << "other key";

    // After all that, the genuine record still opens.
    std::vector<uint8_t> text = ciphertext;
    ASSERT_TRUE(cipher.open(nonce, aad, text, tag));
    EXPECT_EQ(text, plaintext_of(64));
}

TEST_P(EachAlgorithm, RefusesNoncesAndTagsOfTheWrongSize) {
    AeadCipher cipher = make(alg(), key);
    std::vector<uint8_t> text = plaintext_of(32);
    std::vector<uint8_t> tag(cipher.tag_length());
    for (size_t nonce_size : {0u, 8u, 11u, 13u, 16u}) {
        std::vector<uint8_t> copy = text;
        Status sealed = cipher.seal(std::vector<uint8_t>(nonce_size, 1), aad, copy, tag);
        ASSERT_FALSE(sealed.ok()) << "nonce of " << nonce_size;
        EXPECT_EQ(sealed.error().code, ErrorCode::invalid_argument);
        EXPECT_FALSE(sealed.error().alert.has_value());
        EXPECT_EQ(copy, text) << "a refused seal must not touch the text";
    }
    for (size_t tag_size : {size_t{0}, cipher.tag_length() - 1, cipher.tag_length() + 1}) {
        std::vector<uint8_t> wrong_tag(tag_size);
        Status sealed = cipher.seal(nonce_for(1), aad, text, wrong_tag);
        ASSERT_FALSE(sealed.ok()) << "tag of " << tag_size;
        EXPECT_EQ(sealed.error().code, ErrorCode::invalid_argument);
    }

    ASSERT_TRUE(cipher.seal(nonce_for(1), aad, text, tag).ok());
    std::vector<uint8_t> copy = text;
    EXPECT_FALSE(cipher.open(std::vector<uint8_t>(11, 0), aad, copy, tag));
    EXPECT_TRUE(all_zero(copy));
    copy = text;
    EXPECT_FALSE(cipher.open(nonce_for(1), aad, copy, std::vector<uint8_t>(tag.begin(), tag.end() - 1)));
    EXPECT_TRUE(all_zero(copy));
    EXPECT_EQ(ERR_peek_error(), 0u);
}

TEST_P(EachAlgorithm, RefusesKeysOfTheWrongLength) {
    const size_t length = AeadCipher::key_length(alg());
    for (size_t wrong : {size_t{0}, length - 1, length + 1, size_t{24}}) {
        auto made = AeadCipher::create(alg(), std::vector<uint8_t>(wrong, 7));
        ASSERT_FALSE(made.ok()) << "key of " << wrong;
        EXPECT_EQ(made.error().code, ErrorCode::invalid_argument);
        EXPECT_FALSE(made.error().alert.has_value());
    }
}

TEST_P(EachAlgorithm, MovedObjectKeepsItsKey) {
    AeadCipher original = make(alg(), key);
    AeadCipher moved(std::move(original));
    AeadCipher assigned = make(alg(), key_of(0x99));
    assigned = std::move(moved);
    EXPECT_EQ(assigned.algorithm(), alg());

    AeadCipher reference = make(alg(), key);
    std::vector<uint8_t> a = plaintext_of(40), b = plaintext_of(40);
    std::vector<uint8_t> tag_a(reference.tag_length()), tag_b(reference.tag_length());
    ASSERT_TRUE(assigned.seal(nonce_for(3), aad, a, tag_a).ok());
    ASSERT_TRUE(reference.seal(nonce_for(3), aad, b, tag_b).ok());
    EXPECT_EQ(a, b);
    EXPECT_EQ(tag_a, tag_b);
}

TEST_P(EachAlgorithm, SealAndOpenDoNotAllocate) {
    ASSERT_TRUE(testing::counting_openssl_allocations());
    AeadCipher cipher = make(alg(), key);
    std::vector<uint8_t> nonce = nonce_for(0);
    std::vector<uint8_t> text = plaintext_of(1200);
    std::vector<uint8_t> tag(cipher.tag_length());
    bool as_expected = true;
    long genuine = 0;
    long forged = 0;
    // Two rounds, the first unmeasured: OpenSSL sets up some per-thread state
    // (its error queue) lazily, once; what matters is the cost per record.
    for (int round = 0; round < 2; ++round) {
        genuine = 0;
        forged = 0;
        for (uint8_t record = 0; record < 50; ++record) {
            nonce[11] = record;
            long before = heap_allocations();
            as_expected = cipher.seal(nonce, aad, text, tag).ok() && as_expected;
            as_expected = cipher.open(nonce, aad, text, tag) && as_expected;
            genuine += heap_allocations() - before;
            tag[0] ^= 1;
            before = heap_allocations();
            as_expected = !cipher.open(nonce, aad, text, tag) && as_expected;
            forged += heap_allocations() - before;
        }
    }
    EXPECT_TRUE(as_expected);
    EXPECT_EQ(genuine, 0);
    // A forgery must not allocate either, except under CCM: OpenSSL reports
    // its tag mismatch as an error, and recording an error copies the file
    // and function names (two small allocations inside OpenSSL, freed when
    // open() empties the queue). No way around that through the EVP API.
    const bool ccm = alg() == Algorithm::aes_128_ccm || alg() == Algorithm::aes_128_ccm_8;
    if (!ccm) {
        EXPECT_EQ(forged, 0);
    }
}

// Named so that the tests show up as AeadCipher/EachAlgorithm.<test>/<algorithm>.
INSTANTIATE_TEST_SUITE_P(AeadCipher, EachAlgorithm,
                         ::testing::Values(Algorithm::aes_128_gcm, Algorithm::aes_256_gcm,
                                           Algorithm::chacha20_poly1305, Algorithm::aes_128_ccm,
                                           Algorithm::aes_128_ccm_8),
                         [](const ::testing::TestParamInfo<Algorithm>& info) { return name_of(info.param); });

}  // namespace
}  // namespace dtls::crypto
