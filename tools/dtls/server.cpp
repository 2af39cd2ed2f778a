// dtls server: one UDP socket, many clients, one dtls::Endpoint. The
// endpoint routes each datagram to its connection, answers new clients with
// a stateless cookie, lets restarted clients back in, closes idle ones and
// keeps every timer; this loop only moves datagrams between the socket and
// the endpoint and prints what happens.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <unordered_map>
#include <memory>
#include <optional>
#include <string>

#include "address.hpp"
#include "dtls/dtls.hpp"
#include "failure.hpp"
#include "keylog.hpp"
#include "poller.hpp"
#include "run.hpp"
#include "server_stats.hpp"
#include "signals.hpp"
#include "summary.hpp"
#include "tool_config.hpp"
#include "trace.hpp"
#include "udp_socket.hpp"

namespace dtls_tool {

namespace {

// --resume: how many DTLS 1.2 sessions the server keeps by ID (a few hundred
// bytes each).
constexpr size_t kResumableSessions = 1024;

using dtls::Clock;
using dtls::Instant;

// Datagrams read per wake-up before timers get their turn, so a flood on the
// socket cannot starve retransmissions.
constexpr int max_datagrams_per_wake = 512;

// Room for a burst of a few thousand small datagrams (ClientHellos from many
// clients at once); the kernel caps it at net.core.rmem_max.
constexpr int receive_buffer_bytes = 4 << 20;

// "PEER: text", with a newline unless the record ends with one.
void print_record(const std::string& peer, const dtls::Bytes& data) {
    std::fprintf(stdout, "%s: ", peer.c_str());
    if (!data.empty()) std::fwrite(data.data(), 1, data.size(), stdout);
    if (data.empty() || data.back() != '\n') std::fputc('\n', stdout);
    std::fflush(stdout);
}

std::span<const uint8_t> as_bytes(const std::string& text) {
    return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

class ServerLoop {
public:
    ServerLoop(const ServerOptions& options, UdpSocket socket, dtls::Endpoint endpoint, StopSignals signals,
               std::shared_ptr<TracePrinter> trace, Instant now)
        : options_(options),
          socket_(std::move(socket)),
          endpoint_(std::move(endpoint)),
          signals_(std::move(signals)),
          trace_(std::move(trace)),
          buffer_(65536),
          next_stats_(now + seconds(options.stats_interval_seconds)) {
        socket_slot_ = poller_.watch(socket_.fd());
        signal_slot_ = poller_.watch(signals_.fd());
        if (trace_) {
            // Label the engine's trace lines with the peer the endpoint is driving.
            endpoint_.set_trace_hook([this](dtls::ConnectionHandle handle) {
                if (auto it = peers_.find(handle.value); it != peers_.end()) set_trace_peer(it->second.name);
            });
        }
        socket_.enlarge_receive_buffer(receive_buffer_bytes);
        socket_.count_kernel_drops();
    }

    int run() {
        for (;;) {
            Instant now = Clock::now();
            if (poller_.readable(signal_slot_) && signals_.take()) return shut_down(now);
            if (poller_.readable(socket_slot_)) receive(now);
            if (auto t = endpoint_.next_timeout(); t && *t <= now) endpoint_.handle_timeout(now);
            drain(now);
            if (options_.stats && now >= next_stats_) {
                print_stats();
                next_stats_ = now + seconds(options_.stats_interval_seconds);
            }
            if (auto waited = poller_.wait(next_wake()); !waited) {
                report(waited.error());
                return exit_failure;
            }
        }
    }

private:
    void receive(Instant now) {
        SocketAddress from;
        for (int i = 0; i < max_datagrams_per_wake; ++i) {
            auto size = socket_.receive(buffer_, &from);
            if (!size || !*size) return;  // drained (errors on an unconnected socket are transient)
            ++stats_.datagrams_in;
            stats_.bytes_in += **size;
            std::span<const uint8_t> datagram(buffer_.data(), **size);
            const std::string key = from.key();
            const std::string name = from.to_string();
            set_trace_peer(name);
            const uint64_t unknown_cids = endpoint_.stats().unknown_connection_id;
            const uint64_t validated = endpoint_.stats().addresses_validated;
            dtls::Endpoint::Routed routed = endpoint_.handle_datagram(as_bytes(key), datagram, now);
            if (endpoint_.stats().addresses_validated != validated) {
                std::fprintf(stderr, "%s address confirmed (return routability check)\n", name.c_str());
            }
            switch (routed.route) {
                case dtls::Endpoint::Route::connection: count_dropped_records(*routed.connection); break;
                case dtls::Endpoint::Route::accepted:
                    // Named now: the connection may already be gone when its
                    // events are read (a hello refused at once).
                    peers_[routed.connection->value] = Peer{name};
                    break;
                case dtls::Endpoint::Route::stateless_reply:
                    ++stats_.cookies_sent;
                    trace_line(name, "front door: stateless cookie sent (HelloVerifyRequest, or HelloRetryRequest to DTLS 1.3)");
                    break;
                case dtls::Endpoint::Route::dropped:
                    if (endpoint_.stats().unknown_connection_id != unknown_cids) {
                        ++stats_.dropped_unknown_cid;
                        trace_line(name, "dropped: a connection ID no connection issued");
                        break;
                    }
                    ++stats_.dropped_not_hello;
                    trace_line(name, "front door: dropped, not a ClientHello we answer");
                    break;
                case dtls::Endpoint::Route::refused:
                    ++stats_.dropped_full;
                    trace_line(name, "front door: dropped, --max-connections reached");
                    break;
            }
            drain(now);
        }
    }

    // After any input: print what the connections report, then send what
    // the endpoint has queued.
    void drain(Instant now) {
        while (auto event = endpoint_.poll_event()) handle(*event, now);
        while (endpoint_.poll_datagram(outgoing_, destination_)) {
            if (auto to = SocketAddress::from_key(destination_)) send_to(*to, outgoing_);
        }
    }

    void handle(const dtls::EndpointEvent& event, Instant now) {
        const uint64_t id = event.connection.value;
        if (const auto* accepted = std::get_if<dtls::endpoint_event::Accepted>(&event.what)) {
            ++stats_.accepted;
            if (!peers_.count(id)) peers_[id] = Peer{address_of(event.connection)};
            const std::string& name = peers_[id].name;
            trace_line(name, "front door: cookie valid, connection accepted");
            if (accepted->replaced) {
                std::fprintf(stderr, "%s restarted its handshake: the new connection replaces the old one\n",
                             name.c_str());
            }
            return;
        }
        Peer& peer = peers_[id];
        const std::string& name = peer.name;
        if (const auto* removed = std::get_if<dtls::endpoint_event::Removed>(&event.what)) {
            if (removed->reason == dtls::endpoint_event::Removed::Reason::idle_timeout) {
                ++stats_.idle_closed;
                std::fprintf(stderr, "%s idle for %g s: closing\n", name.c_str(), options_.idle_timeout_seconds);
            }
            peers_.erase(id);
            return;
        }
        if (const auto* moved = std::get_if<dtls::endpoint_event::AddressChanged>(&event.what)) {
            const auto to = SocketAddress::from_key(moved->now_at);
            const std::string new_name = to ? to->to_string() : "an unknown address";
            std::fprintf(stderr, "%s moved to %s (connection ID)\n", name.c_str(), new_name.c_str());
            peer.name = new_name;
            return;
        }
        const dtls::Event& e = std::get<dtls::Event>(event.what);
        set_trace_peer(name);
        if (std::holds_alternative<dtls::event::HandshakeComplete>(e)) {
            peer.handshake_done = true;
            ++stats_.handshakes_done;
            if (const dtls::Connection* connection = endpoint_.connection(event.connection)) {
                const std::string summary = describe(connection->negotiated());
                std::fprintf(stderr, "%s handshake done: %s\n", name.c_str(), summary.c_str());
                if (auto limits = describe_record_size_limit(connection->negotiated())) {
                    std::fprintf(stderr, "%s %s\n", name.c_str(), limits->c_str());
                }
                if (auto cids = describe_connection_id(connection->negotiated())) {
                    std::fprintf(stderr, "%s %s\n", name.c_str(), cids->c_str());
                }
                if (auto rrc = describe_return_routability_check(connection->negotiated())) {
                    std::fprintf(stderr, "%s %s\n", name.c_str(), rrc->c_str());
                }
                if (options_.export_request) {
                    auto line = exported_keying_material(*connection, *options_.export_request);
                    std::fprintf(stderr, "%s %s\n", name.c_str(),
                                 line ? line->c_str() : line.error().to_string().c_str());
                }
            } else {
                std::fprintf(stderr, "%s handshake done\n", name.c_str());  // and already over
            }
        } else if (const auto* data = std::get_if<dtls::event::ApplicationData>(&e)) {
            print_record(name, data->data);
            if (options_.echo) {
                if (auto sent = endpoint_.send(event.connection, data->data, now); !sent) {
                    std::fprintf(stderr, "%s cannot echo: %s\n", name.c_str(), sent.error().to_string().c_str());
                }
            }
        } else if (std::holds_alternative<dtls::event::Closed>(e)) {
            std::fprintf(stderr, "%s closed\n", name.c_str());
        } else if (const auto* failed = std::get_if<dtls::event::Failed>(&e)) {
            if (!peer.handshake_done) ++stats_.handshakes_failed;
            std::fprintf(stderr, "%s %s: %s\n", name.c_str(), peer.handshake_done ? "failed" : "handshake failed",
                         failed->error.to_string().c_str());
        }
    }

    // Adds the records a connection dropped since it was last asked.
    void count_dropped_records(dtls::ConnectionHandle handle) {
        const dtls::Connection* connection = endpoint_.connection(handle);
        auto peer = peers_.find(handle.value);
        if (!connection || peer == peers_.end()) return;
        const uint64_t dropped = connection->stats().records_dropped;
        stats_.dropped_records += dropped - peer->second.records_dropped;
        peer->second.records_dropped = dropped;
    }

    std::string address_of(dtls::ConnectionHandle connection) const {
        auto address = SocketAddress::from_key(endpoint_.peer_address(connection));
        return address ? address->to_string() : std::string("?");
    }

    void send_to(const SocketAddress& to, std::span<const uint8_t> datagram) {
        switch (socket_.send_to(to, datagram)) {
            case UdpSocket::SendResult::sent:
                ++stats_.datagrams_out;
                stats_.bytes_out += datagram.size();
                break;
            case UdpSocket::SendResult::dropped: ++stats_.dropped_send_buffer; break;
            case UdpSocket::SendResult::failed: break;  // e.g. an unroutable peer: its timers will give up
        }
    }

    // SIGINT or SIGTERM: close_notify to every peer, then exit 0.
    int shut_down(Instant now) {
        const size_t open = endpoint_.size();
        endpoint_.close_all(now);
        drain(now);
        std::fprintf(stderr, "stopping: sent close_notify to %zu peer%s\n", open, open == 1 ? "" : "s");
        if (options_.stats) print_stats();
        return exit_ok;
    }

    std::optional<Instant> next_wake() const {
        std::optional<Instant> wake = endpoint_.next_timeout();
        if (options_.stats) wake = wake ? std::min(*wake, next_stats_) : next_stats_;
        return wake;
    }

    void print_stats() {
        stats_.dropped_receive_buffer = socket_.kernel_drops();
        std::fprintf(stderr, "%s\n", stats_.line(endpoint_.size()).c_str());
    }

    void set_trace_peer(const std::string& name) {
        if (trace_) trace_->set_peer(name);
    }
    void trace_line(const std::string& peer, const char* text) const {
        if (trace_) trace_->line(peer, text);
    }

    const ServerOptions& options_;
    UdpSocket socket_;
    dtls::Endpoint endpoint_;
    StopSignals signals_;
    std::shared_ptr<TracePrinter> trace_;
    ServerStats stats_;
    // What the loop remembers of each connection, by handle.
    struct Peer {
        std::string name;  // printable address
        bool handshake_done = false;
        uint64_t records_dropped = 0;  // counted into stats_ so far
    };
    std::unordered_map<uint64_t, Peer> peers_;

    Poller poller_;
    size_t socket_slot_ = 0;
    size_t signal_slot_ = 0;
    std::vector<uint8_t> buffer_;
    std::vector<uint8_t> outgoing_;
    std::vector<uint8_t> destination_;
    Instant next_stats_;
};

dtls::ClientAuth client_auth_of(const std::string& verify_client) {
    if (verify_client == "require") return dtls::ClientAuth::require;
    if (verify_client == "optional") return dtls::ClientAuth::request;
    return dtls::ClientAuth::none;
}

dtls::Result<dtls::Config> server_config(const ServerOptions& options) {
    dtls::Config config;
    if (options.self_signed || !options.cert.empty() || !options.rpk_key.empty()) {
        auto credential = options.self_signed        ? self_signed_credential()
                          : !options.rpk_key.empty() ? load_raw_key_credential(options.rpk_key)
                                                     : load_credential(options.cert, options.key);
        if (!credential) return credential.error();
        config.credential = *credential;
    }
    if (auto ca = check_ca_file(options.ca); !ca) return ca.error();
    config.ca_file = options.ca;
    config.peer_fingerprints = options.peer_fingerprints;
    config.client_auth = client_auth_of(options.verify_client);
    if (config.client_auth != dtls::ClientAuth::none && options.ca.empty() && options.peer_fingerprints.empty() &&
        options.rpk_peers.empty()) {
        return failure("--verify-client " + options.verify_client +
                       " needs --ca FILE, --peer-fingerprint or --rpk-peer to check client certificates");
    }
    if (config.client_auth == dtls::ClientAuth::none && !options.rpk_peers.empty()) {
        return failure("--rpk-peer needs --verify-client optional or require: without it no client key is asked for");
    }
    auto raw_keys = load_raw_public_keys(options.rpk_peers);
    if (!raw_keys) return raw_keys.error();
    config.trusted_raw_public_keys = std::move(*raw_keys);
    // Raw public keys (RFC 7250) first when we have or trust one; X.509
    // for our certificate, or for clients checked with --ca or fingerprints.
    config.certificate_types.clear();
    if (!options.rpk_peers.empty() || !options.rpk_key.empty()) {
        config.certificate_types.push_back(dtls::CertificateType::raw_public_key);
    }
    if (options.rpk_key.empty() || !options.ca.empty() || !options.peer_fingerprints.empty()) {
        config.certificate_types.push_back(dtls::CertificateType::x509);
    }
    // The library would accept them and never look at them.
    if (config.client_auth == dtls::ClientAuth::none && !options.peer_fingerprints.empty()) {
        return failure("--peer-fingerprint needs --verify-client optional or require: without it no client "
                       "certificate is asked for");
    }
    // The library refuses this too, but in terms of its Config.
    if (config.client_auth != dtls::ClientAuth::none && options.session_tickets > 0) {
        return failure("--session-tickets needs --verify-client none: a resumed client shows no certificate");
    }
    if (config.client_auth != dtls::ClientAuth::none && options.resume) {
        return failure("--resume needs --verify-client none: a resumed client shows no certificate");
    }
    config.alpn = options.alpn;
    config.record_size_limit = options.record_size_limit;
    config.connection_id_length = options.cid_length;
    config.return_routability_check = !options.no_rrc;
    config.srtp_profiles = options.srtp;
    config.srtp_accept_mki = options.srtp_accept_mki;
    config.mtu = options.mtu;
    options.versions.apply_to(config);
    apply_psk(options.psk, options.cipher_suites, config.credential != nullptr, config);
    config.cookies = !options.no_cookie;
    config.session_tickets = options.session_tickets;
    if (options.resume) {
        config.session_cache_capacity = kResumableSessions;
        if (config.session_tickets == 0) config.session_tickets = 1;
    }
    config.session_ticket_lifetime = std::chrono::seconds(options.ticket_lifetime_seconds);
    return config;
}

}  // namespace

int run_server(const ServerOptions& options) {
    const Instant start = Clock::now();
    auto listen = parse_host_port(options.listen);
    if (!listen) return fail_with(listen.error(), exit_usage);
    auto config = server_config(options);
    if (!config) return fail_with(config.error(), exit_failure);
    auto keylog = KeylogWriter::open(options.keylog);
    if (!keylog) return fail_with(keylog.error(), exit_failure);
    install_keylog(*config, *keylog);
    auto trace = options.trace ? std::make_shared<TracePrinter>(start) : nullptr;
    install_trace(*config, trace);

    dtls::EndpointLimits limits;
    limits.max_connections = options.max_connections;
    limits.idle_timeout = seconds(options.idle_timeout_seconds);
    auto endpoint = dtls::Endpoint::create(*config, start, limits);
    if (!endpoint) return fail_with(endpoint.error(), exit_failure);
    auto address = resolve(*listen, true);
    if (!address) return fail_with(address.error(), exit_failure);
    auto socket = UdpSocket::bind(*address);
    if (!socket) return fail_with(socket.error(), exit_failure);
    auto signals = StopSignals::open();
    if (!signals) return fail_with(signals.error(), exit_failure);

    // Before "listening on", which scripts wait for: the fingerprint is then
    // there to read.
    if (options.self_signed) print_fingerprint(*config->credential);
    // Tests and scripts read the port from this line when they asked for 0.
    std::fprintf(stderr, "listening on %s\n", socket->local().to_string().c_str());
    ServerLoop loop(options, std::move(*socket), std::move(*endpoint), std::move(*signals), trace, start);
    return loop.run();
}

}  // namespace dtls_tool
