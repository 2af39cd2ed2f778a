#include "ours_side.hpp"

#include "pki.hpp"

namespace dtls::bench {

Config client_config(const OursOptions& options) {
    Config c;
    c.cipher_suites = {options.suite};
    c.mtu = options.mtu;
    c.verify_peer = options.verify_peer;
    if (options.verify_peer) {
        c.ca_pem = pki().ca_pem;
        c.server_name = kServerName;
    }
    return c;
}

Config server_config(const OursOptions& options) {
    Config c;
    c.cipher_suites = {options.suite};
    c.mtu = options.mtu;
    c.cookies = options.cookies;
    c.credential = pki().servers.at(options.server_certificate).credential;
    return c;
}

namespace {

void drain_events(Connection& connection) {
    while (connection.poll_event()) {
    }
}

}  // namespace

std::optional<Established> handshake(Server& server, const Client& client_factory, std::span<const uint8_t> address,
                                     Instant now, std::vector<uint8_t>& scratch) {
    Result<Connection> made = client_factory.connect(now);
    if (!made) return std::nullopt;
    Connection client = std::move(*made);
    std::optional<Connection> accepted;
    std::vector<uint8_t> reply;
    // A lossless handshake with cookies takes five passes; the bound only
    // stops a broken one.
    for (int round = 0; round < 32; ++round) {
        bool moved = false;
        while (client.poll_datagram(scratch)) {
            moved = true;
            if (accepted) {
                accepted->handle_datagram(scratch, now);
                continue;
            }
            Server::Answer answer = server.handle_datagram(address, scratch, now, reply);
            if (answer.outcome == Server::Outcome::reply) client.handle_datagram(reply, now);
            if (answer.outcome == Server::Outcome::accepted) accepted = std::move(answer.connection);
        }
        while (accepted && accepted->poll_datagram(scratch)) {
            moved = true;
            client.handle_datagram(scratch, now);
        }
        if (!moved) break;
    }
    if (!accepted || client.state() != State::established || accepted->state() != State::established)
        return std::nullopt;
    drain_events(client);
    drain_events(*accepted);
    return Established{std::move(client), std::move(*accepted)};
}

}  // namespace dtls::bench
