// The 12-byte DTLS handshake header (RFC 6347 4.2.2) and the transcript form.
#include <gtest/gtest.h>

#include "transport/fragment.hpp"
#include "wire/writer.hpp"

namespace dtls::transport {
namespace {

Bytes fragment_bytes(const FragmentHeader& h, const Bytes& payload) {
    Bytes out;
    wire::Writer w(out);
    write_fragment_header(h, w);
    w.bytes(payload);
    return out;
}

TEST(HandshakeFragment, HeaderLayout) {
    const FragmentHeader h{HandshakeType::certificate, 0x012345, 0x0203, 0x000100, 3};
    const Bytes bytes = fragment_bytes(h, {7, 8, 9});
    const Bytes expected = {11, 0x01, 0x23, 0x45, 0x02, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x03, 7, 8, 9};
    EXPECT_EQ(bytes, expected);
    EXPECT_EQ(bytes.size(), kHandshakeHeaderLength + 3);
}

TEST(HandshakeFragment, ReadsConsecutiveFragmentsOfOneRecord) {
    const FragmentHeader first{HandshakeType::server_hello, 50, 1, 0, 4};
    const FragmentHeader second{HandshakeType::server_hello_done, 0, 2, 0, 0};
    Bytes record = fragment_bytes(first, {1, 2, 3, 4});
    const Bytes more = fragment_bytes(second, {});
    record.insert(record.end(), more.begin(), more.end());

    wire::Reader r(record);
    FragmentHeader h;
    std::span<const uint8_t> payload;
    ASSERT_TRUE(read_fragment(r, h, payload));
    EXPECT_EQ(h.type, HandshakeType::server_hello);
    EXPECT_EQ(h.length, 50u);
    EXPECT_EQ(h.message_seq, 1);
    EXPECT_EQ(h.fragment_offset, 0u);
    EXPECT_EQ(h.fragment_length, 4u);
    EXPECT_EQ(Bytes(payload.begin(), payload.end()), (Bytes{1, 2, 3, 4}));

    ASSERT_TRUE(read_fragment(r, h, payload));
    EXPECT_EQ(h.type, HandshakeType::server_hello_done);
    EXPECT_EQ(h.length, 0u);
    EXPECT_TRUE(payload.empty());
    EXPECT_TRUE(r.empty());
}

TEST(HandshakeFragment, FragmentPastMessageEndIsRejectedWithoutConsuming) {
    // offset 8 + length 4 > message length 10
    const Bytes bytes = fragment_bytes({HandshakeType::certificate, 10, 0, 8, 4}, {1, 2, 3, 4});
    wire::Reader r(bytes);
    FragmentHeader h;
    std::span<const uint8_t> payload;
    EXPECT_FALSE(read_fragment(r, h, payload));
    EXPECT_EQ(r.remaining(), bytes.size());

    // Ending exactly at the message end is fine.
    const Bytes ok = fragment_bytes({HandshakeType::certificate, 12, 0, 8, 4}, {1, 2, 3, 4});
    wire::Reader r2(ok);
    EXPECT_TRUE(read_fragment(r2, h, payload));
}

TEST(HandshakeFragment, TruncatedFragmentIsRejected) {
    const Bytes bytes = fragment_bytes({HandshakeType::finished, 12, 5, 0, 12}, Bytes(12, 0xAB));
    for (size_t n = 0; n < bytes.size(); ++n) {
        wire::Reader r{std::span(bytes).first(n)};
        FragmentHeader h;
        std::span<const uint8_t> payload;
        EXPECT_FALSE(read_fragment(r, h, payload)) << n;
        EXPECT_EQ(r.remaining(), n);
    }
}

}  // namespace
}  // namespace dtls::transport
