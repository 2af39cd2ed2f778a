// The DTLS 1.3 ACK body (RFC 9147 7): round trip, exact layout, and the
// lengths that cannot be a list of 16-byte RecordNumbers.
#include <gtest/gtest.h>

#include "codec_testing.hpp"
#include "messages/ack.hpp"

namespace dtls::messages {
namespace {

using testing::encode_body;
using testing::expect_fault;

TEST(Ack, LayoutAndRoundTrip) {
    Ack m;
    m.records = {{2, 0}, {2, 1}, {3, 0x0000FFFFFFFFFFFF}};
    const Bytes body = encode_body(m);
    ASSERT_EQ(body.size(), 2u + 3 * 16);
    EXPECT_EQ(Bytes(body.begin(), body.begin() + 18),
              (Bytes{0x00, 0x30, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0}));
    EXPECT_EQ(Bytes(body.end() - 16, body.end()),
              (Bytes{0, 0, 0, 0, 0, 0, 0, 3, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}));
    auto r = decode_ack(body);
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_EQ(r->records, m.records);
}

TEST(Ack, EmptyList) {
    EXPECT_EQ(encode_body(Ack{}), (Bytes{0x00, 0x00}));
    auto r = decode_ack(Bytes{0x00, 0x00});
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_TRUE(r->records.empty());
}

TEST(Ack, LengthNotAMultipleOfSixteen) {
    for (size_t length : {size_t{1}, size_t{15}, size_t{17}, size_t{31}}) {
        Bytes body = {0x00, static_cast<uint8_t>(length)};
        body.resize(2 + length, 0);
        expect_fault(decode_ack(body), Fault::malformed_message,
                     "ACK: record_numbers is not a whole number of RecordNumbers");
    }
}

TEST(Ack, TruncatedAndTrailingBytes) {
    Ack m;
    m.records = {{1, 7}};
    const Bytes body = encode_body(m);
    for (size_t n = 0; n < body.size(); ++n) {
        auto r = decode_ack(std::span<const uint8_t>(body.data(), n));
        ASSERT_FALSE(r) << n;
        EXPECT_EQ(r.error().fault, Fault::malformed_message);
    }
    Bytes longer = body;
    longer.push_back(0);
    expect_fault(decode_ack(longer), Fault::malformed_message, "ACK: trailing bytes");
}

}  // namespace
}  // namespace dtls::messages
