// The server's connections, keyed by peer address, with one ordered set of
// wake-up times so the event loop sleeps exactly until the earliest
// retransmission timer or idle deadline of any peer. Bounded by
// --max-connections; a peer silent for --idle-timeout is due for closing.
#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "address.hpp"
#include "dtls/connection.hpp"

namespace dtls_tool {

struct Peer {
    dtls::Connection connection;
    SocketAddress address;
    std::string name;  // printable address
    dtls::Instant last_heard;
    std::optional<dtls::Instant> wake;  // its entry in the table's wake-up set
    bool handshake_done = false;
};

class PeerTable {
public:
    PeerTable(size_t max_connections, dtls::Duration idle_timeout)
        : max_connections_(max_connections), idle_timeout_(idle_timeout) {}

    // Keys are SocketAddress::key() bytes.
    Peer* find(const std::string& key);
    bool full() const { return peers_.size() >= max_connections_; }
    size_t size() const { return peers_.size(); }

    Peer& insert(const std::string& key, SocketAddress address, dtls::Connection connection, dtls::Instant now);
    void erase(const std::string& key);

    // Recomputes a peer's wake-up time after anything touched its connection.
    void rearm(const std::string& key, Peer& peer);

    std::optional<dtls::Instant> next_wake() const;
    // Keys of the peers whose wake-up time has come.
    std::vector<std::string> due(dtls::Instant now) const;
    bool idle(const Peer& peer, dtls::Instant now) const { return now >= peer.last_heard + idle_timeout_; }

    std::vector<std::string> keys() const;

private:
    size_t max_connections_;
    dtls::Duration idle_timeout_;
    std::unordered_map<std::string, Peer> peers_;
    std::set<std::pair<dtls::Instant, std::string>> wakeups_;
};

}  // namespace dtls_tool
