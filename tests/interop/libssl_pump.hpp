// Moves datagrams between one of our endpoints and a libssl peer, lossless,
// with a virtual clock. Lossy runs use tests/support/impaired_link.hpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dtls/dtls.hpp"
#include "support/openssl_peer.hpp"

namespace dtls::test {

// Our client against a libssl server.
struct ClientVsLibssl {
    Connection client;
    OpenSslPeer& peer;
    Instant now;
    std::vector<Event> events;

    void pump() {
        std::vector<uint8_t> d;
        for (int round = 0; round < 100; ++round) {
            bool moved = false;
            while (client.poll_datagram(d)) {
                peer.receive(d);
                moved = true;
            }
            while (peer.poll_datagram(d)) {
                client.handle_datagram(d, now);
                moved = true;
            }
            while (auto e = client.poll_event()) events.push_back(std::move(*e));
            if (!moved) break;
        }
    }
};

// A libssl client against our server front door and connection.
struct LibsslVsServer {
    Server server;
    OpenSslPeer& peer;
    Instant now;
    std::optional<Connection> conn;
    std::vector<Event> events;
    std::vector<uint8_t> address{127, 0, 0, 1, 0x12, 0x34};
    unsigned hello_verify_requests = 0;

    void pump() {
        std::vector<uint8_t> d, reply;
        for (int round = 0; round < 100; ++round) {
            bool moved = false;
            while (peer.poll_datagram(d)) {
                moved = true;
                if (conn) {
                    conn->handle_datagram(d, now);
                    continue;
                }
                auto answer = server.handle_datagram(address, d, now, reply);
                if (answer.outcome == Server::Outcome::reply) {
                    ++hello_verify_requests;
                    peer.receive(reply);
                } else if (answer.outcome == Server::Outcome::accepted) {
                    conn.emplace(std::move(*answer.connection));
                }
            }
            if (conn) {
                while (conn->poll_datagram(d)) {
                    peer.receive(d);
                    moved = true;
                }
                while (auto e = conn->poll_event()) events.push_back(std::move(*e));
            }
            if (!moved) break;
        }
    }
};

inline std::vector<std::string> received_strings(const std::vector<Event>& events) {
    std::vector<std::string> out;
    for (const Event& e : events) {
        if (auto* d = std::get_if<event::ApplicationData>(&e)) out.emplace_back(d->data.begin(), d->data.end());
    }
    return out;
}

inline std::vector<std::string> strings_of(const std::vector<std::vector<uint8_t>>& records) {
    std::vector<std::string> out;
    for (const auto& r : records) out.emplace_back(r.begin(), r.end());
    return out;
}

inline std::span<const uint8_t> bytes_of(const std::string& s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

}  // namespace dtls::test
