// The epoch table: plaintext epoch 0 always; a protected epoch opens only
// once its keys are installed and activated, records of the next epoch are
// "future" until then, the replay window moves only for records that
// authenticate, and at most kMaxProtectedEpochs protected epochs are held per
// direction besides plaintext epoch 0.
#include <gtest/gtest.h>

#include "record/epoch_table.hpp"

namespace dtls::record {
namespace {

using Bytes = std::vector<uint8_t>;
using Direction = RecordProtection::Direction;

RecordProtection aes(uint8_t fill, Direction direction) {
    Bytes key(16, fill), salt(4, static_cast<uint8_t>(fill + 1));
    auto p = RecordProtection::create(crypto::AeadAlgorithm::aes_128_gcm, direction, key, salt);
    EXPECT_TRUE(p.ok());
    return std::move(*p);
}

// Frames the first record of `datagram` and opens it (in place: `opened`
// points into `datagram`).
EpochTable::Disposition open_first(EpochTable& table, Bytes& datagram, EpochTable::Opened& opened) {
    DatagramReader reader(datagram, 0);
    FramedRecord framed;
    EXPECT_EQ(reader.next(framed), DatagramReader::Next::record);
    return table.open(framed, opened);
}

EpochTable::Disposition open_first(EpochTable& table, Bytes datagram) {
    EpochTable::Opened opened;
    return open_first(table, datagram, opened);
}

TEST(EpochTable, PlaintextEpochZeroRoundTripsWithRisingSequenceNumbers) {
    EpochTable sender, receiver;
    const Bytes text = {1, 2, 3};
    for (uint64_t expected = 0; expected < 3; ++expected) {
        Bytes out;
        auto number = sender.seal(0, ContentType::handshake, text, out);
        ASSERT_TRUE(number);
        EXPECT_EQ(*number, (RecordNumber{0, expected}));
        EpochTable::Opened opened;
        ASSERT_EQ(open_first(receiver, out, opened), EpochTable::Disposition::deliver);
        EXPECT_EQ(opened.type, ContentType::handshake);
        EXPECT_EQ(opened.number, (RecordNumber{0, expected}));
        EXPECT_EQ(Bytes(opened.plaintext.begin(), opened.plaintext.end()), text);
    }
}

TEST(EpochTable, TheNextPlaintextSequenceNumberCanBeSet) {
    EpochTable table;
    table.set_next_plaintext_sequence(41);
    Bytes out;
    EXPECT_EQ(table.seal(0, ContentType::handshake, Bytes{1}, out), (RecordNumber{0, 41}));
}

TEST(EpochTable, AProtectedEpochNeedsKeysAndActivation) {
    EpochTable sender, receiver;
    Bytes out;
    EXPECT_FALSE(sender.seal(1, ContentType::application_data, Bytes{1}, out)) << "no keys yet";
    EXPECT_TRUE(out.empty());
    EXPECT_FALSE(sender.activate_write(1));
    EXPECT_EQ(sender.overhead(1), kDtls12HeaderLength);

    sender.install_write(1, aes(3, Direction::seal));
    ASSERT_TRUE(sender.activate_write(1));
    EXPECT_EQ(sender.write_epoch(), 1u);
    EXPECT_EQ(sender.overhead(1), kDtls12HeaderLength + 8 + 16);
    ASSERT_EQ(sender.seal(1, ContentType::application_data, Bytes{'h', 'i'}, out), (RecordNumber{1, 0}));

    EXPECT_EQ(open_first(receiver, out), EpochTable::Disposition::future) << "the next epoch, not yet open";
    receiver.install_read(1, aes(3, Direction::open));
    EXPECT_EQ(open_first(receiver, out), EpochTable::Disposition::future) << "keys, but not activated";
    ASSERT_TRUE(receiver.activate_read(1));
    EpochTable::Opened opened;
    ASSERT_EQ(open_first(receiver, out, opened), EpochTable::Disposition::deliver);
    EXPECT_EQ(Bytes(opened.plaintext.begin(), opened.plaintext.end()), (Bytes{'h', 'i'}));
    EXPECT_EQ(opened.number, (RecordNumber{1, 0}));

    Bytes plain;
    ASSERT_TRUE(sender.seal(0, ContentType::handshake, Bytes{7}, plain));
    EXPECT_EQ(open_first(receiver, plain), EpochTable::Disposition::deliver)
        << "epoch 0 is still read, so a retransmitted plaintext flight is noticed";
}

// conformance: RFC9147-6.1-1
TEST(EpochTable, EpochsBeyondTheNextOneAreDropped) {
    EpochTable sender, receiver;
    sender.install_write(2, aes(3, Direction::seal));
    Bytes out;
    ASSERT_TRUE(sender.seal(2, ContentType::application_data, Bytes{1}, out));
    EXPECT_EQ(open_first(receiver, out), EpochTable::Disposition::drop);
    EXPECT_STREQ(receiver.drop_reason(), "unknown epoch");
}

TEST(EpochTable, ReplayWindowMovesOnlyForRecordsThatAuthenticate) {
    EpochTable sender, receiver;
    sender.install_write(1, aes(3, Direction::seal));
    receiver.install_read(1, aes(3, Direction::open));
    ASSERT_TRUE(receiver.activate_read(1));
    Bytes rec;
    ASSERT_TRUE(sender.seal(1, ContentType::application_data, Bytes{'h', 'i'}, rec));

    // A forged record with a far-ahead sequence number must not move the
    // window (OpenSSL CVE-2016-2181).
    Bytes forged = rec;
    forged[5] = 0x7f;    // sequence number high byte
    forged.back() ^= 1;  // and a broken tag
    EXPECT_EQ(open_first(receiver, forged), EpochTable::Disposition::drop);
    EXPECT_STREQ(receiver.drop_reason(), "does not authenticate");
    EXPECT_EQ(open_first(receiver, rec), EpochTable::Disposition::deliver);
    EXPECT_EQ(open_first(receiver, rec), EpochTable::Disposition::drop);
    EXPECT_STREQ(receiver.drop_reason(), "replayed or too old");
}

// conformance: RFC9147-4.5.3-1
TEST(EpochTable, SealingStopsAtTheRecordLimit) {
    EpochTable table;
    UsageLimits limits;
    limits.records = 3;
    table.install_write(1, aes(3, Direction::seal), limits);
    ASSERT_TRUE(table.activate_write(1));
    for (int i = 0; i < 3; ++i) {
        Bytes out;
        ASSERT_TRUE(table.seal(1, ContentType::application_data, Bytes{1}, out)) << i;
    }
    Bytes out;
    EXPECT_FALSE(table.seal(1, ContentType::application_data, Bytes{1}, out));
    EXPECT_TRUE(out.empty());
    EXPECT_EQ(table.write_usage().used, 3u);
    EXPECT_EQ(table.write_usage().limit, 3u);
}

TEST(EpochTable, TheCurrentReadKeyIsExhaustedAtItsFailureLimit) {
    EpochTable sender, receiver;
    UsageLimits limits;
    limits.failures = 3;
    sender.install_write(1, aes(3, Direction::seal));
    receiver.install_read(1, aes(3, Direction::open), limits);
    ASSERT_TRUE(receiver.activate_read(1));
    Bytes rec, later;
    ASSERT_TRUE(sender.seal(1, ContentType::application_data, Bytes{'h', 'i'}, rec));
    ASSERT_TRUE(sender.seal(1, ContentType::application_data, Bytes{'h', 'o'}, later));
    Bytes forged = later;  // a sequence number still fresh after `rec`
    forged.back() ^= 1;
    EXPECT_EQ(open_first(receiver, forged), EpochTable::Disposition::drop);
    EXPECT_EQ(open_first(receiver, forged), EpochTable::Disposition::drop);
    EXPECT_EQ(receiver.read_usage().used, 2u);
    // A genuine record does not reset the count: it is per key.
    EXPECT_EQ(open_first(receiver, rec), EpochTable::Disposition::deliver);
    EXPECT_EQ(receiver.read_usage().used, 2u);
    EXPECT_EQ(open_first(receiver, forged), EpochTable::Disposition::exhausted);
    EXPECT_EQ(receiver.read_usage().used, 3u);
    EXPECT_EQ(receiver.read_usage().limit, 3u);
}

TEST(EpochTable, OtherRecordFormatsAndVersionsAreRefused) {
    EpochTable table;
    Bytes unified = {0x2c, 0x00, 0x01, 0x00, 0x02, 0xaa, 0xbb};
    EXPECT_EQ(open_first(table, unified), EpochTable::Disposition::drop);
    EXPECT_STREQ(table.drop_reason(), "DTLS 1.3 record: DTLS 1.3 is not negotiated");

    Bytes cid_record = {25, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0};
    EXPECT_EQ(open_first(table, cid_record), EpochTable::Disposition::drop);

    Bytes tls = {22, 0x03, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0};
    EXPECT_EQ(open_first(table, tls), EpochTable::Disposition::drop);
    EXPECT_STREQ(table.drop_reason(), "unknown record version");
}

TEST(EpochTable, HoldsAtMostMaxProtectedEpochsPerDirection) {
    constexpr uint64_t installed = EpochTable::kMaxProtectedEpochs + 2;
    EpochTable table;
    for (uint64_t epoch = 1; epoch <= installed; ++epoch) {
        table.install_write(epoch, aes(static_cast<uint8_t>(epoch), Direction::seal));
    }
    // Epoch 0 and the newest kMaxProtectedEpochs protected epochs remain.
    Bytes out;
    EXPECT_TRUE(table.seal(0, ContentType::handshake, Bytes{1}, out));
    for (uint64_t epoch = 1; epoch <= installed; ++epoch) {
        const bool kept = epoch > installed - EpochTable::kMaxProtectedEpochs;
        EXPECT_EQ(table.seal(epoch, ContentType::application_data, Bytes{1}, out).has_value(), kept) << epoch;
    }
}

}  // namespace
}  // namespace dtls::record
