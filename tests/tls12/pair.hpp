// Our client and our server connected back to back through a lossless
// in-memory path with a virtual clock: the simplest harness for handshake
// tests. Lossy links use tests/support/impaired_link.hpp instead.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "dtls/dtls.hpp"
#include "support/dtls12_config.hpp"

namespace dtls::test {

struct Pair {
    Config client_config = dtls12_config();
    Config server_config = dtls12_config();
    Instant now = Instant{} + std::chrono::hours(1);
    std::optional<Connection> client;
    std::optional<Server> server;
    std::optional<Connection> server_conn;
    std::vector<uint8_t> client_address{127, 0, 0, 1, 0x30, 0x39};
    std::vector<Event> client_events;
    std::vector<Event> server_events;
    size_t datagrams_to_server = 0, datagrams_to_client = 0;
    size_t bytes_to_server = 0, bytes_to_client = 0;

    // Creates both sides; false (with a gtest failure) if either is refused.
    bool start() {
        auto s = Server::create(server_config, now);
        if (!s) {
            ADD_FAILURE() << "server: " << s.error().to_string();
            return false;
        }
        server.emplace(std::move(*s));
        auto c = Connection::client(client_config, now);
        if (!c) {
            ADD_FAILURE() << "client: " << c.error().to_string();
            return false;
        }
        client.emplace(std::move(*c));
        return true;
    }

    // Moves datagrams both ways until neither side has anything to send.
    // Returns the number of datagrams moved.
    size_t pump() {
        size_t moved = 0;
        std::vector<uint8_t> d, reply;
        for (int round = 0; round < 100; ++round) {
            size_t before = moved;
            while (client->poll_datagram(d)) {
                ++moved;
                datagrams_to_server++;
                bytes_to_server += d.size();
                if (server_conn) {
                    server_conn->handle_datagram(d, now);
                } else {
                    auto answer = server->handle_datagram(client_address, d, now, reply);
                    if (answer.outcome == Server::Outcome::reply) {
                        datagrams_to_client++;
                        bytes_to_client += reply.size();
                        client->handle_datagram(reply, now);
                    } else if (answer.outcome == Server::Outcome::accepted) {
                        server_conn.emplace(std::move(*answer.connection));
                    }
                }
            }
            if (server_conn) {
                while (server_conn->poll_datagram(d)) {
                    ++moved;
                    datagrams_to_client++;
                    bytes_to_client += d.size();
                    client->handle_datagram(d, now);
                }
            }
            drain_events();
            if (moved == before) break;
        }
        return moved;
    }

    void drain_events() {
        while (auto e = client->poll_event()) client_events.push_back(std::move(*e));
        if (server_conn) {
            while (auto e = server_conn->poll_event()) server_events.push_back(std::move(*e));
        }
    }

    bool handshake() {
        if (!start()) return false;
        pump();
        return client->state() == State::established && server_conn && server_conn->state() == State::established;
    }

    static std::vector<std::string> data_of(const std::vector<Event>& events) {
        std::vector<std::string> out;
        for (const Event& e : events) {
            if (auto* d = std::get_if<event::ApplicationData>(&e)) out.emplace_back(d->data.begin(), d->data.end());
        }
        return out;
    }

    std::string describe() const {
        std::string s = "client state " + std::to_string(static_cast<int>(client->state()));
        if (client->error()) s += " error: " + client->error()->to_string();
        if (server_conn) {
            s += "; server state " + std::to_string(static_cast<int>(server_conn->state()));
            if (server_conn->error()) s += " error: " + server_conn->error()->to_string();
        } else {
            s += "; no server connection";
        }
        return s;
    }
};

inline std::span<const uint8_t> bytes_of(const std::string& s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// One record each way ("hello server" + tag, "hello client" + tag), which must
// be the only application data each side has received so far.
inline void expect_data_both_ways(Pair& p, const std::string& tag = "") {
    ASSERT_TRUE(p.client->send(bytes_of("hello server" + tag), p.now));
    ASSERT_TRUE(p.server_conn->send(bytes_of("hello client" + tag), p.now));
    p.pump();
    EXPECT_EQ(Pair::data_of(p.server_events), std::vector<std::string>{"hello server" + tag});
    EXPECT_EQ(Pair::data_of(p.client_events), std::vector<std::string>{"hello client" + tag});
}

}  // namespace dtls::test
