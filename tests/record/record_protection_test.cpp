// DTLS 1.2 record protection (RFC 5288, RFC 6655, RFC 7905): records
// round-trip, any changed bit or wrong key fails, the GCM and CCM explicit
// nonce is the record's epoch and sequence number, and CCM_8's tag is 8 bytes.
#include <gtest/gtest.h>

#include "record/record_protection.hpp"

namespace dtls::record {
namespace {

struct AlgCase {
    crypto::AeadAlgorithm alg;
    size_t key_length;
    size_t iv_length;
    size_t overhead;
};

const AlgCase kAlgs[] = {
    {crypto::AeadAlgorithm::aes_128_gcm, 16, 4, 8 + 16},
    {crypto::AeadAlgorithm::aes_256_gcm, 32, 4, 8 + 16},
    {crypto::AeadAlgorithm::chacha20_poly1305, 32, 12, 16},
    {crypto::AeadAlgorithm::aes_128_ccm, 16, 4, 8 + 16},
    {crypto::AeadAlgorithm::aes_128_ccm_8, 16, 4, 8 + 8},
};

using Direction = RecordProtection::Direction;

RecordProtection make(const AlgCase& c, uint8_t fill, Direction direction) {
    std::vector<uint8_t> key(c.key_length, fill), iv(c.iv_length, static_cast<uint8_t>(fill + 1));
    auto p = RecordProtection::create(c.alg, direction, key, iv);
    EXPECT_TRUE(p);
    return std::move(*p);
}

// Seals one record and parses it back.
std::vector<uint8_t> seal(RecordProtection& p, uint64_t seq, const std::vector<uint8_t>& text) {
    std::vector<uint8_t> out;
    EXPECT_TRUE(p.seal(ContentType::application_data, kVersionDtls12, 1, seq, text, out));
    return out;
}

class Protection : public ::testing::TestWithParam<AlgCase> {};

TEST_P(Protection, RoundTripAndOverhead) {
    RecordProtection writer = make(GetParam(), 7, Direction::seal), reader = make(GetParam(), 7, Direction::open);
    std::vector<uint8_t> text = {1, 2, 3, 4, 5};
    std::vector<uint8_t> rec = seal(writer, 42, text);
    EXPECT_EQ(rec.size(), kDtls12HeaderLength + text.size() + GetParam().overhead);
    EXPECT_EQ(writer.overhead(), GetParam().overhead);

    wire::Reader r(rec);
    Dtls12Header h;
    std::span<const uint8_t> body;
    ASSERT_TRUE(read_dtls12_record(r, h, body));
    EXPECT_EQ(h.epoch, 1);
    EXPECT_EQ(h.sequence, 42u);
    std::vector<uint8_t> mutable_body(body.begin(), body.end());
    auto opened = reader.open(h.type, h.version, h.epoch, h.sequence, mutable_body);
    ASSERT_TRUE(opened);
    EXPECT_EQ(std::vector<uint8_t>(opened->begin(), opened->end()), text);
}

TEST_P(Protection, AnyChangedBitFailsToOpen) {
    RecordProtection writer = make(GetParam(), 7, Direction::seal), reader = make(GetParam(), 7, Direction::open);
    std::vector<uint8_t> rec = seal(writer, 9, {10, 20, 30});
    for (size_t i = 0; i < rec.size(); ++i) {
        std::vector<uint8_t> bad = rec;
        bad[i] ^= 0x01;
        wire::Reader r(bad);
        Dtls12Header h;
        std::span<const uint8_t> body;
        if (!read_dtls12_record(r, h, body)) continue;  // header damage is caught by framing
        std::vector<uint8_t> mutable_body(body.begin(), body.end());
        EXPECT_FALSE(reader.open(h.type, h.version, h.epoch, h.sequence, mutable_body)) << "byte " << i;
    }
}

TEST_P(Protection, WrongKeyFailsToOpen) {
    RecordProtection writer = make(GetParam(), 7, Direction::seal), reader = make(GetParam(), 8, Direction::open);
    std::vector<uint8_t> rec = seal(writer, 1, {1});
    wire::Reader r(rec);
    Dtls12Header h;
    std::span<const uint8_t> body;
    ASSERT_TRUE(read_dtls12_record(r, h, body));
    std::vector<uint8_t> mutable_body(body.begin(), body.end());
    EXPECT_FALSE(reader.open(h.type, h.version, h.epoch, h.sequence, mutable_body));
}

// The GCM and CCM explicit nonce on the wire is the record's epoch||sequence, also
// when the writer skips sequence numbers, and every record still opens.
TEST_P(Protection, ExplicitNonceIsEpochAndSequenceEvenAcrossGaps) {
    RecordProtection writer = make(GetParam(), 7, Direction::seal), reader = make(GetParam(), 7, Direction::open);
    for (uint64_t seq : {0u, 1u, 2u, 10u, 11u, 5u, 1000000u}) {
        std::vector<uint8_t> rec = seal(writer, seq, {uint8_t(seq), 1, 2});
        wire::Reader r(rec);
        Dtls12Header h;
        std::span<const uint8_t> body;
        ASSERT_TRUE(read_dtls12_record(r, h, body));
        if (GetParam().alg != crypto::AeadAlgorithm::chacha20_poly1305) {
            uint64_t explicit_nonce = 0;
            for (int i = 0; i < 8; ++i) explicit_nonce = (explicit_nonce << 8) | body[i];
            EXPECT_EQ(explicit_nonce, (uint64_t{1} << 48) | seq) << "sequence " << seq;
        }
        std::vector<uint8_t> mutable_body(body.begin(), body.end());
        auto opened = reader.open(h.type, h.version, h.epoch, h.sequence, mutable_body);
        ASSERT_TRUE(opened) << "sequence " << seq;
        EXPECT_EQ(std::vector<uint8_t>(opened->begin(), opened->end()), (std::vector<uint8_t>{uint8_t(seq), 1, 2}));
    }
}

// Records of one connection are identical however they are produced: the
// same keys and sequence give the same bytes (replays in tests rely on it).
TEST_P(Protection, SealingIsAFunctionOfKeySequenceAndText) {
    RecordProtection a = make(GetParam(), 7, Direction::seal), b = make(GetParam(), 7, Direction::seal);
    seal(a, 0, {9});  // a's counter moves on; b starts at 3 directly
    EXPECT_EQ(seal(a, 3, {1, 2, 3}), seal(b, 3, {1, 2, 3}));
}

INSTANTIATE_TEST_SUITE_P(AllAeads, Protection, ::testing::ValuesIn(kAlgs));

}  // namespace
}  // namespace dtls::record
