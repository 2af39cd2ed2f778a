#include <gtest/gtest.h>

#include "record/record_layer.hpp"
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
    p.seal(ContentType::application_data, kVersionDtls12, 1, seq, text, out);
    return out;
}

class Protection : public ::testing::TestWithParam<AlgCase> {};

TEST_P(Protection, RoundTripAndOverhead) {
    RecordProtection writer = make(GetParam(), 7, Direction::seal), reader = make(GetParam(), 7, Direction::open);
    std::vector<uint8_t> text = {1, 2, 3, 4, 5};
    std::vector<uint8_t> rec = seal(writer, 42, text);
    EXPECT_EQ(rec.size(), kHeaderLength + text.size() + GetParam().overhead);
    EXPECT_EQ(writer.overhead(), GetParam().overhead);

    wire::Reader r(rec);
    RecordHeader h;
    std::span<const uint8_t> body;
    ASSERT_TRUE(read_record(r, h, body));
    EXPECT_EQ(h.epoch, 1);
    EXPECT_EQ(h.sequence, 42u);
    std::vector<uint8_t> mutable_body(body.begin(), body.end());
    auto opened = reader.open(h, mutable_body);
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
        RecordHeader h;
        std::span<const uint8_t> body;
        if (!read_record(r, h, body)) continue;  // header damage is caught by framing
        std::vector<uint8_t> mutable_body(body.begin(), body.end());
        EXPECT_FALSE(reader.open(h, mutable_body)) << "byte " << i;
    }
}

TEST_P(Protection, WrongKeyFailsToOpen) {
    RecordProtection writer = make(GetParam(), 7, Direction::seal), reader = make(GetParam(), 8, Direction::open);
    std::vector<uint8_t> rec = seal(writer, 1, {1});
    wire::Reader r(rec);
    RecordHeader h;
    std::span<const uint8_t> body;
    ASSERT_TRUE(read_record(r, h, body));
    std::vector<uint8_t> mutable_body(body.begin(), body.end());
    EXPECT_FALSE(reader.open(h, mutable_body));
}

// The GCM explicit nonce on the wire is the record's epoch||sequence, also
// when the writer skips sequence numbers, and every record still opens.
TEST_P(Protection, ExplicitNonceIsEpochAndSequenceEvenAcrossGaps) {
    RecordProtection writer = make(GetParam(), 7, Direction::seal), reader = make(GetParam(), 7, Direction::open);
    for (uint64_t seq : {0u, 1u, 2u, 10u, 11u, 5u, 1000000u}) {
        std::vector<uint8_t> rec = seal(writer, seq, {uint8_t(seq), 1, 2});
        wire::Reader r(rec);
        RecordHeader h;
        std::span<const uint8_t> body;
        ASSERT_TRUE(read_record(r, h, body));
        if (GetParam().alg != crypto::AeadAlgorithm::chacha20_poly1305) {
            uint64_t explicit_nonce = 0;
            for (int i = 0; i < 8; ++i) explicit_nonce = (explicit_nonce << 8) | body[i];
            EXPECT_EQ(explicit_nonce, (uint64_t{1} << 48) | seq) << "sequence " << seq;
        }
        std::vector<uint8_t> mutable_body(body.begin(), body.end());
        auto opened = reader.open(h, mutable_body);
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

TEST(RecordLayer, ReplayedRecordIsDroppedAndWindowMovesOnlyOnAuthentication) {
    const AlgCase& c = kAlgs[0];
    RecordLayer sender, receiver;
    sender.set_write_keys(make(c, 3, Direction::seal));
    receiver.set_read_keys(make(c, 3, Direction::open));
    receiver.activate_read_epoch1();

    std::vector<uint8_t> rec;
    const uint8_t text[] = {'h', 'i'};
    ASSERT_TRUE(sender.seal(1, ContentType::application_data, text, rec));

    auto open_copy = [&](std::vector<uint8_t> bytes) {
        wire::Reader r(bytes);
        RecordHeader h;
        std::span<const uint8_t> body;
        EXPECT_TRUE(read_record(r, h, body));
        std::vector<uint8_t> b(body.begin(), body.end());
        std::span<uint8_t> plain;
        return receiver.open(h, b, plain);
    };

    // A forged record with a far-ahead sequence number must not move the window.
    std::vector<uint8_t> forged = rec;
    forged[5] = 0x7f;     // sequence number high byte
    forged.back() ^= 1;   // and a broken tag
    EXPECT_EQ(open_copy(forged), RecordLayer::Disposition::drop);
    EXPECT_EQ(open_copy(rec), RecordLayer::Disposition::deliver);
    EXPECT_EQ(open_copy(rec), RecordLayer::Disposition::drop);
}

TEST(RecordLayer, EpochOneBeforeChangeCipherSpecIsFuture) {
    RecordLayer receiver;
    receiver.set_read_keys(make(kAlgs[0], 3, Direction::open));
    std::vector<uint8_t> body(40, 0);
    RecordHeader h{ContentType::handshake, kVersionDtls12, 1, 0, 40};
    std::span<uint8_t> plain;
    EXPECT_EQ(receiver.open(h, body, plain), RecordLayer::Disposition::future);
    h.epoch = 2;
    EXPECT_EQ(receiver.open(h, body, plain), RecordLayer::Disposition::drop);
}

TEST(RecordHeader, RejectsUnknownTypeShortAndOverlong) {
    std::vector<uint8_t> rec = {23, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 5, 0, 2, 0xaa, 0xbb};
    {
        wire::Reader r(rec);
        RecordHeader h;
        std::span<const uint8_t> body;
        EXPECT_TRUE(read_record(r, h, body));
        EXPECT_EQ(body.size(), 2u);
    }
    std::vector<uint8_t> unknown = rec;
    unknown[0] = 24;
    std::vector<uint8_t> truncated(rec.begin(), rec.end() - 1);
    std::vector<uint8_t> overlong = rec;
    overlong[11] = 0x48;  // length 0x4802 > 2^14 + 2048
    for (const auto& bad : {unknown, truncated, overlong}) {
        wire::Reader r(bad);
        RecordHeader h;
        std::span<const uint8_t> body;
        EXPECT_FALSE(read_record(r, h, body));
    }
}

}  // namespace
}  // namespace dtls::record
