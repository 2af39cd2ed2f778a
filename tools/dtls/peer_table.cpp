#include "peer_table.hpp"

#include <algorithm>

namespace dtls_tool {

Peer* PeerTable::find(const std::string& key) {
    auto it = peers_.find(key);
    return it == peers_.end() ? nullptr : &it->second;
}

Peer& PeerTable::insert(const std::string& key, SocketAddress address, dtls::Connection connection,
                        dtls::Instant now) {
    Peer peer{std::move(connection), address, address.to_string(), now, std::nullopt, false};
    auto [it, inserted] = peers_.insert_or_assign(key, std::move(peer));
    rearm(key, it->second);
    return it->second;
}

void PeerTable::erase(const std::string& key) {
    auto it = peers_.find(key);
    if (it == peers_.end()) return;
    if (it->second.wake) wakeups_.erase({*it->second.wake, key});
    peers_.erase(it);
}

void PeerTable::rearm(const std::string& key, Peer& peer) {
    dtls::Instant wake = peer.last_heard + idle_timeout_;
    if (auto timer = peer.connection.next_timeout()) wake = std::min(wake, *timer);
    if (peer.wake == wake) return;
    if (peer.wake) wakeups_.erase({*peer.wake, key});
    peer.wake = wake;
    wakeups_.insert({wake, key});
}

std::optional<dtls::Instant> PeerTable::next_wake() const {
    if (wakeups_.empty()) return std::nullopt;
    return wakeups_.begin()->first;
}

std::vector<std::string> PeerTable::due(dtls::Instant now) const {
    std::vector<std::string> out;
    for (const auto& [when, key] : wakeups_) {
        if (when > now) break;
        out.push_back(key);
    }
    return out;
}

std::vector<std::string> PeerTable::keys() const {
    std::vector<std::string> out;
    out.reserve(peers_.size());
    for (const auto& [key, peer] : peers_) out.push_back(key);
    return out;
}

}  // namespace dtls_tool
