#include "frontdoor/endpoint.hpp"

#include <algorithm>

#include "engine/connection.hpp"
#include "frontdoor/server_context.hpp"
#include "record/content_type.hpp"
#include "record/unified_header.hpp"

namespace dtls::frontdoor {

namespace {

// Where the CID starts in a datagram whose first record carries one: a
// tls12_cid record's after the type, version, epoch and sequence number
// (RFC 9146 4); a DTLS 1.3 unified header's with the C bit right after its
// first byte (RFC 9147 4). Nothing for a record without a CID.
std::optional<size_t> cid_offset(uint8_t first_byte) {
    if (first_byte == static_cast<uint8_t>(record::ContentType::tls12_cid)) return 11;
    if (record::is_unified_header(first_byte) && (first_byte & 0x10) != 0) return 1;
    return std::nullopt;
}

}  // namespace

Endpoint::Endpoint(FrontDoor front_door, EndpointLimits limits)
    : front_door_(std::move(front_door)),
      limits_(limits),
      cid_length_(front_door_.context()->config->connection_id_length.value_or(0)) {}

Endpoint::Entry* Endpoint::find(ConnectionHandle handle) {
    auto it = connections_.find(handle.value);
    return it == connections_.end() ? nullptr : &it->second;
}

const Endpoint::Entry* Endpoint::find(ConnectionHandle handle) const {
    auto it = connections_.find(handle.value);
    return it == connections_.end() ? nullptr : &it->second;
}

dtls::Endpoint::Routed Endpoint::handle_datagram(std::span<const uint8_t> peer_address,
                                                 std::span<const uint8_t> datagram, Instant now) {
    if (cid_length_ != 0 && !datagram.empty() && cid_offset(datagram[0])) {
        return route_by_cid(peer_address, datagram, now);
    }
    dtls::Endpoint::Routed routed;
    auto known = by_address_.find(key_of(peer_address));
    if (known == by_address_.end()) {
        if (connections_.size() >= limits_.max_connections) {
            routed.route = dtls::Endpoint::Route::refused;
            return routed;
        }
        knock(peer_address, datagram, now, std::nullopt, routed);
        return routed;
    }
    const ConnectionHandle handle{known->second};
    Entry& entry = connections_.at(handle.value);
    if (trace_hook_) trace_hook_(handle);
    entry.last_heard = now;
    if (entry.unconfirmed) entry.unconfirmed->received += datagram.size();
    entry.connection.handle_datagram(datagram, now);
    routed = {dtls::Endpoint::Route::connection, handle};
    // A ClientHello that is not the connection's own: a client restarted on
    // the same address and port (RFC 6347 4.2.8), or a forgery. The front
    // door decides; only a valid cookie replaces the connection.
    if (service(handle)) knock(peer_address, datagram, now, handle, routed);
    return routed;
}

dtls::Endpoint::Routed Endpoint::route_by_cid(std::span<const uint8_t> peer_address,
                                              std::span<const uint8_t> datagram, Instant now) {
    dtls::Endpoint::Routed routed;
    // A CID no connection issued is nobody's: no state is made for it, and
    // the front door has nothing to say to a protected record.
    const size_t at = *cid_offset(datagram[0]);
    auto found = datagram.size() < at + cid_length_ ? by_cid_.end()
                                                    : by_cid_.find(key_of(datagram.subspan(at, cid_length_)));
    if (found == by_cid_.end()) {
        stats_.unknown_connection_id++;
        return routed;
    }
    const ConnectionHandle handle{found->second};
    Entry& entry = connections_.at(handle.value);
    if (trace_hook_) trace_hook_(handle);
    entry.last_heard = now;
    const bool elsewhere = entry.address != key_of(peer_address);
    if (!elsewhere && entry.unconfirmed) entry.unconfirmed->received += datagram.size();
    entry.connection.handle_datagram(datagram, now);
    // RFC 9146 6: the address moves only for a record that authenticated
    // and is newer than any before it (a replayed or reordered one from an
    // old address must not move it back). Records from elsewhere that do
    // not qualify are still delivered.
    if (elsewhere && entry.connection.state() == State::established &&
        entry.connection.engine().last_datagram_had_newest_cid_record()) {
        move_address(handle, entry, key_of(peer_address), datagram.size(), now);
    } else if (!elsewhere && entry.unconfirmed && entry.connection.engine().last_datagram_validated_path()) {
        // RFC 9853 5.1: the path_response to our challenge came back from
        // the address it went to. (One from elsewhere is ignored; a move
        // there starts a validation of its own.)
        entry.unconfirmed.reset();
        stats_.addresses_validated++;
    }
    routed = {dtls::Endpoint::Route::connection, handle};
    if (service(handle)) knock(peer_address, datagram, now, handle, routed);
    return routed;
}

void Endpoint::move_address(ConnectionHandle handle, Entry& entry, std::string_view address, size_t datagram_size,
                            Instant now) {
    std::string old = std::move(entry.address);
    auto by = by_address_.find(old);
    if (by != by_address_.end() && by->second == handle.value) by_address_.erase(by);
    entry.address = std::string(address);
    // Plain records from there (a ClientHello) reach it too, unless the
    // address is another connection's.
    by_address_.try_emplace(entry.address, handle.value);
    entry.unconfirmed = UnconfirmedPath{datagram_size, 0};
    // RFC 9853 3.1: the challenge goes to the new address, within its
    // limit like everything else sent there; its timer is the connection's.
    // Should it fail (no random bytes), the address stays limited until the
    // application confirms it, as without rrc.
    if (entry.connection.negotiated().return_routability_check) (void)entry.connection.engine().challenge_path(now);
    stats_.address_changes++;
    events_.push_back({handle, endpoint_event::AddressChanged{Bytes(old.begin(), old.end()),
                                                              Bytes(entry.address.begin(), entry.address.end())}});
}

bool Endpoint::within_budget(Entry& entry, size_t size) {
    if (!entry.unconfirmed) return true;
    if (entry.unconfirmed->sent + size > kAmplificationFactor * entry.unconfirmed->received) {
        stats_.amplification_limited++;
        return false;
    }
    entry.unconfirmed->sent += size;
    return true;
}

bool Endpoint::confirm_address(ConnectionHandle handle) {
    Entry* entry = find(handle);
    if (!entry || !entry->unconfirmed) return false;
    entry->unconfirmed.reset();
    entry->connection.engine().stop_path_challenge();
    return true;
}

bool Endpoint::register_cid(ConnectionHandle handle, Entry& entry) {
    const Bytes& cid = entry.connection.negotiated().our_connection_id;
    std::string key(key_of(cid));
    if (by_cid_.count(key) != 0) return false;
    by_cid_.emplace(key, handle.value);
    entry.cid = std::move(key);
    return true;
}

void Endpoint::knock(std::span<const uint8_t> peer_address, std::span<const uint8_t> datagram, Instant now,
                     std::optional<ConnectionHandle> replacing, dtls::Endpoint::Routed& routed) {
    FrontDoor::Answer answer = front_door_.handle(peer_address, datagram, now, reply_);
    switch (answer.outcome) {
        case FrontDoor::Outcome::dropped:
            if (!replacing) routed.route = dtls::Endpoint::Route::dropped;
            return;
        case FrontDoor::Outcome::reply:
            parting_.push_back({std::move(reply_), std::string(key_of(peer_address))});
            reply_ = std::vector<uint8_t>();
            if (!replacing) routed.route = dtls::Endpoint::Route::stateless_reply;
            return;
        case FrontDoor::Outcome::accepted: break;
    }
    if (replacing && find(*replacing)) {
        // The restarted client's old association is gone on its side: the
        // connection is dropped without a close_notify.
        erase(*replacing);
        events_.push_back({*replacing, endpoint_event::Removed{endpoint_event::Removed::Reason::replaced}});
    }
    const ConnectionHandle handle = insert(key_of(peer_address), Connection(std::move(answer.connection)), now);
    events_.push_back({handle, endpoint_event::Accepted{replacing}});
    routed = {dtls::Endpoint::Route::accepted, handle};
    service(handle);
}

ConnectionHandle Endpoint::insert(std::string_view address, Connection connection, Instant now) {
    const ConnectionHandle handle{next_handle_++};
    Entry entry{std::move(connection), std::string(address), now, std::nullopt, false, false};
    connections_.emplace(handle.value, std::move(entry));
    by_address_[std::string(address)] = handle.value;
    return handle;
}

void Endpoint::erase(ConnectionHandle handle) {
    auto it = connections_.find(handle.value);
    if (it == connections_.end()) return;
    if (it->second.wake) wakeups_.erase({*it->second.wake, handle.value});
    auto by = by_address_.find(it->second.address);
    if (by != by_address_.end() && by->second == handle.value) by_address_.erase(by);
    if (!it->second.cid.empty()) {
        auto cid = by_cid_.find(it->second.cid);
        if (cid != by_cid_.end() && cid->second == handle.value) by_cid_.erase(cid);
    }
    connections_.erase(it);
}

bool Endpoint::service(ConnectionHandle handle) {
    Entry* entry = find(handle);
    if (!entry) return false;
    // The server issues its CID with its ServerHello: from then on the
    // client's records may carry it.
    if (cid_length_ != 0 && entry->cid.empty() && !entry->connection.negotiated().our_connection_id.empty() &&
        !register_cid(handle, *entry)) {
        stats_.connection_id_collisions++;
        erase(handle);
        events_.push_back({handle, endpoint_event::Removed{endpoint_event::Removed::Reason::connection_id_in_use}});
        return false;
    }
    bool new_client_hello = false;
    while (std::optional<Event> event = entry->connection.poll_event()) {
        if (std::holds_alternative<event::NewClientHello>(*event)) {
            new_client_hello = true;
            continue;
        }
        events_.push_back({handle, std::move(*event)});
    }
    const State state = entry->connection.state();
    if (state == State::closed || state == State::failed) {
        // Over: its last datagrams (an alert, a close_notify) are kept for
        // polling, and the connection is forgotten.
        Bytes datagram;
        while (entry->connection.poll_datagram(datagram)) {
            if (within_budget(*entry, datagram.size())) parting_.push_back({std::move(datagram), entry->address});
        }
        using Reason = endpoint_event::Removed::Reason;
        const Reason reason = entry->idle ? Reason::idle_timeout : state == State::failed ? Reason::failed : Reason::closed;
        erase(handle);
        events_.push_back({handle, endpoint_event::Removed{reason}});
        return false;
    }
    if (!entry->ready) {
        entry->ready = true;
        ready_.push_back(handle.value);
    }
    rearm(handle, *entry);
    return new_client_hello;
}

void Endpoint::rearm(ConnectionHandle handle, Entry& entry) {
    std::optional<Instant> wake = entry.connection.next_timeout();
    if (limits_.idle_timeout) {
        const Instant idle = entry.last_heard + *limits_.idle_timeout;
        wake = wake ? std::min(*wake, idle) : idle;
    }
    if (entry.wake == wake) return;
    if (entry.wake) wakeups_.erase({*entry.wake, handle.value});
    entry.wake = wake;
    if (wake) wakeups_.insert({*wake, handle.value});
}

bool Endpoint::poll_datagram(std::vector<uint8_t>& out, std::vector<uint8_t>& peer_address) {
    if (!parting_.empty()) {
        auto& [datagram, address] = parting_.front();
        out.swap(datagram);
        peer_address.assign(address.begin(), address.end());
        parting_.pop_front();
        return true;
    }
    while (!ready_.empty()) {
        Entry* entry = find(ConnectionHandle{ready_.front()});
        if (entry && entry->connection.poll_datagram(out)) {
            if (!within_budget(*entry, out.size())) continue;  // not sent: over the limit of an unconfirmed address
            peer_address.assign(entry->address.begin(), entry->address.end());
            return true;
        }
        if (entry) entry->ready = false;
        ready_.pop_front();
    }
    out.clear();
    return false;
}

std::optional<EndpointEvent> Endpoint::poll_event() {
    if (events_.empty()) return std::nullopt;
    EndpointEvent event = std::move(events_.front());
    events_.pop_front();
    return event;
}

std::optional<Instant> Endpoint::next_timeout() const {
    if (wakeups_.empty()) return std::nullopt;
    return wakeups_.begin()->first;
}

void Endpoint::handle_timeout(Instant now) {
    std::vector<uint64_t> due;
    for (const auto& [when, handle] : wakeups_) {
        if (when > now) break;
        due.push_back(handle);
    }
    for (uint64_t value : due) {
        const ConnectionHandle handle{value};
        Entry* entry = find(handle);
        if (!entry) continue;
        if (trace_hook_) trace_hook_(handle);
        if (auto t = entry->connection.next_timeout(); t && *t <= now) entry->connection.handle_timeout(now);
        const State state = entry->connection.state();
        const bool live = state == State::handshaking || state == State::established;
        if (live && limits_.idle_timeout && now >= entry->last_heard + *limits_.idle_timeout) {
            entry->idle = true;
            entry->connection.close(now);
        }
        // Re-arm from scratch: the entry's time has passed.
        if (entry->wake) wakeups_.erase({*entry->wake, value});
        entry->wake.reset();
        service(handle);
    }
}

Status Endpoint::send(ConnectionHandle handle, std::span<const uint8_t> data, Instant now) {
    Entry* entry = find(handle);
    if (!entry) return Error{ErrorCode::invalid_argument, std::nullopt, "no such connection"};
    if (trace_hook_) trace_hook_(handle);
    Status sent = entry->connection.send(data, now);
    service(handle);
    return sent;
}

void Endpoint::close(ConnectionHandle handle, Instant now) {
    Entry* entry = find(handle);
    if (!entry) return;
    if (trace_hook_) trace_hook_(handle);
    entry->connection.close(now);
    service(handle);
}

Status Endpoint::set_mtu(ConnectionHandle handle, size_t mtu) {
    Entry* entry = find(handle);
    if (!entry) return Error{ErrorCode::invalid_argument, std::nullopt, "no such connection"};
    return entry->connection.set_mtu(mtu);
}

void Endpoint::close_all(Instant now) {
    std::vector<uint64_t> handles;
    handles.reserve(connections_.size());
    for (const auto& [handle, entry] : connections_) handles.push_back(handle);
    for (uint64_t handle : handles) close(ConnectionHandle{handle}, now);
}

const Connection* Endpoint::connection(ConnectionHandle handle) const {
    const Entry* entry = find(handle);
    return entry ? &entry->connection : nullptr;
}

std::span<const uint8_t> Endpoint::peer_address(ConnectionHandle handle) const {
    const Entry* entry = find(handle);
    if (!entry) return {};
    return {reinterpret_cast<const uint8_t*>(entry->address.data()), entry->address.size()};
}

}  // namespace dtls::frontdoor
