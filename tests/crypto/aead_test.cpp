// Record AEAD: the records it seals are exactly those RFC 5288 (GCM), RFC
// 6655 and RFC 7251 (CCM, CCM_8) and RFC 7905 (ChaCha20-Poly1305) define
// (checked against libcrypto's general AEAD interface, computed here
// independently), they open again, any tampering is rejected, and the
// per-record path allocates nothing.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <string>

#include "allocation_counter.hpp"
#include "crypto/aead.hpp"
#include "hex.hpp"

namespace dtls::crypto {
namespace {

using testing::from_hex;
using testing::to_hex;
using Direction = RecordAead::Direction;

using testing::counting_openssl_allocations;
using testing::heap_allocations;

std::string name_of(AeadAlgorithm alg) {
    switch (alg) {
        case AeadAlgorithm::aes_128_gcm: return "aes_128_gcm";
        case AeadAlgorithm::aes_256_gcm: return "aes_256_gcm";
        case AeadAlgorithm::chacha20_poly1305: return "chacha20_poly1305";
        case AeadAlgorithm::aes_128_ccm: return "aes_128_ccm";
        case AeadAlgorithm::aes_128_ccm_8: return "aes_128_ccm_8";
    }
    return "unknown";
}

// The RFC form of the additional data: epoch||sequence, type 23, DTLS 1.2,
// plaintext length.
std::vector<uint8_t> aad_for(uint64_t seq64, size_t plaintext_length) {
    std::vector<uint8_t> aad(RecordAead::aad_length);
    for (int i = 0; i < 8; ++i) aad[i] = static_cast<uint8_t>(seq64 >> (56 - 8 * i));
    aad[8] = 23;
    aad[9] = 0xfe;
    aad[10] = 0xfd;
    aad[11] = static_cast<uint8_t>(plaintext_length >> 8);
    aad[12] = static_cast<uint8_t>(plaintext_length);
    return aad;
}

std::span<const uint8_t, RecordAead::aad_length> fixed(const std::vector<uint8_t>& aad) {
    return std::span<const uint8_t, RecordAead::aad_length>(aad.data(), RecordAead::aad_length);
}

// The record body RFC 5288 / RFC 6655 / RFC 7905 define, computed with
// libcrypto's general interface: explicit nonce (GCM and CCM: the 64-bit
// epoch||sequence, as our record layer chooses it), ciphertext, tag.
std::vector<uint8_t> reference_body(AeadAlgorithm alg, const std::vector<uint8_t>& key,
                                    const std::vector<uint8_t>& iv, uint64_t seq64,
                                    const std::vector<uint8_t>& plaintext) {
    const bool salted = alg != AeadAlgorithm::chacha20_poly1305;
    const bool ccm = alg == AeadAlgorithm::aes_128_ccm || alg == AeadAlgorithm::aes_128_ccm_8;
    const size_t tag_length = alg == AeadAlgorithm::aes_128_ccm_8 ? 8 : 16;
    std::vector<uint8_t> nonce(12);
    std::vector<uint8_t> body;
    if (salted) {
        std::copy(iv.begin(), iv.end(), nonce.begin());
        for (int i = 0; i < 8; ++i) {
            nonce[4 + i] = static_cast<uint8_t>(seq64 >> (56 - 8 * i));
            body.push_back(nonce[4 + i]);
        }
    } else {
        nonce = iv;
        for (int i = 0; i < 8; ++i) nonce[4 + i] ^= static_cast<uint8_t>(seq64 >> (56 - 8 * i));
    }
    const EVP_CIPHER* cipher = alg == AeadAlgorithm::aes_128_gcm   ? EVP_aes_128_gcm()
                               : alg == AeadAlgorithm::aes_256_gcm ? EVP_aes_256_gcm()
                               : ccm                               ? EVP_aes_128_ccm()
                                                                   : EVP_chacha20_poly1305();
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    std::vector<uint8_t> aad = aad_for(seq64, plaintext.size());
    std::vector<uint8_t> out(plaintext.size() + tag_length);
    int len = 0, tail = 0;
    bool ok = EVP_EncryptInit_ex(ctx, cipher, nullptr, nullptr, nullptr) == 1;
    if (ccm) {
        // CCM: nonce and tag lengths before the key, the text length before
        // the additional data (RFC 3610).
        ok = ok && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, 12, nullptr) == 1 &&
             EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, static_cast<int>(tag_length), nullptr) == 1 &&
             EVP_EncryptInit_ex(ctx, nullptr, nullptr, key.data(), nonce.data()) == 1 &&
             EVP_EncryptUpdate(ctx, nullptr, &len, nullptr, static_cast<int>(plaintext.size())) == 1;
    } else {
        ok = ok && EVP_EncryptInit_ex(ctx, nullptr, nullptr, key.data(), nonce.data()) == 1;
    }
    uint8_t placeholder = 0;  // CCM needs a real buffer even for an empty text
    ok = ok && EVP_EncryptUpdate(ctx, nullptr, &len, aad.data(), static_cast<int>(aad.size())) == 1 &&
         EVP_EncryptUpdate(ctx, plaintext.empty() ? &placeholder : out.data(), &len,
                           plaintext.empty() ? &placeholder : plaintext.data(),
                           static_cast<int>(plaintext.size())) == 1 &&
         EVP_EncryptFinal_ex(ctx, out.data() + len, &tail) == 1 &&
         EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, static_cast<int>(tag_length),
                             out.data() + plaintext.size()) == 1;
    EVP_CIPHER_CTX_free(ctx);
    EXPECT_TRUE(ok);
    body.insert(body.end(), out.begin(), out.end());
    return body;
}

class RecordAeads : public ::testing::TestWithParam<AeadAlgorithm> {
protected:
    AeadAlgorithm alg() const { return GetParam(); }
    std::vector<uint8_t> key = key_of(0x40);
    std::vector<uint8_t> iv = iv_of(0xa0);

    std::vector<uint8_t> key_of(uint8_t start) const {
        std::vector<uint8_t> k(aead_key_length(GetParam()));
        for (size_t i = 0; i < k.size(); ++i) k[i] = static_cast<uint8_t>(start + i);
        return k;
    }
    std::vector<uint8_t> iv_of(uint8_t start) const {
        std::vector<uint8_t> v(aead_iv_length(GetParam()));
        for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<uint8_t>(start + i);
        return v;
    }
    RecordAead make(Direction direction) const { return make(direction, key); }
    RecordAead make(Direction direction, const std::vector<uint8_t>& k) const {
        auto aead = RecordAead::create(alg(), direction, k, iv);
        EXPECT_TRUE(aead.ok()) << aead.error().reason;
        return std::move(aead.value());
    }
    size_t explicit_length() const { return aead_explicit_nonce_length(alg()); }
    size_t tag_length() const { return aead_tag_length(alg()); }

    // A record body as seal() wants it: room, plaintext, room.
    std::vector<uint8_t> sealed(RecordAead& sealer, uint64_t seq64, const std::vector<uint8_t>& plaintext) const {
        std::vector<uint8_t> body(explicit_length());
        body.insert(body.end(), plaintext.begin(), plaintext.end());
        body.resize(body.size() + tag_length());
        sealer.set_next_explicit_nonce(seq64);
        sealer.seal(fixed(aad_for(seq64, plaintext.size())), body);
        return body;
    }
    bool opens(RecordAead& opener, uint64_t seq64, std::vector<uint8_t> body, size_t plaintext_length) const {
        return opener.open(fixed(aad_for(seq64, plaintext_length)), body);
    }
};

TEST_P(RecordAeads, SealsTheRecordTheRfcDefines) {
    RecordAead sealer = make(Direction::seal);
    for (size_t size : {0u, 1u, 15u, 16u, 17u, 64u, 1200u, 16384u}) {
        std::vector<uint8_t> plaintext(size);
        for (size_t i = 0; i < size; ++i) plaintext[i] = static_cast<uint8_t>(i * 31);
        const uint64_t seq64 = (uint64_t{1} << 48) | (size * 7);
        EXPECT_EQ(to_hex(sealed(sealer, seq64, plaintext)), to_hex(reference_body(alg(), key, iv, seq64, plaintext)))
            << "size " << size;
    }
}

TEST_P(RecordAeads, OpensTheRecordTheRfcDefines) {
    RecordAead opener = make(Direction::open);
    const std::vector<uint8_t> plaintext = from_hex("48656c6c6f2c2044544c53");
    const uint64_t seq64 = (uint64_t{1} << 48) | 0x0102030405;
    std::vector<uint8_t> body = reference_body(alg(), key, iv, seq64, plaintext);
    ASSERT_TRUE(opener.open(fixed(aad_for(seq64, plaintext.size())), body));
    EXPECT_EQ(std::vector<uint8_t>(body.begin() + explicit_length(), body.end() - tag_length()), plaintext);
}

// Sealing record after record needs no nonce setting: GCM's explicit nonce
// counts up inside the cipher, CCM's and ChaCha20's come from the additional
// data.
TEST_P(RecordAeads, ConsecutiveSealsNeedNoNonceSetting) {
    RecordAead sealer = make(Direction::seal);
    RecordAead opener = make(Direction::open);
    sealer.set_next_explicit_nonce(0x00010000000000feu);
    for (uint64_t seq64 = 0x00010000000000feu; seq64 < 0x0001000000000104u; ++seq64) {
        const std::vector<uint8_t> plaintext(20, static_cast<uint8_t>(seq64));
        std::vector<uint8_t> body(explicit_length());
        body.insert(body.end(), plaintext.begin(), plaintext.end());
        body.resize(body.size() + tag_length());
        sealer.seal(fixed(aad_for(seq64, plaintext.size())), body);  // no set_next_explicit_nonce in between
        EXPECT_EQ(to_hex(body), to_hex(reference_body(alg(), key, iv, seq64, plaintext)));
        EXPECT_TRUE(opens(opener, seq64, body, plaintext.size()));
    }
}

TEST_P(RecordAeads, RejectsAnyTamperedRecord) {
    RecordAead sealer = make(Direction::seal);
    RecordAead opener = make(Direction::open);
    const uint64_t seq64 = (uint64_t{1} << 48) | 9;
    const std::vector<uint8_t> plaintext(64, 0x5a);
    const std::vector<uint8_t> body = sealed(sealer, seq64, plaintext);
    ASSERT_TRUE(opens(opener, seq64, body, plaintext.size()));

    for (size_t i = 0; i < body.size(); ++i) {
        std::vector<uint8_t> bad = body;
        bad[i] ^= 0x01;
        EXPECT_FALSE(opens(opener, seq64, bad, plaintext.size())) << "body byte " << i;
    }
    // Sequence, type and version; the length field is derived from the body.
    for (size_t i = 0; i < 11; ++i) {
        std::vector<uint8_t> aad = aad_for(seq64, plaintext.size());
        aad[i] ^= 0x01;
        std::vector<uint8_t> copy = body;
        EXPECT_FALSE(opener.open(fixed(aad), copy)) << "additional data byte " << i;
    }
    EXPECT_FALSE(opens(opener, seq64, std::vector<uint8_t>(body.begin(), body.end() - 1), plaintext.size() - 1))
        << "truncated";
    EXPECT_FALSE(opens(opener, seq64, std::vector<uint8_t>(explicit_length() + tag_length() - 1, 0), 0))
        << "shorter than the overhead";

    RecordAead other = make(Direction::open, key_of(0x99));
    EXPECT_FALSE(opens(other, seq64, body, plaintext.size())) << "other key";

    // A failed open leaves the context usable for the genuine record.
    EXPECT_TRUE(opens(opener, seq64, body, plaintext.size()));
}

TEST_P(RecordAeads, SealAndOpenDoNotAllocate) {
    // One call per record on the hot path: the contexts are keyed once in
    // create(); per record only the additional data and payload are processed.
    ASSERT_TRUE(counting_openssl_allocations()) << "OpenSSL allocated before the counting allocator could be installed";
    RecordAead sealer = make(Direction::seal);
    RecordAead opener = make(Direction::open);
    std::vector<uint8_t> body(explicit_length() + 1200 + tag_length(), 0x77);
    std::vector<std::vector<uint8_t>> aads;
    for (uint64_t seq64 = 0; seq64 < 100; ++seq64) aads.push_back(aad_for(seq64, 1200));
    long before = heap_allocations();
    bool all_opened = true;
    for (uint64_t seq64 = 0; seq64 < 100; ++seq64) {
        const std::vector<uint8_t>& aad = aads[seq64];
        sealer.seal(fixed(aad), body);
        all_opened = opener.open(fixed(aad), body) && all_opened;
        body.back() ^= 1;  // a forged record takes the failure path, which must not allocate either
        all_opened = !opener.open(fixed(aad), body) && all_opened;
    }
    EXPECT_EQ(heap_allocations() - before, 0);
    EXPECT_TRUE(all_opened);
}

TEST_P(RecordAeads, RejectsKeysAndIvsOfTheWrongLength) {
    std::vector<uint8_t> long_key(aead_key_length(alg()) + 1);
    auto made = RecordAead::create(alg(), Direction::seal, long_key, iv);
    ASSERT_FALSE(made.ok());
    EXPECT_EQ(made.error().code, ErrorCode::invalid_argument);
    EXPECT_FALSE(RecordAead::create(alg(), Direction::open, {}, iv).ok());
    std::vector<uint8_t> long_iv(iv.size() + 1);
    EXPECT_FALSE(RecordAead::create(alg(), Direction::open, key, long_iv).ok());
}

INSTANTIATE_TEST_SUITE_P(All, RecordAeads,
                         ::testing::Values(AeadAlgorithm::aes_128_gcm, AeadAlgorithm::aes_256_gcm,
                                           AeadAlgorithm::chacha20_poly1305, AeadAlgorithm::aes_128_ccm,
                                           AeadAlgorithm::aes_128_ccm_8),
                         [](const ::testing::TestParamInfo<AeadAlgorithm>& info) { return name_of(info.param); });

TEST(RecordAead, KeyAndIvLengths) {
    EXPECT_EQ(aead_key_length(AeadAlgorithm::aes_128_gcm), 16u);
    EXPECT_EQ(aead_key_length(AeadAlgorithm::aes_256_gcm), 32u);
    EXPECT_EQ(aead_key_length(AeadAlgorithm::chacha20_poly1305), 32u);
    EXPECT_EQ(aead_iv_length(AeadAlgorithm::aes_128_gcm), 4u);
    EXPECT_EQ(aead_iv_length(AeadAlgorithm::chacha20_poly1305), 12u);
    EXPECT_EQ(aead_explicit_nonce_length(AeadAlgorithm::aes_256_gcm), 8u);
    EXPECT_EQ(aead_explicit_nonce_length(AeadAlgorithm::chacha20_poly1305), 0u);
    EXPECT_EQ(aead_key_length(AeadAlgorithm::aes_128_ccm_8), 16u);
    EXPECT_EQ(aead_iv_length(AeadAlgorithm::aes_128_ccm), 4u);
    EXPECT_EQ(aead_explicit_nonce_length(AeadAlgorithm::aes_128_ccm_8), 8u);
    EXPECT_EQ(aead_tag_length(AeadAlgorithm::aes_128_gcm), 16u);
    EXPECT_EQ(aead_tag_length(AeadAlgorithm::aes_128_ccm), 16u);
    EXPECT_EQ(aead_tag_length(AeadAlgorithm::aes_128_ccm_8), 8u);
}

}  // namespace
}  // namespace dtls::crypto
