// The three record header codecs: the DTLS 1.2 header (RFC 6347 4.1), the
// DTLS 1.2 header with a connection ID (RFC 9146 4) and the DTLS 1.3 unified
// header (RFC 9147 4). Each round-trips, matches the RFC's byte layout, and
// refuses what it cannot frame without moving the reader.
#include <gtest/gtest.h>

#include "record/cid_header.hpp"
#include "record/dtls12_header.hpp"
#include "record/unified_header.hpp"

namespace dtls::record {
namespace {

using Bytes = std::vector<uint8_t>;

TEST(Dtls12Header, MatchesTheRfcLayoutAndRoundTrips) {
    Bytes out;
    wire::Writer w(out);
    ASSERT_TRUE(write_dtls12_header({ContentType::handshake, kVersionDtls12, 1, 0x0102030405, 2}, w));
    out.insert(out.end(), {0xaa, 0xbb});
    const Bytes expected = {22, 0xfe, 0xfd, 0, 1, 0, 1, 2, 3, 4, 5, 0, 2, 0xaa, 0xbb};
    EXPECT_EQ(out, expected);

    wire::Reader r(out);
    Dtls12Header h;
    std::span<const uint8_t> body;
    ASSERT_TRUE(read_dtls12_record(r, h, body));
    EXPECT_EQ(h.type, ContentType::handshake);
    EXPECT_EQ(h.version, kVersionDtls12);
    EXPECT_EQ(h.epoch, 1);
    EXPECT_EQ(h.sequence, 0x0102030405u);
    EXPECT_EQ(Bytes(body.begin(), body.end()), (Bytes{0xaa, 0xbb}));
    EXPECT_TRUE(r.empty());
}

TEST(Dtls12Header, RefusesTruncatedRecordsWithoutMovingTheReader) {
    const Bytes rec = {23, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 5, 0, 2, 0xaa, 0xbb};
    for (size_t n = 0; n < rec.size(); ++n) {
        Bytes cut(rec.begin(), rec.begin() + static_cast<long>(n));
        wire::Reader r(cut);
        Dtls12Header h;
        std::span<const uint8_t> body;
        EXPECT_FALSE(read_dtls12_record(r, h, body)) << n;
        EXPECT_EQ(r.remaining(), n);
    }
}

// conformance: RFC9147-4-1
TEST(Dtls12Header, WriterRefusesASequenceNumberOver48Bits) {
    Bytes out;
    wire::Writer w(out);
    EXPECT_FALSE(write_dtls12_header({ContentType::alert, kVersionDtls12, 1, kMaxSequence + 1, 0}, w));
}

TEST(CidHeader, MatchesTheRfcLayoutAndRoundTrips) {
    const Bytes cid = {0xc1, 0xc2, 0xc3, 0xc4};
    Bytes out;
    wire::Writer w(out);
    ASSERT_TRUE(write_cid_header({kVersionDtls12, 1, 7, cid, 3}, w));
    out.insert(out.end(), {1, 2, 3});
    const Bytes expected = {25, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 7, 0xc1, 0xc2, 0xc3, 0xc4, 0, 3, 1, 2, 3};
    EXPECT_EQ(out, expected);
    EXPECT_EQ(cid_header_length(cid.size()), 17u);

    wire::Reader r(out);
    CidHeader h;
    std::span<const uint8_t> body;
    ASSERT_TRUE(read_cid_record(r, cid.size(), h, body));
    EXPECT_EQ(h.epoch, 1);
    EXPECT_EQ(h.sequence, 7u);
    EXPECT_EQ(Bytes(h.cid.begin(), h.cid.end()), cid);
    EXPECT_EQ(Bytes(body.begin(), body.end()), (Bytes{1, 2, 3}));
}

TEST(CidHeader, RefusesWhatItCannotFrame) {
    const Bytes rec = {25, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 7, 0xc1, 0xc2, 0, 1, 9};
    auto reads = [](const Bytes& bytes, size_t cid_length) {
        wire::Reader r(bytes);
        CidHeader h;
        std::span<const uint8_t> body;
        const bool ok = read_cid_record(r, cid_length, h, body);
        if (!ok) {
            EXPECT_EQ(r.remaining(), bytes.size());
        }
        return ok;
    };
    EXPECT_TRUE(reads(rec, 2));
    EXPECT_FALSE(reads(rec, 0)) << "a zero-length CID is never on the wire";
    Bytes wrong_type = rec;
    wrong_type[0] = 23;
    EXPECT_FALSE(reads(wrong_type, 2));
    EXPECT_FALSE(reads(Bytes(rec.begin(), rec.end() - 1), 2)) << "body shorter than its length";
    EXPECT_FALSE(reads(Bytes(rec.begin(), rec.begin() + 12), 2)) << "CID cut short";

    Bytes out;
    wire::Writer w(out);
    EXPECT_FALSE(write_cid_header({kVersionDtls12, 1, 7, {}, 0}, w)) << "an empty CID is not written";
}

TEST(UnifiedHeader, MatchesTheRfcLayouts) {
    // RFC 9147 figure 4: the full form (C, S and L set) and the minimal one.
    const Bytes cid = {0xaa, 0xbb};
    Bytes full;
    wire::Writer w(full);
    ASSERT_TRUE(write_unified_header({3, cid, true, 0x1234, true}, 5, w));
    EXPECT_EQ(full, (Bytes{0x3f, 0xaa, 0xbb, 0x12, 0x34, 0x00, 0x05}));

    Bytes minimal;
    wire::Writer m(minimal);
    ASSERT_TRUE(write_unified_header({2, {}, false, 0x56, false}, 0, m));
    EXPECT_EQ(minimal, (Bytes{0x22, 0x56}));
    EXPECT_EQ(unified_header_length({2, {}, false, 0x56, false}), 2u);
    EXPECT_EQ(unified_header_length({3, cid, true, 0x1234, true}), 7u);
}

TEST(UnifiedHeader, RoundTripsEveryCombinationOfBits) {
    const Bytes cid = {1, 2, 3};
    for (int bits = 0; bits < 32; ++bits) {
        UnifiedHeader h;
        h.epoch_bits = bits & 3;
        h.has_length = (bits & 4) != 0;
        h.long_sequence = (bits & 8) != 0;
        if (bits & 16) h.cid = cid;
        h.sequence_bits = h.long_sequence ? 0xbeef : 0xef;
        const Bytes body = {9, 8, 7, 6};
        Bytes out;
        wire::Writer w(out);
        ASSERT_TRUE(write_unified_header(h, static_cast<uint16_t>(body.size()), w)) << bits;
        EXPECT_EQ(out.size(), unified_header_length(h)) << bits;
        out.insert(out.end(), body.begin(), body.end());

        wire::Reader r(out);
        UnifiedHeader back;
        std::span<const uint8_t> read_body;
        ASSERT_TRUE(read_unified_record(r, cid.size(), back, read_body)) << bits;
        EXPECT_EQ(back.epoch_bits, h.epoch_bits) << bits;
        EXPECT_EQ(back.has_length, h.has_length) << bits;
        EXPECT_EQ(back.long_sequence, h.long_sequence) << bits;
        EXPECT_EQ(back.sequence_bits, h.sequence_bits) << bits;
        EXPECT_EQ(Bytes(back.cid.begin(), back.cid.end()), Bytes(h.cid.begin(), h.cid.end())) << bits;
        EXPECT_EQ(Bytes(read_body.begin(), read_body.end()), body) << bits;
        EXPECT_TRUE(r.empty()) << bits;
    }
}

// conformance: RFC9147-4-4
TEST(UnifiedHeader, WithoutLengthTheRecordRunsToTheEndOfTheDatagram) {
    const Bytes datagram = {0x20, 0x07, 1, 2, 3, 4, 5};
    wire::Reader r(datagram);
    UnifiedHeader h;
    std::span<const uint8_t> body;
    ASSERT_TRUE(read_unified_record(r, 0, h, body));
    EXPECT_EQ(body.size(), 5u);
    EXPECT_TRUE(r.empty());
}

TEST(UnifiedHeader, RefusesWhatItCannotFrame) {
    auto reads = [](const Bytes& bytes, size_t cid_length) {
        wire::Reader r(bytes);
        UnifiedHeader h;
        std::span<const uint8_t> body;
        const bool ok = read_unified_record(r, cid_length, h, body);
        if (!ok) {
            EXPECT_EQ(r.remaining(), bytes.size());
        }
        return ok;
    };
    EXPECT_FALSE(reads({0x17, 0, 0}, 0)) << "not 001xxxxx";
    EXPECT_FALSE(reads({0x40, 0, 0}, 0)) << "not 001xxxxx";
    EXPECT_FALSE(reads({0x30, 0xaa, 0x01}, 0)) << "C set, but this side issued no CID";
    EXPECT_TRUE(reads({0x30, 0xaa, 0x01}, 1));
    EXPECT_FALSE(reads({0x28, 0x01}, 0)) << "16-bit sequence number cut short";
    EXPECT_FALSE(reads({0x24, 0x01, 0x00, 0x03, 1, 2}, 0)) << "body shorter than its length";
    EXPECT_FALSE(reads({}, 0));

    Bytes out;
    wire::Writer w(out);
    EXPECT_FALSE(write_unified_header({4, {}, true, 0, true}, 0, w)) << "epoch bits are two bits";
    EXPECT_FALSE(write_unified_header({0, {}, false, 0x100, true}, 0, w)) << "8-bit sequence number";
}

}  // namespace
}  // namespace dtls::record
