// DTLS 1.3 record protection (RFC 9147 4): records are exactly what the RFC
// defines (checked against a record built here by hand with libcrypto's
// general AEAD and AES-ECB), round-trip through the epoch table for every
// AEAD and header form, short contents are padded so the record-number mask
// has its 16-byte sample, and full sequence numbers are reconstructed from
// 8 or 16 bits across wraps.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>

#include "record/datagram_reader.hpp"
#include "record/dtls13_protection.hpp"
#include "record/epoch_table.hpp"

namespace dtls::record {
namespace {

using Bytes = std::vector<uint8_t>;
using Algorithm = Dtls13Protection::Algorithm;
using Direction = Dtls13Protection::Direction;

struct Keys {
    Bytes key, iv, sn_key;
};

Keys keys_for(Algorithm algorithm, uint8_t fill) {
    const size_t length = crypto::AeadCipher::key_length(algorithm);
    return {Bytes(length, fill), Bytes(12, static_cast<uint8_t>(fill + 1)), Bytes(length, static_cast<uint8_t>(fill + 2))};
}

Dtls13Protection make(Algorithm algorithm, Direction direction, const Keys& k) {
    auto p = Dtls13Protection::create(algorithm, direction, k.key, k.iv, k.sn_key);
    EXPECT_TRUE(p.ok());
    return std::move(*p);
}

// AES-128-GCM record built by hand from the RFC text: header with the plain
// sequence number, nonce = IV XOR sequence, additional data = that header,
// then the sequence bytes XORed with AES-ECB(sn_key, ciphertext[0..15]).
Bytes record_by_hand(const Keys& k, uint64_t epoch, uint64_t sequence, uint8_t type, const Bytes& content) {
    Bytes inner = content;
    inner.push_back(type);
    const uint16_t length = static_cast<uint16_t>(inner.size() + 16);
    Bytes header = {static_cast<uint8_t>(0x20 | 0x08 | 0x04 | (epoch & 3)), static_cast<uint8_t>(sequence >> 8),
                    static_cast<uint8_t>(sequence), static_cast<uint8_t>(length >> 8),
                    static_cast<uint8_t>(length)};
    Bytes nonce = k.iv;
    for (int i = 0; i < 8; ++i) nonce[11 - i] ^= static_cast<uint8_t>(sequence >> (8 * i));

    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    Bytes ciphertext(inner.size());
    Bytes tag(16);
    int n = 0;
    EXPECT_EQ(EVP_EncryptInit_ex(ctx, EVP_aes_128_gcm(), nullptr, k.key.data(), nonce.data()), 1);
    EXPECT_EQ(EVP_EncryptUpdate(ctx, nullptr, &n, header.data(), static_cast<int>(header.size())), 1);
    EXPECT_EQ(EVP_EncryptUpdate(ctx, ciphertext.data(), &n, inner.data(), static_cast<int>(inner.size())), 1);
    EXPECT_EQ(EVP_EncryptFinal_ex(ctx, nullptr, &n), 1);
    EXPECT_EQ(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag.data()), 1);
    EVP_CIPHER_CTX_free(ctx);
    Bytes body = ciphertext;
    body.insert(body.end(), tag.begin(), tag.end());

    std::array<uint8_t, 16> mask{};
    ctx = EVP_CIPHER_CTX_new();
    EXPECT_EQ(EVP_EncryptInit_ex(ctx, EVP_aes_128_ecb(), nullptr, k.sn_key.data(), nullptr), 1);
    EVP_CIPHER_CTX_set_padding(ctx, 0);
    EXPECT_EQ(EVP_EncryptUpdate(ctx, mask.data(), &n, body.data(), 16), 1);
    EVP_CIPHER_CTX_free(ctx);
    header[1] ^= mask[0];
    header[2] ^= mask[1];
    header.insert(header.end(), body.begin(), body.end());
    return header;
}

TEST(Dtls13Protection, SealsTheRecordTheRfcDefines) {
    const Keys k = keys_for(Algorithm::aes_128_gcm, 0x40);
    Dtls13Protection sealer = make(Algorithm::aes_128_gcm, Direction::seal, k);
    const Bytes content = {'h', 'e', 'l', 'l', 'o', ' ', 'd', 't', 'l', 's', '1', '3'};
    for (uint64_t sequence : {0u, 1u, 255u, 256u, 0x1234u, 70000u}) {
        Bytes out;
        ASSERT_TRUE(sealer.seal(3, sequence, ContentType::application_data, content, {}, out));
        EXPECT_EQ(out, record_by_hand(k, 3, sequence, 23, content)) << "sequence " << sequence;
    }
}

struct AlgorithmCase {
    Algorithm algorithm;
    const char* name;
};

class EachAlgorithm : public ::testing::TestWithParam<AlgorithmCase> {};

// Frames the one record in `datagram` and opens it with `table`.
EpochTable::Disposition open_in(EpochTable& table, Bytes& datagram, EpochTable::Opened& opened) {
    DatagramReader reader(datagram, 0);
    FramedRecord framed;
    EXPECT_EQ(reader.next(framed), DatagramReader::Next::record);
    return table.open(framed, opened);
}

TEST_P(EachAlgorithm, RoundTripsThroughTheEpochTableInEveryHeaderForm) {
    const Algorithm algorithm = GetParam().algorithm;
    const Keys k = keys_for(algorithm, 7);
    for (bool long_sequence : {true, false}) {
        for (bool with_length : {true, false}) {
            EpochTable sender, receiver;
            receiver.expect_dtls13(true);
            sender.install_write(2, make(algorithm, Direction::seal, k));
            ASSERT_TRUE(sender.activate_write(2));
            sender.set_dtls13_header({long_sequence, with_length, {}});
            receiver.install_read(2, make(algorithm, Direction::open, k));
            ASSERT_TRUE(receiver.activate_read(2));
            for (size_t length : {0u, 1u, 6u, 15u, 100u, 1200u}) {
                const Bytes content(length, static_cast<uint8_t>(length));
                Bytes datagram;
                auto number = sender.seal(2, ContentType::handshake, content, datagram);
                ASSERT_TRUE(number);
                // Header, then the ciphertext: content, type and tag, padded
                // to the 16 bytes the record-number mask samples.
                const size_t header = 1 + (long_sequence ? 2 : 1) + (with_length ? 2 : 0);
                const size_t ciphertext = std::max<size_t>(16, length + 1 + crypto::AeadCipher::tag_length(algorithm));
                EXPECT_EQ(datagram.size(), header + ciphertext);
                EpochTable::Opened opened;
                ASSERT_EQ(open_in(receiver, datagram, opened), EpochTable::Disposition::deliver)
                    << GetParam().name << " length " << length << " long " << long_sequence << " L " << with_length
                    << ": " << receiver.drop_reason();
                EXPECT_EQ(opened.type, ContentType::handshake);
                EXPECT_EQ(opened.number, *number);
                EXPECT_EQ(Bytes(opened.plaintext.begin(), opened.plaintext.end()), content);
            }
        }
    }
}

// conformance: RFC9147-4.2.3-2
TEST_P(EachAlgorithm, ShortContentIsPaddedSoTheMaskHasItsSample) {
    const Algorithm algorithm = GetParam().algorithm;
    Dtls13Protection sealer = make(algorithm, Direction::seal, keys_for(algorithm, 9));
    Bytes out;
    ASSERT_TRUE(sealer.seal(2, 0, ContentType::alert, Bytes{}, {}, out));
    const size_t header = 5;
    EXPECT_GE(out.size() - header, 16u) << "ciphertext shorter than the record-number mask's sample";
}

TEST_P(EachAlgorithm, AnyChangedBitIsDropped) {
    const Algorithm algorithm = GetParam().algorithm;
    const Keys k = keys_for(algorithm, 11);
    EpochTable sender;
    sender.install_write(3, make(algorithm, Direction::seal, k));
    ASSERT_TRUE(sender.activate_write(3));
    Bytes good;
    ASSERT_TRUE(sender.seal(3, ContentType::application_data, Bytes(40, 1), good));
    for (size_t i = 0; i < good.size(); ++i) {
        EpochTable receiver;
        receiver.expect_dtls13(true);
        receiver.install_read(3, make(algorithm, Direction::open, k));
        ASSERT_TRUE(receiver.activate_read(3));
        Bytes bad = good;
        bad[i] ^= 0x01;
        DatagramReader reader(bad, 0);
        FramedRecord framed;
        if (reader.next(framed) != DatagramReader::Next::record) continue;  // header damage caught by framing
        EpochTable::Opened opened;
        EXPECT_NE(receiver.open(framed, opened), EpochTable::Disposition::deliver) << "byte " << i;
    }
}

INSTANTIATE_TEST_SUITE_P(Dtls13, EachAlgorithm,
                         ::testing::Values(AlgorithmCase{Algorithm::aes_128_gcm, "aes_128_gcm"},
                                           AlgorithmCase{Algorithm::aes_256_gcm, "aes_256_gcm"},
                                           AlgorithmCase{Algorithm::chacha20_poly1305, "chacha20_poly1305"},
                                           AlgorithmCase{Algorithm::aes_128_ccm, "aes_128_ccm"},
                                           AlgorithmCase{Algorithm::aes_128_ccm_8, "aes_128_ccm_8"}),
                         [](const auto& info) { return std::string(info.param.name); });

// conformance: RFC9147-4.2.2-1
TEST(Dtls13Protection, SequenceNumbersAreReconstructedAcrossWraps) {
    EXPECT_EQ(reconstruct_sequence(std::nullopt, 0, 8), 0u);
    EXPECT_EQ(reconstruct_sequence(std::nullopt, 5, 16), 5u);
    EXPECT_EQ(reconstruct_sequence(0xFE, 0x01, 8), 0x101u) << "forward across an 8-bit wrap";
    EXPECT_EQ(reconstruct_sequence(0x1FF, 0x02, 8), 0x202u);
    EXPECT_EQ(reconstruct_sequence(0x205, 0xFF, 8), 0x1FFu) << "a late record from before the wrap";
    EXPECT_EQ(reconstruct_sequence(0xFFFF, 0x0000, 16), 0x10000u);
    EXPECT_EQ(reconstruct_sequence(0x10003, 0xFFFE, 16), 0xFFFEu);
    EXPECT_EQ(reconstruct_sequence(0x12345, 0x2346, 16), 0x12346u);
    EXPECT_EQ(reconstruct_sequence(5, 200, 8), 200u) << "never below zero";
}

TEST(Dtls13Protection, AThousandRecordsWithEightBitSequenceNumbersAllOpenInOrderAndOutOfIt) {
    const Keys k = keys_for(Algorithm::aes_128_gcm, 3);
    EpochTable sender, receiver;
    sender.install_write(3, make(Algorithm::aes_128_gcm, Direction::seal, k));
    ASSERT_TRUE(sender.activate_write(3));
    sender.set_dtls13_header({false, true, {}});
    receiver.expect_dtls13(true);
    receiver.install_read(3, make(Algorithm::aes_128_gcm, Direction::open, k));
    ASSERT_TRUE(receiver.activate_read(3));
    std::vector<Bytes> records;
    for (int i = 0; i < 1000; ++i) {
        Bytes r;
        ASSERT_TRUE(sender.seal(3, ContentType::application_data, Bytes{static_cast<uint8_t>(i)}, r));
        records.push_back(std::move(r));
    }
    // Pairs swapped: each record arrives one place early or late.
    for (size_t i = 0; i + 1 < records.size(); i += 2) std::swap(records[i], records[i + 1]);
    for (size_t i = 0; i < records.size(); ++i) {
        const uint64_t expected = i % 2 == 0 ? i + 1 : i - 1;
        EpochTable::Opened opened;
        ASSERT_EQ(open_in(receiver, records[i], opened), EpochTable::Disposition::deliver)
            << i << ": " << receiver.drop_reason();
        EXPECT_EQ(opened.number.sequence, expected);
    }
}

// conformance: RFC9147-4.2.2-2
TEST(Dtls13Protection, EpochsAreFoundByTheirLowBits) {
    const Keys two = keys_for(Algorithm::aes_128_gcm, 20), three = keys_for(Algorithm::aes_128_gcm, 30);
    EpochTable sender, receiver;
    sender.install_write(2, make(Algorithm::aes_128_gcm, Direction::seal, two));
    sender.install_write(3, make(Algorithm::aes_128_gcm, Direction::seal, three));
    Bytes in_two, in_three;
    ASSERT_TRUE(sender.seal(2, ContentType::handshake, Bytes(20, 2), in_two));
    ASSERT_TRUE(sender.seal(3, ContentType::application_data, Bytes(20, 3), in_three));

    // Before DTLS 1.3 is expected, a unified record is dropped; then, with
    // nothing installed yet, both are for epochs still to come.
    EpochTable::Opened opened;
    Bytes copy = in_two;
    EXPECT_EQ(open_in(receiver, copy, opened), EpochTable::Disposition::drop);
    receiver.expect_dtls13(true);
    copy = in_two;
    EXPECT_EQ(open_in(receiver, copy, opened), EpochTable::Disposition::future);
    receiver.install_read(2, make(Algorithm::aes_128_gcm, Direction::open, two));
    ASSERT_TRUE(receiver.activate_read(2));
    receiver.install_read(3, make(Algorithm::aes_128_gcm, Direction::open, three));
    copy = in_three;
    EXPECT_EQ(open_in(receiver, copy, opened), EpochTable::Disposition::future) << "epoch 3 is held, not yet active";
    copy = in_two;
    ASSERT_EQ(open_in(receiver, copy, opened), EpochTable::Disposition::deliver);
    EXPECT_EQ(opened.number.epoch, 2u);
    ASSERT_TRUE(receiver.activate_read(3));
    copy = in_three;
    ASSERT_EQ(open_in(receiver, copy, opened), EpochTable::Disposition::deliver);
    EXPECT_EQ(opened.number.epoch, 3u);
    EXPECT_EQ(opened.type, ContentType::application_data);
    copy = in_two;
    EXPECT_EQ(open_in(receiver, copy, opened), EpochTable::Disposition::drop) << "epoch 2 after epoch 3 opened";
}

// conformance: RFC9147-4.5.1-1 RFC9147-4.5.1-3 RFC9147-4.5.1-6
TEST(Dtls13Protection, AReplayIsDroppedAndAForgeryNeverMovesTheWindow) {
    const Keys k = keys_for(Algorithm::chacha20_poly1305, 5);
    EpochTable sender, receiver;
    receiver.expect_dtls13(true);
    sender.install_write(3, make(Algorithm::chacha20_poly1305, Direction::seal, k));
    receiver.install_read(3, make(Algorithm::chacha20_poly1305, Direction::open, k));
    ASSERT_TRUE(receiver.activate_read(3));
    Bytes good;
    ASSERT_TRUE(sender.seal(3, ContentType::application_data, Bytes(30, 9), good));
    Bytes forged = good;
    forged.back() ^= 1;
    EpochTable::Opened opened;
    EXPECT_EQ(open_in(receiver, forged, opened), EpochTable::Disposition::drop);
    Bytes copy = good;
    EXPECT_EQ(open_in(receiver, copy, opened), EpochTable::Disposition::deliver);
    copy = good;
    EXPECT_EQ(open_in(receiver, copy, opened), EpochTable::Disposition::drop);
    EXPECT_STREQ(receiver.drop_reason(), "replayed or too old");
}

// conformance: RFC9147-4.2.3-1
TEST(Dtls13Protection, ARecordTooShortForTheMaskSampleIsDropped) {
    EpochTable receiver;
    receiver.expect_dtls13(true);
    receiver.install_read(3, make(Algorithm::aes_128_gcm, Direction::open, keys_for(Algorithm::aes_128_gcm, 1)));
    ASSERT_TRUE(receiver.activate_read(3));
    Bytes short_record = {0x2f, 0x00, 0x01, 0x00, 0x0f};
    short_record.insert(short_record.end(), 15, 0xab);
    EpochTable::Opened opened;
    EXPECT_EQ(open_in(receiver, short_record, opened), EpochTable::Disposition::drop);
    EXPECT_STREQ(receiver.drop_reason(), "record too short for its record number mask");
}

TEST(Dtls13Protection, ADtls12RecordInADtls13EpochIsDropped) {
    const Keys k = keys_for(Algorithm::aes_128_gcm, 1);
    EpochTable receiver;
    receiver.install_read(1, make(Algorithm::aes_128_gcm, Direction::open, k));
    ASSERT_TRUE(receiver.activate_read(1));
    Bytes dtls12 = {23, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 0, 0, 24};
    dtls12.insert(dtls12.end(), 24, 0);
    EpochTable::Opened opened;
    EXPECT_EQ(open_in(receiver, dtls12, opened), EpochTable::Disposition::drop);
    EXPECT_STREQ(receiver.drop_reason(), "a DTLS 1.2 record in a DTLS 1.3 epoch");
}

}  // namespace
}  // namespace dtls::record
