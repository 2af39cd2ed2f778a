// A client and a server connection caught mid-handshake, for flooding: the
// client has sent its cookie-carrying ClientHello and waits for the server's
// flight, which the server has produced but the test holds back. finish()
// delivers it and completes the handshake, to show a flood did not break
// the connection.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "dtls/dtls.hpp"
#include "support/dtls12_config.hpp"
#include "support/certs.hpp"

namespace dtls::test {

struct LiveConnections {
    Instant now = Instant{} + std::chrono::hours(2);
    std::vector<uint8_t> address{198, 51, 100, 7, 0x1f, 0x90};
    std::optional<Server> server;
    std::optional<Connection> client;
    std::optional<Connection> server_conn;
    std::vector<Bytes> held_server_flight;
    Bytes cookie_hello;  // the client's second ClientHello, with its cookie

    explicit LiveConnections(Config client_config = dtls12_config(), Config server_config = dtls12_config()) {
        static const Credential credential = credential_of(self_signed(KeyKind::ecdsa_p256, "limits.test"));
        server_config.credential = std::make_shared<const Credential>(credential);
        client_config.verify_peer = false;
        auto s = Server::create(server_config, now);
        auto c = Connection::client(client_config, now);
        if (!s || !c) {
            ADD_FAILURE() << "cannot create the endpoints";
            return;
        }
        server.emplace(std::move(*s));
        client.emplace(std::move(*c));
        Bytes d, reply;
        for (int hello = 0; hello < 2 && client->poll_datagram(d); ++hello) {
            auto answer = server->handle_datagram(address, d, now, reply);
            if (answer.outcome == Server::Outcome::reply) client->handle_datagram(reply, now);
            if (answer.outcome == Server::Outcome::accepted) {
                server_conn.emplace(std::move(*answer.connection));
                cookie_hello = d;
            }
        }
        if (!server_conn) {
            ADD_FAILURE() << "the front door did not accept the client";
            return;
        }
        while (server_conn->poll_datagram(d)) held_server_flight.push_back(d);
    }

    bool ready() const { return client && server_conn && !held_server_flight.empty(); }

    // Delivers the held flight and runs the handshake to its end; true if
    // both sides are established and application data crosses both ways.
    bool finish() {
        Bytes d;
        for (const Bytes& f : held_server_flight) client->handle_datagram(f, now);
        for (int round = 0; round < 20; ++round) {
            bool moved = false;
            while (client->poll_datagram(d)) {
                server_conn->handle_datagram(d, now);
                moved = true;
            }
            while (server_conn->poll_datagram(d)) {
                client->handle_datagram(d, now);
                moved = true;
            }
            if (!moved) break;
        }
        if (client->state() != State::established || server_conn->state() != State::established) return false;
        const uint8_t ping[] = {'p', 'i', 'n', 'g'};
        if (!client->send(ping, now) || !server_conn->send(ping, now)) return false;
        bool client_got = false, server_got = false;
        while (client->poll_datagram(d)) server_conn->handle_datagram(d, now);
        while (server_conn->poll_datagram(d)) client->handle_datagram(d, now);
        while (auto e = client->poll_event()) client_got |= std::holds_alternative<event::ApplicationData>(*e);
        while (auto e = server_conn->poll_event()) server_got |= std::holds_alternative<event::ApplicationData>(*e);
        return client_got && server_got;
    }
};

}  // namespace dtls::test
