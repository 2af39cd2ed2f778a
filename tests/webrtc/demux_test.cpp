// classify_datagram: RFC 7983 7's first-byte ranges, checked at both ends of
// every range and on either side of every gap, plus real datagrams: the
// library's own ClientHello must go to DTLS and a STUN Binding request to
// STUN, since a WebRTC endpoint routes every packet on its socket this way.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "dtls/certificate.hpp"
#include "dtls/connection.hpp"
#include "dtls/demux.hpp"

namespace dtls {
namespace {

// conformance: RFC5764-5.1.2-2
TEST(ClassifyDatagram, EveryRangeBoundary) {
    struct Case {
        uint8_t first;
        DatagramKind kind;
    };
    const Case cases[] = {
        {0, DatagramKind::stun},          {3, DatagramKind::stun},
        {4, DatagramKind::unknown},       {15, DatagramKind::unknown},
        {16, DatagramKind::zrtp},         {19, DatagramKind::zrtp},
        {20, DatagramKind::dtls},         {63, DatagramKind::dtls},
        {64, DatagramKind::turn_channel}, {79, DatagramKind::turn_channel},
        {80, DatagramKind::unknown},      {127, DatagramKind::unknown},
        {128, DatagramKind::rtp_rtcp},    {191, DatagramKind::rtp_rtcp},
        {192, DatagramKind::unknown},     {255, DatagramKind::unknown},
    };
    for (const Case& c : cases) {
        const uint8_t one[] = {c.first};
        EXPECT_EQ(classify_datagram(one), c.kind) << "first byte " << int{c.first} << " gave "
                                                  << to_string(classify_datagram(one)) << ", expected "
                                                  << to_string(c.kind);
        // Only the first byte counts, whatever follows it.
        const uint8_t longer[] = {c.first, 22, 0xFE, 0xFD, 0x00};
        EXPECT_EQ(classify_datagram(longer), c.kind) << "first byte " << int{c.first};
    }
}

TEST(ClassifyDatagram, EmptyDatagramIsUnknown) {
    EXPECT_EQ(classify_datagram({}), DatagramKind::unknown);
    const std::vector<uint8_t> empty;
    EXPECT_EQ(classify_datagram(empty), DatagramKind::unknown);
}

TEST(ClassifyDatagram, ClientHelloIsDtls) {
    Config config;
    config.verifier = [](const CertificateCheck&) { return VerifyDecision::accepted(); };
    Result<Connection> client = Connection::client(config, Clock::now());
    ASSERT_TRUE(client) << client.error().reason;
    std::vector<uint8_t> hello;
    ASSERT_TRUE(client->poll_datagram(hello));
    ASSERT_FALSE(hello.empty());
    EXPECT_EQ(hello[0], 22) << "a handshake record";
    EXPECT_EQ(classify_datagram(hello), DatagramKind::dtls);
}

TEST(ClassifyDatagram, StunBindingRequestIsStun) {
    // RFC 8489 6: type 0x0001 (Binding request), length 0, magic cookie,
    // 96-bit transaction ID.
    const uint8_t binding_request[] = {0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xA4, 0x42, 0x01, 0x02,
                                       0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C};
    EXPECT_EQ(classify_datagram(binding_request), DatagramKind::stun);
    // A Binding success response (0x0101) too.
    uint8_t response[sizeof(binding_request)];
    std::copy(std::begin(binding_request), std::end(binding_request), response);
    response[0] = 0x01;
    response[1] = 0x01;
    EXPECT_EQ(classify_datagram(response), DatagramKind::stun);
}

TEST(ClassifyDatagram, RtpAndTurnChannelData) {
    // RTP version 2, no padding, extension or CSRCs: first byte 0x80.
    const uint8_t rtp[] = {0x80, 0x60, 0x00, 0x01, 0, 0, 0, 0, 0x12, 0x34, 0x56, 0x78};
    EXPECT_EQ(classify_datagram(rtp), DatagramKind::rtp_rtcp);
    // RTCP sender report with one report block: 0x81, packet type 200.
    const uint8_t rtcp[] = {0x81, 200, 0x00, 0x0C};
    EXPECT_EQ(classify_datagram(rtcp), DatagramKind::rtp_rtcp);
    // TURN ChannelData for channel 0x4000, the lowest channel number.
    const uint8_t channel_data[] = {0x40, 0x00, 0x00, 0x04, 1, 2, 3, 4};
    EXPECT_EQ(classify_datagram(channel_data), DatagramKind::turn_channel);
}

TEST(DatagramKindNames, EachKindHasItsName) {
    EXPECT_STREQ(to_string(DatagramKind::stun), "stun");
    EXPECT_STREQ(to_string(DatagramKind::zrtp), "zrtp");
    EXPECT_STREQ(to_string(DatagramKind::dtls), "dtls");
    EXPECT_STREQ(to_string(DatagramKind::turn_channel), "turn_channel");
    EXPECT_STREQ(to_string(DatagramKind::rtp_rtcp), "rtp_rtcp");
    EXPECT_STREQ(to_string(DatagramKind::unknown), "unknown");
}

}  // namespace
}  // namespace dtls
