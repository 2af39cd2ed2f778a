// Framing a datagram: each record's first byte chooses its header; a record
// that frames but cannot be used is dropped alone and the next one is read;
// a first byte of no known format, or a header cut short, ends the datagram.
#include <gtest/gtest.h>

#include "record/cid_header.hpp"
#include "record/datagram_reader.hpp"
#include "record/dtls12_header.hpp"
#include "record/unified_header.hpp"

namespace dtls::record {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes dtls12(ContentType type, uint16_t epoch, uint64_t sequence, const Bytes& body) {
    Bytes out;
    wire::Writer w(out);
    EXPECT_TRUE(write_dtls12_header({type, kVersionDtls12, epoch, sequence, static_cast<uint16_t>(body.size())}, w));
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

Bytes unified(uint8_t epoch_bits, uint16_t sequence_bits, const Bytes& body, bool with_length) {
    Bytes out;
    wire::Writer w(out);
    EXPECT_TRUE(write_unified_header({epoch_bits, {}, true, sequence_bits, with_length},
                                     static_cast<uint16_t>(body.size()), w));
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

Bytes join(std::initializer_list<Bytes> parts) {
    Bytes out;
    for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

// conformance: RFC9147-4.1-1 RFC9147-4.1-2 RFC9147-4.1-3 RFC9147-4.3-3
TEST(DatagramReader, FramesEachRecordByItsFirstByte) {
    const Bytes cid = {7, 7, 7, 7};
    Bytes with_cid;
    wire::Writer w(with_cid);
    ASSERT_TRUE(write_cid_header({kVersionDtls12, 1, 3, cid, 2}, w));
    with_cid.insert(with_cid.end(), {0xc0, 0xde});

    Bytes datagram = join({dtls12(ContentType::handshake, 0, 5, {1, 2, 3}), with_cid, unified(2, 0x0102, {4, 5}, true),
                           dtls12(ContentType::alert, 1, 6, {2, 40})});
    DatagramReader reader(datagram, cid.size());
    FramedRecord r;

    ASSERT_EQ(reader.next(r), DatagramReader::Next::record);
    EXPECT_EQ(r.format, HeaderFormat::dtls12);
    EXPECT_EQ(r.type, ContentType::handshake);
    EXPECT_EQ(r.sequence, 5u);
    EXPECT_EQ(r.header.size(), kDtls12HeaderLength);
    EXPECT_EQ(Bytes(r.body.begin(), r.body.end()), (Bytes{1, 2, 3}));

    ASSERT_EQ(reader.next(r), DatagramReader::Next::record);
    EXPECT_EQ(r.format, HeaderFormat::dtls12_cid);
    EXPECT_EQ(r.epoch, 1u);
    EXPECT_EQ(Bytes(r.cid.begin(), r.cid.end()), cid);
    EXPECT_EQ(Bytes(r.body.begin(), r.body.end()), (Bytes{0xc0, 0xde}));

    ASSERT_EQ(reader.next(r), DatagramReader::Next::record);
    EXPECT_EQ(r.format, HeaderFormat::unified);
    EXPECT_EQ(r.epoch, 2u);
    EXPECT_EQ(r.sequence, 0x0102u);
    EXPECT_EQ(r.header.size(), 5u);  // the additional data of a DTLS 1.3 record

    ASSERT_EQ(reader.next(r), DatagramReader::Next::record);
    EXPECT_EQ(r.type, ContentType::alert);
    EXPECT_EQ(reader.next(r), DatagramReader::Next::end);
    EXPECT_STREQ(reader.why(), "");
}

TEST(DatagramReader, BodiesAreViewsIntoTheDatagramSoTheyCanBeOpenedInPlace) {
    Bytes datagram = dtls12(ContentType::application_data, 1, 0, {1, 2, 3});
    DatagramReader reader(datagram, 0);
    FramedRecord r;
    ASSERT_EQ(reader.next(r), DatagramReader::Next::record);
    r.body[0] = 9;
    EXPECT_EQ(datagram[kDtls12HeaderLength], 9);
}

TEST(DatagramReader, AnUnusableRecordIsDroppedAloneAndTheNextIsRead) {
    Bytes overlong = dtls12(ContentType::application_data, 1, 0, Bytes(kMaxCiphertextLength + 1, 0));
    Bytes datagram = join({overlong, dtls12(ContentType::handshake, 0, 1, {5})});
    DatagramReader reader(datagram, 0);
    FramedRecord r;
    EXPECT_EQ(reader.next(r), DatagramReader::Next::dropped);
    EXPECT_NE(std::string(reader.why()), "");
    ASSERT_EQ(reader.next(r), DatagramReader::Next::record);
    EXPECT_EQ(r.type, ContentType::handshake);
    EXPECT_EQ(reader.next(r), DatagramReader::Next::end);
}

// conformance: RFC9147-4.1-4
TEST(DatagramReader, AnUnknownFirstByteEndsTheDatagram) {
    Bytes datagram = join({dtls12(ContentType::handshake, 0, 1, {5}), Bytes{0x80, 1, 2, 3},
                           dtls12(ContentType::handshake, 0, 2, {6})});
    DatagramReader reader(datagram, 0);
    FramedRecord r;
    ASSERT_EQ(reader.next(r), DatagramReader::Next::record);
    EXPECT_EQ(reader.next(r), DatagramReader::Next::end);
    EXPECT_STREQ(reader.why(), "unknown record header");
}

TEST(DatagramReader, ATruncatedHeaderEndsTheDatagram) {
    Bytes good = dtls12(ContentType::handshake, 0, 1, {5});
    Bytes datagram = join({good, Bytes(good.begin(), good.begin() + 7)});
    DatagramReader reader(datagram, 0);
    FramedRecord r;
    ASSERT_EQ(reader.next(r), DatagramReader::Next::record);
    EXPECT_EQ(reader.next(r), DatagramReader::Next::end);
    EXPECT_STREQ(reader.why(), "truncated record");
}

TEST(DatagramReader, AUnifiedRecordWithoutLengthTakesTheRest) {
    Bytes datagram = join({dtls12(ContentType::handshake, 0, 1, {5}), unified(3, 9, {1, 2, 3, 4}, false)});
    DatagramReader reader(datagram, 0);
    FramedRecord r;
    ASSERT_EQ(reader.next(r), DatagramReader::Next::record);
    ASSERT_EQ(reader.next(r), DatagramReader::Next::record);
    EXPECT_EQ(r.format, HeaderFormat::unified);
    EXPECT_EQ(r.body.size(), 4u);
    EXPECT_EQ(reader.next(r), DatagramReader::Next::end);
}

TEST(DatagramReader, Tls12CidWithoutAnIssuedCidFramesAsAPlainHeader) {
    // Type 25 from a peer that was never given a CID: the header has no CID
    // field this side could find, so it is framed as 13 bytes and the layer
    // that opens it refuses it.
    Bytes datagram = dtls12(ContentType::tls12_cid, 1, 0, {1, 2});
    DatagramReader reader(datagram, 0);
    FramedRecord r;
    ASSERT_EQ(reader.next(r), DatagramReader::Next::record);
    EXPECT_EQ(r.format, HeaderFormat::dtls12);
    EXPECT_EQ(r.type, ContentType::tls12_cid);
}

}  // namespace
}  // namespace dtls::record
