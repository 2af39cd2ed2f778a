// Record number masks against published block-cipher answers: AES-ECB of the
// sample is one AES block (FIPS-197 Appendix C), and ChaCha20 with the sample
// as little-endian counter and nonce is the RFC 8439 block function. QUIC's
// header protection (RFC 9001 section 5.4) is the same construction, so its
// Appendix A vectors apply too. Then the refusals, and no allocation.
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "crypto/record_number_mask.hpp"
#include "allocation_counter.hpp"
#include "hex.hpp"


namespace dtls::crypto {
namespace {

using testing::from_hex;
using testing::to_hex;
using Kind = RecordNumberMask::Kind;
using Mask = std::array<uint8_t, RecordNumberMask::mask_length>;

using testing::heap_allocations;

RecordNumberMask make(Kind kind, const std::vector<uint8_t>& key) {
    auto made = RecordNumberMask::create(kind, key);
    EXPECT_TRUE(made.ok()) << made.error().reason;
    return std::move(made.value());
}

std::string mask_of(Kind kind, const char* key, const char* ciphertext) {
    RecordNumberMask masker = make(kind, from_hex(key));
    Mask mask{};
    Status computed = masker.compute(from_hex(ciphertext), mask);
    EXPECT_TRUE(computed.ok()) << computed.error().reason;
    return to_hex(mask);
}

TEST(RecordNumberMask, AesIsOneBlockOfFips197) {
    // FIPS-197 Appendix C.1 (AES-128) and C.3 (AES-256).
    EXPECT_EQ(mask_of(Kind::aes, "000102030405060708090a0b0c0d0e0f", "00112233445566778899aabbccddeeff"),
              "69c4e0d86a7b0430d8cdb78070b4c55a");
    EXPECT_EQ(mask_of(Kind::aes, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
                      "00112233445566778899aabbccddeeff"),
              "8ea2b7ca516745bfeafc49904b496089");
}

TEST(RecordNumberMask, ChaCha20IsTheRfc8439BlockFunction) {
    // RFC 8439 section 2.3.2: key 00:01:..:1f, nonce 00:00:00:09:00:00:00:4a:
    // 00:00:00:00, block counter 1. As a sample: the counter in little-endian
    // (01 00 00 00), then the nonce. The mask is the block's first 16 bytes.
    EXPECT_EQ(mask_of(Kind::chacha20, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
                      "01000000" "000000090000004a00000000"),
              "10f1e7e4d13b5915500fdd1fa32071c4");
}

TEST(RecordNumberMask, QuicHeaderProtectionVectors) {
    // RFC 9001 Appendix A.2 (client Initial, AES-128 hp key from A.1) and
    // A.5 (ChaCha20): the published masks are the first 5 bytes.
    EXPECT_EQ(mask_of(Kind::aes, "9f50449e04a0e810283a1e9933adedd2", "d1b1c98dd7689fb8ec11d242b123dc9b").substr(0, 10),
              "437b9aec36");
    EXPECT_EQ(mask_of(Kind::chacha20, "25a282b9e82f06f21f488917a4fc8f1b73573685608597d0efcb076b0ab7a7a4",
                      "5e5cd55c41f69080575d7999c25a5bfb")
                  .substr(0, 10),
              "aefefe7d03");
}

TEST(RecordNumberMask, ReadsOnlyTheFirst16BytesOfTheCiphertext) {
    for (Kind kind : {Kind::aes, Kind::chacha20}) {
        RecordNumberMask masker = make(kind, std::vector<uint8_t>(32, 0x42));
        std::vector<uint8_t> record(40);
        for (size_t i = 0; i < record.size(); ++i) record[i] = static_cast<uint8_t>(i * 13);
        Mask whole{}, sample{};
        ASSERT_TRUE(masker.compute(record, whole).ok());
        ASSERT_TRUE(masker.compute(std::span<const uint8_t>(record.data(), 16), sample).ok());
        EXPECT_EQ(whole, sample);
        record[3] ^= 1;  // inside the sample: a different mask
        ASSERT_TRUE(masker.compute(record, whole).ok());
        EXPECT_NE(whole, sample);
    }
}

// Records are masked one after another with one object; each mask must be
// what a fresh object gives, with nothing carried over.
TEST(RecordNumberMask, RepeatedUseGivesTheSameMasks) {
    for (Kind kind : {Kind::aes, Kind::chacha20}) {
        RecordNumberMask masker = make(kind, std::vector<uint8_t>(32, 0x17));
        for (uint8_t record = 0; record < 20; ++record) {
            std::vector<uint8_t> ciphertext(16, record);
            Mask reused{}, fresh{};
            ASSERT_TRUE(masker.compute(ciphertext, reused).ok());
            ASSERT_TRUE(make(kind, std::vector<uint8_t>(32, 0x17)).compute(ciphertext, fresh).ok());
            EXPECT_EQ(reused, fresh) << "record " << int(record);
        }
    }
}

TEST(RecordNumberMask, RefusesShortCiphertext) {
    for (Kind kind : {Kind::aes, Kind::chacha20}) {
        RecordNumberMask masker = make(kind, std::vector<uint8_t>(32, 1));
        for (size_t length : {0u, 1u, 15u}) {
            Mask mask{};
            Status computed = masker.compute(std::vector<uint8_t>(length, 9), mask);
            ASSERT_FALSE(computed.ok()) << length << " bytes";
            EXPECT_EQ(computed.error().code, ErrorCode::invalid_argument);
            EXPECT_FALSE(computed.error().alert.has_value());
        }
    }
}

TEST(RecordNumberMask, RefusesKeysOfTheWrongLength) {
    // AES: the AEAD's key length, 16 or 32 bytes; ChaCha20: 32 bytes.
    for (size_t length : {0u, 15u, 24u, 33u}) {
        auto made = RecordNumberMask::create(Kind::aes, std::vector<uint8_t>(length, 1));
        ASSERT_FALSE(made.ok()) << "AES key of " << length;
        EXPECT_EQ(made.error().code, ErrorCode::invalid_argument);
    }
    for (size_t length : {0u, 16u, 31u, 33u}) {
        auto made = RecordNumberMask::create(Kind::chacha20, std::vector<uint8_t>(length, 1));
        ASSERT_FALSE(made.ok()) << "ChaCha20 key of " << length;
        EXPECT_EQ(made.error().code, ErrorCode::invalid_argument);
    }
    EXPECT_TRUE(RecordNumberMask::create(Kind::aes, std::vector<uint8_t>(16, 1)).ok());
    EXPECT_TRUE(RecordNumberMask::create(Kind::aes, std::vector<uint8_t>(32, 1)).ok());
    EXPECT_TRUE(RecordNumberMask::create(Kind::chacha20, std::vector<uint8_t>(32, 1)).ok());
}

TEST(RecordNumberMask, ComputeDoesNotAllocate) {
    ASSERT_TRUE(testing::counting_openssl_allocations());
    for (Kind kind : {Kind::aes, Kind::chacha20}) {
        RecordNumberMask masker = make(kind, std::vector<uint8_t>(32, 3));
        std::vector<uint8_t> ciphertext(16, 0);
        Mask mask{};
        bool all_ok = masker.compute(ciphertext, mask).ok();  // any one-time lazy setup in OpenSSL
        const long before = heap_allocations();
        for (uint8_t record = 0; record < 100; ++record) {
            ciphertext[0] = record;
            all_ok = masker.compute(ciphertext, mask).ok() && all_ok;
        }
        EXPECT_EQ(heap_allocations() - before, 0);
        EXPECT_TRUE(all_ok);
    }
}

}  // namespace
}  // namespace dtls::crypto
