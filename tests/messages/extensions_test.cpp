// Hello extensions, exercised through ServerHello and ClientHello bodies:
// exact encodings, unknown types skipped, duplicates and malformed bodies
// rejected with the alerts RFC 5246 / 6066 / 7301 / 7627 call for.
#include <gtest/gtest.h>

#include <initializer_list>

#include "messages/messages.hpp"
#include "wire/writer.hpp"

namespace dtls::messages {
namespace {

// One extension: type(2) + body<0..2^16-1>.
Bytes ext(uint16_t type, const Bytes& body) {
    Bytes out;
    wire::Writer w(out);
    w.u16(type);
    w.vec16(body);
    return out;
}

// A ServerHello body ending in the given extensions block.
Bytes server_hello_with(std::initializer_list<Bytes> extensions) {
    Bytes out;
    wire::Writer w(out);
    w.u16(kDtls12);
    w.bytes(Random{});
    w.vec8(Bytes{});
    w.u16(0xC02B);
    w.u8(0);
    w.vec16([&] {
        for (const Bytes& e : extensions) w.bytes(e);
    });
    return out;
}

Bytes extensions_block_of(const ServerHello& m) {
    const Bytes all = *encoded(m);
    return Bytes(all.begin() + 38, all.end());  // after the fixed 38-byte ServerHello fields
}

void expect_malformed(const Bytes& body, const std::string& reason) {
    auto r = decode_server_hello(body);
    ASSERT_FALSE(r) << reason;
    EXPECT_EQ(r.error().code, ErrorCode::alert_sent);
    EXPECT_EQ(r.error().alert, Alert::decode_error);
    EXPECT_EQ(r.error().reason, reason);
}

TEST(HandshakeExtensions, NothingPresentMeansNoBlock) {
    ServerHello m;
    EXPECT_EQ(encoded(m)->size(), 38u);
    m.extensions.unknown = {1234};  // a record of what was skipped, never re-sent
    EXPECT_EQ(encoded(m)->size(), 38u);
}

TEST(HandshakeExtensions, EmptyBlockIsValid) {
    auto r = decode_server_hello(server_hello_with({}));
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_FALSE(r->extensions.server_name);
    EXPECT_FALSE(r->extensions.extended_master_secret);
}

TEST(HandshakeExtensions, ExactEncodings) {
    ServerHello m;
    m.extensions.server_name = "a.io";
    m.extensions.supported_groups = {0x001D};
    m.extensions.ec_point_formats = {0};
    m.extensions.signature_algorithms = {0x0403};
    m.extensions.alpn = {"h2"};
    m.extensions.extended_master_secret = true;
    m.extensions.renegotiation_info = Bytes{};
    const Bytes expected = {
        0x00, 0x35,                                                        // block length 53
        0x00, 0x00, 0x00, 0x09, 0x00, 0x07, 0x00, 0x00, 0x04, 'a', '.', 'i', 'o',  // server_name
        0x00, 0x0A, 0x00, 0x04, 0x00, 0x02, 0x00, 0x1D,                    // supported_groups
        0x00, 0x0B, 0x00, 0x02, 0x01, 0x00,                                // ec_point_formats
        0x00, 0x0D, 0x00, 0x04, 0x00, 0x02, 0x04, 0x03,                    // signature_algorithms
        0x00, 0x10, 0x00, 0x05, 0x00, 0x03, 0x02, 'h', '2',                // ALPN
        0x00, 0x17, 0x00, 0x00,                                            // extended_master_secret
        0xFF, 0x01, 0x00, 0x01, 0x00,                                      // renegotiation_info
    };
    EXPECT_EQ(extensions_block_of(m), expected);
}

TEST(HandshakeExtensions, ServerNameAcknowledgementIsAnEmptyBody) {
    ServerHello m;
    m.extensions.server_name = "";
    EXPECT_EQ(extensions_block_of(m), (Bytes{0x00, 0x04, 0x00, 0x00, 0x00, 0x00}));
    auto r = decode_server_hello(*encoded(m));
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_EQ(r->extensions.server_name, std::optional<std::string>(""));
}

// RFC 5077 3.2: the ticket is the whole extension body; a ServerHello's is
// empty.
TEST(HandshakeExtensions, SessionTicketKeepsTheTicketAndIsEmptyInAServerHello) {
    ClientHello ch;
    ch.cipher_suites = {0xC02B};
    ch.compression_methods = {0};
    ch.extensions.session_ticket = Bytes{1, 2, 3, 4, 5};
    auto decoded = decode_client_hello(*encoded(ch));
    ASSERT_TRUE(decoded) << decoded.error().reason;
    EXPECT_EQ(decoded->extensions.session_ticket, ch.extensions.session_ticket);

    ServerHello empty;
    empty.extensions.session_ticket = Bytes{};
    auto answer = decode_server_hello(*encoded(empty));
    ASSERT_TRUE(answer) << answer.error().reason;
    EXPECT_EQ(answer->extensions.session_ticket, std::optional<Bytes>(Bytes{}));

    auto refused = decode_server_hello(server_hello_with({ext(35, {9})}));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().fault, Fault::forbidden_value);
}

TEST(HandshakeExtensions, RenegotiationInfoKeepsItsContents) {
    ServerHello m;
    m.extensions.renegotiation_info = Bytes(24, 0x33);  // client + server verify_data
    auto r = decode_server_hello(*encoded(m));
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_EQ(r->extensions.renegotiation_info, m.extensions.renegotiation_info);
}

TEST(HandshakeExtensions, UnknownTypesAreSkippedAndRecorded) {
    const Bytes body = server_hello_with({
        ext(0x3A3A, {1, 2, 3}),  // GREASE
        ext(23, {}),
        ext(22, {}),  // encrypt_then_mac (RFC 7366): not ours, CBC only
        ext(10, {0x00, 0x02, 0x00, 0x17}),
    });
    auto r = decode_server_hello(body);
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_EQ(r->extensions.unknown, (std::vector<uint16_t>{0x3A3A, 22}));
    EXPECT_TRUE(r->extensions.extended_master_secret);
    EXPECT_EQ(r->extensions.supported_groups, std::vector<uint16_t>{0x0017});
}

// conformance: RFC8446-4.2-5
TEST(HandshakeExtensions, DuplicateKnownExtensionIsIllegal) {
    const Bytes body = server_hello_with({ext(10, {0x00, 0x02, 0x00, 0x17}), ext(23, {}),
                                          ext(10, {0x00, 0x02, 0x00, 0x1D})});
    auto r = decode_server_hello(body);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::alert_sent);
    EXPECT_EQ(r.error().alert, Alert::illegal_parameter);
    EXPECT_EQ(r.error().reason, "ServerHello: duplicate extension 10");
}

TEST(HandshakeExtensions, DuplicateUnknownExtensionIsIllegal) {
    auto r = decode_server_hello(server_hello_with({ext(999, {}), ext(999, {1})}));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().alert, Alert::illegal_parameter);
    EXPECT_EQ(r.error().reason, "ServerHello: duplicate extension 999");
}

TEST(HandshakeExtensions, EmptyRequiredListsAreMalformed) {
    expect_malformed(server_hello_with({ext(10, {0x00, 0x00})}), "ServerHello: malformed extension supported_groups");
    expect_malformed(server_hello_with({ext(11, {0x00})}), "ServerHello: malformed extension ec_point_formats");
    expect_malformed(server_hello_with({ext(13, {0x00, 0x00})}),
                     "ServerHello: malformed extension signature_algorithms");
    expect_malformed(server_hello_with({ext(16, {0x00, 0x00})}),
                     "ServerHello: malformed extension application_layer_protocol_negotiation");
}

TEST(HandshakeExtensions, OddLengthUint16ListsAreMalformed) {
    expect_malformed(server_hello_with({ext(10, {0x00, 0x03, 0x00, 0x17, 0x00})}),
                     "ServerHello: malformed extension supported_groups");
    expect_malformed(server_hello_with({ext(13, {0x00, 0x01, 0x04})}),
                     "ServerHello: malformed extension signature_algorithms");
}

TEST(HandshakeExtensions, EmptyAlpnNameIsMalformed) {
    // list of 4 bytes: "h2" then an empty name.
    expect_malformed(server_hello_with({ext(16, {0x00, 0x04, 0x02, 'h', '2', 0x00})}),
                     "ServerHello: malformed extension application_layer_protocol_negotiation");
}

TEST(HandshakeExtensions, BodyWithBytesLeftOverIsMalformed) {
    expect_malformed(server_hello_with({ext(23, {0x00})}), "ServerHello: malformed extension extended_master_secret");
    expect_malformed(server_hello_with({ext(0xFF01, {0x00, 0x00})}),
                     "ServerHello: malformed extension renegotiation_info");
    expect_malformed(server_hello_with({ext(10, {0x00, 0x02, 0x00, 0x17, 0x99})}),
                     "ServerHello: malformed extension supported_groups");
}

TEST(HandshakeExtensions, MalformedServerNamesAreRejected) {
    const std::string reason = "ServerHello: malformed extension server_name";
    // empty server_name_list
    expect_malformed(server_hello_with({ext(0, {0x00, 0x00})}), reason);
    // empty host_name
    expect_malformed(server_hello_with({ext(0, {0x00, 0x03, 0x00, 0x00, 0x00})}), reason);
    // a name type other than host_name
    expect_malformed(server_hello_with({ext(0, {0x00, 0x04, 0x01, 0x00, 0x01, 'x'})}), reason);
    // two host_names (RFC 6066 3: at most one per type)
    expect_malformed(server_hello_with({ext(0, {0x00, 0x08, 0x00, 0x00, 0x01, 'x', 0x00, 0x00, 0x01, 'y'})}), reason);
}

TEST(HandshakeExtensions, ServerHelloAlpnMustNameOneProtocol) {
    ServerHello m;
    m.extensions.alpn = {"webrtc", "c-webrtc"};
    expect_malformed(*encoded(m), "ServerHello: ALPN must name one protocol");

    ClientHello offer;  // a client may offer several
    offer.cipher_suites = {0xC02B};
    offer.extensions.alpn = m.extensions.alpn;
    Bytes body;
    wire::Writer w(body);
    EXPECT_TRUE(encode(offer, w));
    auto r = decode_client_hello(body);
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_EQ(r->extensions.alpn, m.extensions.alpn);
}

TEST(HandshakeExtensions, ExtensionLongerThanBlockIsMalformed) {
    Bytes body = server_hello_with({ext(23, {})});
    body.back() = 0x05;  // extension claims 5 body bytes, block has none left
    expect_malformed(body, "ServerHello: truncated extension");
}

TEST(HandshakeExtensions, ClientHelloReportsItsOwnName) {
    ClientHello m;
    m.cipher_suites = {0xC02B};
    Bytes body;
    wire::Writer w(body);
    EXPECT_TRUE(encode(m, w));
    const Bytes block = {0x00, 0x08, 0x00, 0x17, 0x00, 0x00, 0x00, 0x17, 0x00, 0x00};
    body.insert(body.end(), block.begin(), block.end());
    auto r = decode_client_hello(body);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().reason, "ClientHello: duplicate extension 23");
}

}  // namespace
}  // namespace dtls::messages
