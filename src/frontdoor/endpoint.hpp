// The implementation of dtls::Endpoint (include/dtls/endpoint.hpp): the
// routing table from peer address to connection, the front door for
// everything else, one ordered set of wake-up times for all connections, and
// the queues of datagrams and events to hand out.
//
// Routing is by address, and, for tls12_cid records (RFC 9146) and DTLS 1.3
// records with the C bit (RFC 9147 9) when the
// configuration issues CIDs, by the CID: a second table, consulted first for
// records that carry one, so that a client keeps its connection when its
// address changes. All CIDs of one endpoint have the configured length,
// which is how the CID is found in a record before its connection is.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "dtls/endpoint.hpp"
#include "engine/fifo.hpp"
#include "frontdoor/front_door.hpp"

namespace dtls::frontdoor {

class Endpoint {
public:
    Endpoint(FrontDoor front_door, EndpointLimits limits);

    dtls::Endpoint::Routed handle_datagram(std::span<const uint8_t> peer_address, std::span<const uint8_t> datagram,
                                           Instant now);
    bool poll_datagram(std::vector<uint8_t>& out, std::vector<uint8_t>& peer_address);
    std::optional<EndpointEvent> poll_event();
    std::optional<Instant> next_timeout() const;
    void handle_timeout(Instant now);

    Status send(ConnectionHandle handle, std::span<const uint8_t> data, Instant now);
    void close(ConnectionHandle handle, Instant now);
    Status set_mtu(ConnectionHandle handle, size_t mtu);
    void close_all(Instant now);

    void set_trace_hook(std::function<void(ConnectionHandle)> hook) { trace_hook_ = std::move(hook); }

    const Connection* connection(ConnectionHandle handle) const;
    std::span<const uint8_t> peer_address(ConnectionHandle handle) const;
    size_t size() const { return connections_.size(); }
    bool confirm_address(ConnectionHandle handle);
    const EndpointStats& stats() const { return stats_; }

private:
    // RFC 9853's anti-amplification limit on an address a connection moved
    // to that is not confirmed yet (by the application, or by RFC 9853's
    // path_response when rrc was negotiated): we send at most
    // kAmplificationFactor times what came from there.
    static constexpr uint64_t kAmplificationFactor = 3;
    struct UnconfirmedPath {
        uint64_t received = 0;  // bytes of datagrams from it
        uint64_t sent = 0;      // bytes of datagrams to it
    };

    struct Entry {
        Connection connection;
        std::string address;
        Instant last_heard{};
        std::optional<Instant> wake;  // its entry in wakeups_
        bool ready = false;           // in ready_: may have datagrams to poll
        bool idle = false;            // closed for EndpointLimits::idle_timeout
        std::string cid = {};         // the CID it issued, once registered in by_cid_; empty if none
        std::optional<UnconfirmedPath> unconfirmed = {};  // its address moved and is not confirmed yet
    };

    // Address lookups by the bytes given, without building a string.
    struct AddressHash {
        using is_transparent = void;
        size_t operator()(std::string_view address) const { return std::hash<std::string_view>{}(address); }
    };

    static std::string_view key_of(std::span<const uint8_t> address) {
        return {reinterpret_cast<const char*>(address.data()), address.size()};
    }

    Entry* find(ConnectionHandle handle);
    const Entry* find(ConnectionHandle handle) const;
    ConnectionHandle insert(std::string_view address, Connection connection, Instant now);
    // Removes a connection at once, keeping nothing it had to send.
    void erase(ConnectionHandle handle);
    // After any input to a connection: takes its events, marks it as having
    // datagrams to poll, re-arms its timer, and forgets it once it is over
    // (its last datagrams kept for polling). Returns whether it reported a
    // ClientHello that is not its own (a restarted client).
    bool service(ConnectionHandle handle);
    void knock(std::span<const uint8_t> peer_address, std::span<const uint8_t> datagram, Instant now,
               std::optional<ConnectionHandle> replacing, dtls::Endpoint::Routed& routed);
    void rearm(ConnectionHandle handle, Entry& entry);
    // A datagram whose first record carries a CID (tls12_cid, or a unified
    // header with the C bit), routed by its CID.
    dtls::Endpoint::Routed route_by_cid(std::span<const uint8_t> peer_address, std::span<const uint8_t> datagram,
                                        Instant now);
    // Registers the CID a connection issued once it has one; false if
    // another connection holds it (the new one is then removed).
    bool register_cid(ConnectionHandle handle, Entry& entry);
    // Also starts RFC 9853's path validation there when rrc was negotiated.
    void move_address(ConnectionHandle handle, Entry& entry, std::string_view address, size_t datagram_size,
                      Instant now);
    // Whether `size` more bytes to the entry's address keep to its limit
    // (counting them if so).
    bool within_budget(Entry& entry, size_t size);

    FrontDoor front_door_;
    EndpointLimits limits_;
    uint64_t next_handle_ = 1;
    std::unordered_map<uint64_t, Entry> connections_;
    std::unordered_map<std::string, uint64_t, AddressHash, std::equal_to<>> by_address_;
    std::unordered_map<std::string, uint64_t, AddressHash, std::equal_to<>> by_cid_;
    size_t cid_length_ = 0;  // of the CIDs this endpoint's connections issue; 0: none
    EndpointStats stats_;
    std::set<std::pair<Instant, uint64_t>> wakeups_;
    engine::Fifo<uint64_t> ready_;
    // Datagrams that no live connection holds: front door replies, and the
    // last datagrams of connections that are over (their alert or close_notify).
    engine::Fifo<std::pair<Bytes, std::string>> parting_;
    engine::Fifo<EndpointEvent> events_;
    std::vector<uint8_t> reply_;
    std::function<void(ConnectionHandle)> trace_hook_;
};

}  // namespace dtls::frontdoor
