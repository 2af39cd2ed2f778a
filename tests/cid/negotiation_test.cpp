// RFC 9146 3 and 4 between our own client and server: what each side
// offers and accepts, what Negotiated reports, the tls12_cid records that
// follow (and the ones that do not), the payload that still fits the MTU,
// and a ServerHello that answers connection_id unasked or malformed.
#include <gtest/gtest.h>

#include "cid/cid_pair.hpp"
#include "messages/codec.hpp"
#include "messages/extensions.hpp"
#include "messages/messages.hpp"
#include "record/cid_header.hpp"
#include "wire/reader.hpp"
#include "wire/writer.hpp"

namespace dtls::test {
namespace {

TEST(CidNegotiation, BothSidesIssueCidsAndReportThem) {
    Pair p = cid_pair(4, 8);
    ASSERT_TRUE(p.handshake()) << p.describe();
    const Negotiated& c = p.client->negotiated();
    const Negotiated& s = p.server_conn->negotiated();
    EXPECT_TRUE(c.connection_id);
    EXPECT_TRUE(s.connection_id);
    EXPECT_EQ(c.our_connection_id.size(), 4u);
    EXPECT_EQ(s.our_connection_id.size(), 8u);
    EXPECT_EQ(c.peer_connection_id, s.our_connection_id);
    EXPECT_EQ(s.peer_connection_id, c.our_connection_id);
    expect_data_both_ways(p);
}

TEST(CidNegotiation, RandomCidsDifferBetweenConnections) {
    Pair a = cid_pair(8, 8);
    Pair b = cid_pair(8, 8);
    ASSERT_TRUE(a.handshake());
    ASSERT_TRUE(b.handshake());
    EXPECT_NE(a.server_conn->negotiated().our_connection_id, b.server_conn->negotiated().our_connection_id);
    EXPECT_NE(a.client->negotiated().our_connection_id, b.client->negotiated().our_connection_id);
}

TEST(CidNegotiation, TheGeneratorSuppliesTheCid) {
    Pair p = cid_pair(0, 3);
    p.server_config.connection_id_generator = [] { return Bytes{0xbe, 0xef, 0x01}; };
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_EQ(p.client->negotiated().peer_connection_id, (Bytes{0xbe, 0xef, 0x01}));
    EXPECT_TRUE(p.server_conn->negotiated().peer_connection_id.empty());
}

TEST(CidNegotiation, AGeneratorOfTheWrongLengthFailsTheHandshake) {
    Pair p = cid_pair(0, 4);
    p.server_config.connection_id_generator = [] { return Bytes{1, 2}; };
    ASSERT_FALSE(p.handshake());
    ASSERT_TRUE(p.server_conn.has_value());
    ASSERT_TRUE(p.server_conn->error());
    EXPECT_EQ(p.server_conn->error()->fault, Fault::internal_failure);
}

TEST(CidNegotiation, AServerWithoutCidsDoesNotAnswer) {
    Pair p = cid_pair(4, std::nullopt);
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_FALSE(p.client->negotiated().connection_id);
    EXPECT_FALSE(p.server_conn->negotiated().connection_id);
    expect_data_both_ways(p);
}

TEST(CidNegotiation, AServerAnswersOnlyAClientThatOffered) {
    Pair p = cid_pair(std::nullopt, 4);
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_FALSE(p.client->negotiated().connection_id);
    EXPECT_FALSE(p.server_conn->negotiated().connection_id);
}

TEST(CidNegotiation, ALengthOverTheMaximumIsRefused) {
    Pair p = cid_pair(Config::max_connection_id_length + 1, std::nullopt);
    EXPECT_FALSE(Connection::client(p.client_config, p.now).ok());
}

// Protected records carry the receiver's CID, in tls12_cid records; a
// direction whose receiver asked for none uses RFC 6347's records.
// conformance: RFC9146-3-3 RFC9146-3-4 RFC9146-3-7 RFC9146-3-8 RFC9146-5-1
TEST(CidRecords, EachDirectionCarriesTheReceiversCid) {
    Pair p = cid_pair(0, 6);
    ASSERT_TRUE(p.handshake()) << p.describe();
    const Bytes server_cid = p.server_conn->negotiated().our_connection_id;
    ASSERT_EQ(server_cid.size(), 6u);

    ASSERT_TRUE(p.client->send(bytes_of("to server"), p.now));
    Bytes d;
    ASSERT_TRUE(p.client->poll_datagram(d));
    auto records = records_of(d, 6);
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].format, record::HeaderFormat::dtls12_cid);
    EXPECT_EQ(Bytes(records[0].cid.begin(), records[0].cid.end()), server_cid);
    EXPECT_EQ(records[0].epoch, 1u);
    p.server_conn->handle_datagram(d, p.now);

    ASSERT_TRUE(p.server_conn->send(bytes_of("to client"), p.now));
    ASSERT_TRUE(p.server_conn->poll_datagram(d));
    records = records_of(d, 0);
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].format, record::HeaderFormat::dtls12);
    EXPECT_EQ(records[0].type, record::ContentType::application_data);
    p.client->handle_datagram(d, p.now);
    p.drain_events();
    EXPECT_EQ(Pair::data_of(p.server_events), std::vector<std::string>{"to server"});
    EXPECT_EQ(Pair::data_of(p.client_events), std::vector<std::string>{"to client"});
}

// The CID and the inner content type cost bytes in every record: the
// largest payload send() accepts still makes a datagram of at most the MTU.
// conformance: RFC9146-3-2
TEST(CidRecords, TheLargestPayloadStillFitsTheMtu) {
    for (size_t length : {1u, 32u}) {
        Pair p = cid_pair(length, length);
        p.client_config.mtu = p.server_config.mtu = 500;
        ASSERT_TRUE(p.handshake()) << p.describe();
        const size_t most = p.client->max_payload();
        Pair plain = cid_pair(std::nullopt, std::nullopt);
        plain.client_config.mtu = plain.server_config.mtu = 500;
        ASSERT_TRUE(plain.handshake());
        EXPECT_EQ(plain.client->max_payload() - most, length + 1) << "the CID and the inner type byte";
        const std::string payload(most, 'x');
        ASSERT_TRUE(p.client->send(bytes_of(payload), p.now));
        EXPECT_FALSE(p.client->send(bytes_of(payload + "x"), p.now));
        Bytes d;
        ASSERT_TRUE(p.client->poll_datagram(d));
        EXPECT_EQ(d.size(), 500u);
        p.server_conn->handle_datagram(d, p.now);
        p.drain_events();
        EXPECT_EQ(Pair::data_of(p.server_events), std::vector<std::string>{payload});
    }
}

// RFC 9146 5: the inner plaintext (content and type byte) is at most 2^14
// bytes, so at the largest MTU one byte of content less fits a record.
// conformance: RFC9146-5-2
TEST(CidRecords, AtTheLargestMtuARecordHoldsOneByteLess) {
    Pair p = cid_pair(4, 4);
    p.client_config.mtu = p.server_config.mtu = Config::max_mtu;
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_EQ(p.client->max_payload(), 16383u);
    const std::string payload(16383, 'z');
    ASSERT_TRUE(p.client->send(bytes_of(payload), p.now));
    p.pump();
    EXPECT_EQ(Pair::data_of(p.server_events), std::vector<std::string>{payload});
}

// The server's flights during the handshake fit the MTU with the CID too.
TEST(CidRecords, HandshakeFlightsFitASmallMtu) {
    Pair p = cid_pair(32, 32);
    p.client_config.mtu = p.server_config.mtu = Config::min_mtu;
    ASSERT_TRUE(p.start());
    size_t largest = 0;
    Bytes d, reply;
    for (int round = 0; round < 50; ++round) {
        bool moved = false;
        while (p.client->poll_datagram(d)) {
            largest = std::max(largest, d.size());
            moved = true;
            if (p.server_conn) {
                p.server_conn->handle_datagram(d, p.now);
            } else {
                auto answer = p.server->handle_datagram(p.client_address, d, p.now, reply);
                if (answer.outcome == Server::Outcome::reply) p.client->handle_datagram(reply, p.now);
                if (answer.outcome == Server::Outcome::accepted) p.server_conn.emplace(std::move(*answer.connection));
            }
        }
        while (p.server_conn && p.server_conn->poll_datagram(d)) {
            largest = std::max(largest, d.size());
            moved = true;
            p.client->handle_datagram(d, p.now);
        }
        if (!moved) break;
    }
    EXPECT_EQ(p.client->state(), State::established);
    EXPECT_LE(largest, Config::min_mtu);
}

// A ServerHello is rewritten on its way to the client; the client's answer
// is the alert, and its error names the fault.
struct ServerHelloEdit {
    std::optional<Bytes> connection_id;  // what the ServerHello's connection_id becomes
    bool malformed = false;              // a body whose length byte overruns it
    bool rrc = false;                    // add RFC 9853's rrc
};

Error client_error_after(Pair& p, const ServerHelloEdit& edit) {
    EXPECT_TRUE(p.start());
    Bytes d, reply;
    // Cookie exchange, then the ClientHello that creates the connection.
    for (int i = 0; i < 2 && p.client->poll_datagram(d); ++i) {
        auto answer = p.server->handle_datagram(p.client_address, d, p.now, reply);
        if (answer.outcome == Server::Outcome::reply) p.client->handle_datagram(reply, p.now);
        if (answer.outcome == Server::Outcome::accepted) p.server_conn.emplace(std::move(*answer.connection));
    }
    EXPECT_TRUE(p.server_conn.has_value());
    EXPECT_TRUE(p.server_conn->poll_datagram(d));
    // The first record is the ServerHello, alone in its handshake fragment.
    wire::Reader r(d);
    std::span<const uint8_t> header, record_body;
    EXPECT_TRUE(r.bytes(11, header));
    EXPECT_TRUE(r.vec16(record_body));
    auto sh = messages::decode_server_hello(record_body.subspan(12));
    EXPECT_TRUE(sh.ok());
    sh->extensions.connection_id = edit.connection_id;
    if (edit.rrc) sh->extensions.rrc = true;
    Bytes body;
    wire::Writer bw(body);
    EXPECT_TRUE(messages::encode(*sh, bw));
    if (edit.malformed) {
        // Find connection_id's type and length and make its CID length
        // byte overrun the body.
        for (size_t i = 0; i + 4 < body.size(); ++i) {
            if (body[i] == 0 && body[i + 1] == 54 && body[i + 2] == 0 && body[i + 3] == 1 + edit.connection_id->size()) {
                body[i + 4] = static_cast<uint8_t>(edit.connection_id->size() + 1);
                break;
            }
        }
    }
    Bytes out(header.begin(), header.end());
    wire::Writer w(out);
    w.vec16([&] {
        w.u8(2);  // server_hello
        w.u24(static_cast<uint32_t>(body.size()));
        w.bytes(record_body.subspan(4, 2));  // message_seq
        w.u24(0);                            // fragment_offset
        w.u24(static_cast<uint32_t>(body.size()));
        w.bytes(body);
    });
    p.client->handle_datagram(out, p.now);
    EXPECT_EQ(p.client->state(), State::failed);
    return p.client->error().value_or(Error{});
}

TEST(CidNegotiation, AnAnswerToAnOfferNeverMadeIsUnsupportedExtension) {
    Pair p = cid_pair(std::nullopt, std::nullopt);
    const Error e = client_error_after(p, {Bytes{1, 2, 3}, false});
    EXPECT_EQ(e.fault, Fault::unsolicited_extension);
    EXPECT_EQ(e.alert, Alert::unsupported_extension);
}

// RFC 9147 9 keeps RFC 9146 3's rule: a DTLS 1.3 ServerHello answering an
// offer the client did not make is refused the same way.
TEST(CidNegotiation, ADtls13ServerHelloWithAnUnofferedCidIsUnsupportedExtension) {
    Pair p = cid_pair(std::nullopt, std::nullopt);
    for (Config* c : {&p.client_config, &p.server_config}) {
        c->min_version = c->max_version = ProtocolVersion::dtls1_3;
    }
    const Error e = client_error_after(p, {Bytes{1, 2, 3}, false});
    EXPECT_EQ(e.fault, Fault::unsolicited_extension);
    EXPECT_EQ(e.alert, Alert::unsupported_extension);
}

// RFC 9853 3: rrc only when the client offered it (a client with
// return_routability_check off does not, nor one offering no CID: here a
// DTLS 1.3 one).
TEST(CidNegotiation, AnRrcAnswerToAnOfferNeverMadeIsUnsupportedExtension) {
    Pair p = cid_pair(4, std::nullopt);
    p.client_config.return_routability_check = false;
    const Error e = client_error_after(p, {Bytes{1, 2, 3}, false, true});
    EXPECT_EQ(e.fault, Fault::unsolicited_extension);
    EXPECT_EQ(e.alert, Alert::unsupported_extension);

    Pair q = cid_pair(std::nullopt, std::nullopt);
    for (Config* c : {&q.client_config, &q.server_config}) {
        c->min_version = c->max_version = ProtocolVersion::dtls1_3;
    }
    const Error e13 = client_error_after(q, {std::nullopt, false, true});
    EXPECT_EQ(e13.fault, Fault::unsolicited_extension);
    EXPECT_EQ(e13.alert, Alert::unsupported_extension);
}

TEST(CidNegotiation, AMalformedAnswerIsDecodeError) {
    Pair p = cid_pair(4, std::nullopt);
    const Error e = client_error_after(p, {Bytes{1, 2, 3}, true});
    EXPECT_EQ(e.fault, Fault::malformed_message);
    EXPECT_EQ(e.alert, Alert::decode_error);
}

// conformance: RFC9146-3-1
TEST(CidExtension, TheCodecReadsWhatItWritesAndRefusesAnOverrun) {
    for (const Bytes& cid : {Bytes{}, Bytes{7}, Bytes(255, 9)}) {
        messages::Extensions e;
        e.connection_id = cid;
        Bytes block;
        wire::Writer w(block);
        ASSERT_TRUE(messages::encode_extensions_block(e, messages::ExtensionContext::client_hello, w));
        // type 54, length 1 + |cid|, the length byte, the CID
        EXPECT_EQ(block.size(), 2u + 4u + 1u + cid.size());
        wire::Reader r(block);
        messages::Extensions back;
        ASSERT_TRUE(messages::decode_extensions_block(r, messages::ExtensionContext::server_hello, "ServerHello", back));
        EXPECT_EQ(back.connection_id, cid);
    }
    const Bytes overrun = {0, 6, 0, 54, 0, 2, 5, 1};
    wire::Reader r(overrun);
    messages::Extensions back;
    const Status s = messages::decode_extensions_block(r, messages::ExtensionContext::client_hello, "ClientHello", back);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().fault, Fault::malformed_message);
    // Not in DTLS 1.3's EncryptedExtensions: DTLS 1.3 CIDs are not supported.
    Bytes block;
    wire::Writer w(block);
    messages::Extensions e;
    e.connection_id = Bytes{1};
    EXPECT_FALSE(messages::encode_extensions_block(e, messages::ExtensionContext::encrypted_extensions, w));
}

}  // namespace
}  // namespace dtls::test
