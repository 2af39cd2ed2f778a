// Our side of the benchmark: configurations doing the same work as the
// libssl side (libssl_side.hpp), and a driver that runs one handshake from a
// new client through the server front door to two established connections.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "dtls/dtls.hpp"

namespace dtls::bench {

struct OursOptions {
    CipherSuite suite = CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256;
    bool cookies = true;      // server: HelloVerifyRequest before any state
    bool verify_peer = true;  // client: check the chain and the host name
    size_t mtu = 1200;
    size_t server_certificate = 0;  // server: which of pki().servers
};

Config client_config(const OursOptions& options);
Config server_config(const OursOptions& options);

// Runs a handshake between a new connection from `client` and `server`,
// which sees the client at `address`. On success both connections are
// established and their events drained.
struct Established {
    Connection client;
    Connection server;
};
std::optional<Established> handshake(Server& server, const Client& client, std::span<const uint8_t> address,
                                     Instant now, std::vector<uint8_t>& scratch);

}  // namespace dtls::bench
