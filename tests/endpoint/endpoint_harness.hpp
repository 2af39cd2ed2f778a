// Drives a dtls::Endpoint and any number of our clients, each at an address
// of its own, over a lossless in-memory network with a virtual clock.
#pragma once

#include <gtest/gtest.h>

#include <list>
#include <optional>
#include <string>
#include <vector>

#include "dtls/dtls.hpp"
#include "support/certs.hpp"

namespace dtls::test {

inline Config endpoint_server_config() {
    Config config;
    config.credential = std::make_shared<Credential>(credential_of(shared_server_cert()));
    return config;
}

inline Config endpoint_client_config() {
    Config config;
    config.ca_pem = shared_ca().cert_pem();
    config.server_name = "server.test";
    return config;
}

inline Bytes address_of(uint32_t n) {
    return {10, static_cast<uint8_t>(n >> 16), static_cast<uint8_t>(n >> 8), static_cast<uint8_t>(n), 0x12, 0x34};
}

inline std::span<const uint8_t> bytes_of(const std::string& s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

struct EndpointNet {
    Instant now = Instant{} + std::chrono::hours(1);
    Endpoint endpoint;
    // By address. A list (its elements stay where they are), not a map: GCC
    // 12 warns wrongly about the byte comparisons a map of vectors makes in
    // an optimised build.
    std::list<std::pair<Bytes, Connection>> clients;
    std::vector<EndpointEvent> events;
    std::vector<Event> client_events;
    size_t datagrams_to_clients = 0;

    explicit EndpointNet(Endpoint e) : endpoint(std::move(e)) {}

    static EndpointNet make(EndpointLimits limits = {}) {
        auto e = Endpoint::create(endpoint_server_config(), Instant{} + std::chrono::hours(1), limits);
        EXPECT_TRUE(e.ok()) << e.error().to_string();
        return EndpointNet(std::move(*e));
    }

    // A client at `address`, from `factory` when given (else a Client of its
    // own), replacing any client there before.
    Connection& add_client(const Bytes& address, const Client* factory = nullptr) {
        auto c = factory ? factory->connect(now) : Connection::client(endpoint_client_config(), now);
        EXPECT_TRUE(c.ok());
        std::erase_if(clients, [&](const auto& entry) { return entry.first == address; });
        clients.emplace_back(address, std::move(*c));
        return clients.back().second;
    }

    Connection* client_at(const Bytes& address) {
        for (auto& [at, client] : clients) {
            if (at == address) return &client;
        }
        return nullptr;
    }

    // Moves datagrams both ways until nobody has anything to send.
    void pump() {
        Bytes datagram, to;
        for (int round = 0; round < 100; ++round) {
            bool moved = false;
            for (auto& [address, client] : clients) {
                while (client.poll_datagram(datagram)) {
                    endpoint.handle_datagram(address, datagram, now);
                    moved = true;
                }
            }
            while (endpoint.poll_datagram(datagram, to)) {
                ++datagrams_to_clients;
                if (Connection* client = client_at(to)) client->handle_datagram(datagram, now);
                moved = true;
            }
            while (auto e = endpoint.poll_event()) events.push_back(std::move(*e));
            for (auto& [address, client] : clients) {
                while (auto e = client.poll_event()) client_events.push_back(std::move(*e));
            }
            if (!moved) return;
        }
        ADD_FAILURE() << "the network did not settle";
    }

    template <class Kind>
    std::vector<EndpointEvent> events_of() const {
        std::vector<EndpointEvent> out;
        for (const EndpointEvent& e : events) {
            if (std::holds_alternative<Kind>(e.what)) out.push_back(e);
        }
        return out;
    }

    template <class ConnectionEvent>
    size_t connection_events() const {
        size_t n = 0;
        for (const EndpointEvent& e : events) {
            if (auto* ev = std::get_if<Event>(&e.what); ev && std::holds_alternative<ConnectionEvent>(*ev)) ++n;
        }
        return n;
    }
};

}  // namespace dtls::test
