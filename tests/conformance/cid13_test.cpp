// DTLS 1.3 connection IDs (RFC 9147 4 and 9) as the datagrams show them:
// once the ServerHello agreed the CIDs, every datagram either side sends
// carries the receiver's CID, through the handshake, its ACKs, application
// data, a KeyUpdate both ways and the close_notify. Each `// conformance:`
// line names the requirements of docs/conformance.md that the test below it
// checks.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cid/cid_pair.hpp"

namespace dtls::test {
namespace {

struct Seen {
    size_t protected_records = 0;  // unified-header records, each checked for the CID
    size_t plaintext_records = 0;  // the hellos, before any CID is agreed
    size_t datagrams_after_established = 0;
};

// Checks every record of `d`, sent toward a receiver that issued `cid`:
// a protected record carries exactly that CID; a plaintext one is a
// handshake record of epoch 0 (a hello), and none is sent once `established`.
void inspect(Bytes d, const Bytes& cid, bool established, Seen& seen, const char* direction) {
    if (established) ++seen.datagrams_after_established;
    const auto records = records_of(d, cid.size());
    ASSERT_FALSE(records.empty()) << direction;
    for (const auto& r : records) {
        if (r.format == record::HeaderFormat::unified) {
            ++seen.protected_records;
            EXPECT_EQ(Bytes(r.cid.begin(), r.cid.end()), cid) << direction << ": a protected record without the CID";
        } else {
            ++seen.plaintext_records;
            EXPECT_EQ(r.format, record::HeaderFormat::dtls12) << direction;
            EXPECT_EQ(r.epoch, 0u) << direction;
            EXPECT_EQ(r.type, record::ContentType::handshake) << direction;
            EXPECT_FALSE(established) << direction << ": a plaintext record after the handshake";
        }
    }
}

// Moves datagrams both ways, each inspected first, until neither side has
// anything to send.
void pump_inspected(Pair& p, const Bytes& client_cid, const Bytes& server_cid, Seen& to_server, Seen& to_client) {
    Bytes d, reply;
    for (int round = 0; round < 100; ++round) {
        bool moved = false;
        while (p.client->poll_datagram(d)) {
            moved = true;
            inspect(d, server_cid, p.client->state() == State::established, to_server, "client to server");
            if (p.server_conn) {
                p.server_conn->handle_datagram(d, p.now);
                continue;
            }
            auto answer = p.server->handle_datagram(p.client_address, d, p.now, reply);
            if (answer.outcome == Server::Outcome::reply) {
                inspect(reply, client_cid, false, to_client, "server (stateless) to client");
                p.client->handle_datagram(reply, p.now);
            } else if (answer.outcome == Server::Outcome::accepted) {
                p.server_conn.emplace(std::move(*answer.connection));
            }
        }
        while (p.server_conn && p.server_conn->poll_datagram(d)) {
            moved = true;
            inspect(d, client_cid, p.server_conn->state() == State::established, to_client, "server to client");
            p.client->handle_datagram(d, p.now);
        }
        p.drain_events();
        if (!moved) return;
    }
    ADD_FAILURE() << "the datagrams never stopped";
}

// conformance: RFC9147-4-5
TEST(ConformanceCid13, EveryDatagramAfterTheServerHelloCarriesTheReceiversCid) {
    Pair p = cid_pair(4, 3);
    for (Config* c : {&p.client_config, &p.server_config}) c->min_version = c->max_version = ProtocolVersion::dtls1_3;
    const Bytes client_cid{0xc1, 0xc2, 0xc3, 0xc4}, server_cid{0x5e, 0x5f, 0x60};
    p.client_config.connection_id_generator = [client_cid] { return client_cid; };
    p.server_config.connection_id_generator = [server_cid] { return server_cid; };
    Seen to_server, to_client;

    ASSERT_TRUE(p.start());
    pump_inspected(p, client_cid, server_cid, to_server, to_client);
    ASSERT_EQ(p.client->state(), State::established) << p.describe();
    ASSERT_TRUE(p.server_conn && p.server_conn->state() == State::established) << p.describe();
    ASSERT_EQ(p.client->negotiated().our_connection_id, client_cid);
    ASSERT_EQ(p.server_conn->negotiated().our_connection_id, server_cid);

    ASSERT_TRUE(p.client->send(bytes_of("to server"), p.now));
    ASSERT_TRUE(p.server_conn->send(bytes_of("to client"), p.now));
    pump_inspected(p, client_cid, server_cid, to_server, to_client);
    EXPECT_EQ(Pair::data_of(p.server_events), std::vector<std::string>{"to server"});
    EXPECT_EQ(Pair::data_of(p.client_events), std::vector<std::string>{"to client"});

    // A KeyUpdate each way (the client asks the server to update too), and
    // their ACKs.
    const size_t to_server_before = to_server.protected_records, to_client_before = to_client.protected_records;
    ASSERT_TRUE(p.client->update_keys(p.now, true));
    pump_inspected(p, client_cid, server_cid, to_server, to_client);
    EXPECT_GE(to_server.protected_records, to_server_before + 2) << "the KeyUpdate and the ACK of the server's";
    EXPECT_GE(to_client.protected_records, to_client_before + 2) << "the ACK and the server's KeyUpdate";
    ASSERT_TRUE(p.client->send(bytes_of("new keys to server"), p.now));
    ASSERT_TRUE(p.server_conn->send(bytes_of("new keys to client"), p.now));
    pump_inspected(p, client_cid, server_cid, to_server, to_client);
    EXPECT_EQ(Pair::data_of(p.server_events), (std::vector<std::string>{"to server", "new keys to server"}));
    EXPECT_EQ(Pair::data_of(p.client_events), (std::vector<std::string>{"to client", "new keys to client"}));

    p.client->close(p.now);
    pump_inspected(p, client_cid, server_cid, to_server, to_client);
    EXPECT_EQ(p.server_conn->state(), State::closed) << "the close_notify was not read";

    EXPECT_GE(to_client.protected_records, 4u) << "EncryptedExtensions..Finished, data, KeyUpdate";
    EXPECT_GE(to_server.protected_records, 4u) << "Certificate..Finished, data, KeyUpdate, close_notify";
    EXPECT_GE(to_server.datagrams_after_established, 3u);
    EXPECT_GE(to_client.datagrams_after_established, 2u);
    EXPECT_GE(to_server.plaintext_records, 1u) << "the ClientHello";
}

// Three records in one datagram, the second with another CID: the first is
// delivered, the rest of the datagram is discarded (the third too).
// conformance: RFC9147-4-7
TEST(ConformanceCid13, ARecordWithAnotherCidDiscardsTheRestOfTheDatagram) {
    Pair p = cid_pair(4, 3);
    for (Config* c : {&p.client_config, &p.server_config}) c->min_version = c->max_version = ProtocolVersion::dtls1_3;
    const Bytes server_cid{0x5e, 0x5f, 0x60};
    p.server_config.connection_id_generator = [server_cid] { return server_cid; };
    ASSERT_TRUE(p.handshake()) << p.describe();
    p.drain_events();
    p.server_events.clear();

    Bytes datagram, d;
    for (const char* text : {"a", "b", "c"}) {
        ASSERT_TRUE(p.client->send(bytes_of(text), p.now));
        ASSERT_TRUE(p.client->poll_datagram(d));
        ASSERT_EQ(d[0] & 0xE0, 0x20) << "a unified header";
        ASSERT_TRUE(d[0] & 0x10) << "the C bit";
        ASSERT_EQ(Bytes(d.begin() + 1, d.begin() + 4), server_cid);
        if (std::string(text) == "b") d[1] ^= 0xFF;  // another association's CID
        datagram.insert(datagram.end(), d.begin(), d.end());
    }
    ASSERT_EQ(records_of(datagram, server_cid.size()).size(), 3u);
    const uint64_t dropped = p.server_conn->stats().records_dropped;
    p.server_conn->handle_datagram(datagram, p.now);
    p.drain_events();
    EXPECT_EQ(Pair::data_of(p.server_events), std::vector<std::string>{"a"});
    EXPECT_EQ(p.server_conn->stats().records_dropped, dropped + 1);
}

}  // namespace
}  // namespace dtls::test
