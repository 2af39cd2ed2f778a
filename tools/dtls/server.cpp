// dtls server: one UDP socket, many clients. A datagram from a known address
// goes to that peer's Connection; any other goes to the stateless front door
// (dtls::Server), which answers with a cookie and creates a Connection only
// when the cookie comes back. All retransmission timers and idle deadlines
// sit in one ordered set (PeerTable), so one poll() waits for everything.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "address.hpp"
#include "dtls/dtls.hpp"
#include "failure.hpp"
#include "keylog.hpp"
#include "peer_table.hpp"
#include "poller.hpp"
#include "run.hpp"
#include "server_stats.hpp"
#include "signals.hpp"
#include "tool_config.hpp"
#include "trace.hpp"
#include "udp_socket.hpp"

namespace dtls_tool {

namespace {

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
    ServerLoop(const ServerOptions& options, UdpSocket socket, dtls::Server front_door, StopSignals signals,
               std::shared_ptr<TracePrinter> trace, Instant now)
        : options_(options),
          socket_(std::move(socket)),
          front_door_(std::move(front_door)),
          signals_(std::move(signals)),
          trace_(std::move(trace)),
          peers_(options.max_connections, seconds(options.idle_timeout_seconds)),
          buffer_(65536),
          next_stats_(now + seconds(options.stats_interval_seconds)) {
        socket_slot_ = poller_.watch(socket_.fd());
        signal_slot_ = poller_.watch(signals_.fd());
        socket_.enlarge_receive_buffer(receive_buffer_bytes);
        socket_.count_kernel_drops();
    }

    int run() {
        for (;;) {
            Instant now = Clock::now();
            if (poller_.readable(signal_slot_) && signals_.take()) return shut_down(now);
            if (poller_.readable(socket_slot_)) receive(now);
            fire_due(now);
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
            if (Peer* peer = peers_.find(key)) {
                peer->last_heard = now;
                set_trace_peer(peer->name);
                const uint64_t dropped_before = peer->connection.stats().records_dropped;
                peer->connection.handle_datagram(datagram, now);
                stats_.dropped_records += peer->connection.stats().records_dropped - dropped_before;
                // A ClientHello that is not the connection's own: a client
                // restarted on the same port (RFC 6347 4.2.8). The front door
                // decides; a valid cookie replaces the old connection.
                if (service(key, *peer, now)) knock(key, from, datagram, now);
            } else {
                knock(key, from, datagram, now);
            }
        }
    }

    // A datagram from an address with no connection, or a new ClientHello
    // from one that has: the front door decides.
    void knock(const std::string& key, const SocketAddress& from, std::span<const uint8_t> datagram, Instant now) {
        const bool replacing = peers_.find(key) != nullptr;
        if (peers_.full() && !replacing) {
            ++stats_.dropped_full;
            trace_line(from.to_string(), "front door: dropped, --max-connections reached");
            return;
        }
        set_trace_peer(from.to_string());
        dtls::Server::Answer answer = front_door_.handle_datagram(as_bytes(key), datagram, now, reply_);
        switch (answer.outcome) {
            case dtls::Server::Outcome::dropped:
                ++stats_.dropped_not_hello;
                trace_line(from.to_string(), "front door: dropped, not a ClientHello we answer");
                break;
            case dtls::Server::Outcome::reply:
                ++stats_.hello_verify_sent;
                trace_line(from.to_string(), "front door: HelloVerifyRequest sent (stateless cookie)");
                send_to(from, reply_);
                break;
            case dtls::Server::Outcome::accepted: {
                ++stats_.accepted;
                trace_line(from.to_string(), "front door: cookie valid, connection accepted");
                if (replacing) {
                    std::fprintf(stderr, "%s restarted its handshake: the new connection replaces the old one\n",
                                 from.to_string().c_str());
                    peers_.erase(key);
                }
                Peer& peer = peers_.insert(key, from, std::move(*answer.connection), now);
                service(key, peer, now);
                break;
            }
        }
    }

    // Retransmission timers and idle deadlines that have come.
    void fire_due(Instant now) {
        for (const std::string& key : peers_.due(now)) {
            Peer* peer = peers_.find(key);
            if (!peer) continue;
            set_trace_peer(peer->name);
            if (auto t = peer->connection.next_timeout(); t && *t <= now) peer->connection.handle_timeout(now);
            if (peers_.idle(*peer, now) && peer->connection.state() != dtls::State::closed &&
                peer->connection.state() != dtls::State::failed) {
                ++stats_.idle_closed;
                std::fprintf(stderr, "%s idle for %g s: closing\n", peer->name.c_str(), options_.idle_timeout_seconds);
                peer->connection.close(now);
            }
            service(key, *peer, now);
        }
    }

    // After any input to a connection: handle its events, send what it has
    // queued, then forget it if it is over or re-arm its wake-up time.
    // Returns whether the connection reported a new ClientHello.
    bool service(const std::string& key, Peer& peer, Instant now) {
        bool new_client_hello = false;
        while (auto event = peer.connection.poll_event()) {
            if (std::holds_alternative<dtls::event::HandshakeComplete>(*event)) {
                peer.handshake_done = true;
                ++stats_.handshakes_done;
                const dtls::Negotiated& n = peer.connection.negotiated();
                std::fprintf(stderr, "%s handshake done: %s, %s, %s%s%s\n", peer.name.c_str(),
                             dtls::to_string(n.version), dtls::to_string(n.cipher_suite), dtls::to_string(n.group),
                             n.alpn.empty() ? "" : ", ALPN ", n.alpn.c_str());
            } else if (auto* data = std::get_if<dtls::event::ApplicationData>(&*event)) {
                print_record(peer.name, data->data);
                if (options_.echo) {
                    if (auto sent = peer.connection.send(data->data, now); !sent) {
                        std::fprintf(stderr, "%s cannot echo: %s\n", peer.name.c_str(),
                                     sent.error().to_string().c_str());
                    }
                }
            } else if (std::holds_alternative<dtls::event::Closed>(*event)) {
                std::fprintf(stderr, "%s closed\n", peer.name.c_str());
            } else if (std::holds_alternative<dtls::event::NewClientHello>(*event)) {
                new_client_hello = true;
            } else if (auto* failed = std::get_if<dtls::event::Failed>(&*event)) {
                if (!peer.handshake_done) ++stats_.handshakes_failed;
                std::fprintf(stderr, "%s %s: %s\n", peer.name.c_str(),
                             peer.handshake_done ? "failed" : "handshake failed", failed->error.to_string().c_str());
            }
        }
        while (peer.connection.poll_datagram(outgoing_)) send_to(peer.address, outgoing_);

        const dtls::State state = peer.connection.state();
        if (state == dtls::State::closed || state == dtls::State::failed) {
            peers_.erase(key);
        } else {
            peers_.rearm(key, peer);
        }
        return new_client_hello;
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
        size_t closed = 0;
        for (const std::string& key : peers_.keys()) {
            Peer* peer = peers_.find(key);
            set_trace_peer(peer->name);
            peer->connection.close(now);
            while (peer->connection.poll_datagram(outgoing_)) send_to(peer->address, outgoing_);
            ++closed;
        }
        std::fprintf(stderr, "stopping: sent close_notify to %zu peer%s\n", closed, closed == 1 ? "" : "s");
        if (options_.stats) print_stats();
        return exit_ok;
    }

    std::optional<Instant> next_wake() const {
        std::optional<Instant> wake = peers_.next_wake();
        if (options_.stats) wake = wake ? std::min(*wake, next_stats_) : next_stats_;
        return wake;
    }

    void print_stats() {
        stats_.dropped_receive_buffer = socket_.kernel_drops();
        std::fprintf(stderr, "%s\n", stats_.line(peers_.size()).c_str());
    }

    void set_trace_peer(const std::string& name) {
        if (trace_) trace_->set_peer(name);
    }
    void trace_line(const std::string& peer, const char* text) const {
        if (trace_) trace_->line(peer, text);
    }

    const ServerOptions& options_;
    UdpSocket socket_;
    dtls::Server front_door_;
    StopSignals signals_;
    std::shared_ptr<TracePrinter> trace_;
    PeerTable peers_;
    ServerStats stats_;

    Poller poller_;
    size_t socket_slot_ = 0;
    size_t signal_slot_ = 0;
    std::vector<uint8_t> buffer_;
    std::vector<uint8_t> outgoing_;
    std::vector<uint8_t> reply_;
    Instant next_stats_;
};

dtls::ClientAuth client_auth_of(const std::string& verify_client) {
    if (verify_client == "require") return dtls::ClientAuth::require;
    if (verify_client == "optional") return dtls::ClientAuth::request;
    return dtls::ClientAuth::none;
}

dtls::Result<dtls::Config> server_config(const ServerOptions& options) {
    dtls::Config config;
    auto credential = load_credential(options.cert, options.key);
    if (!credential) return credential.error();
    config.credential = *credential;
    if (auto ca = check_ca_file(options.ca); !ca) return ca.error();
    config.ca_file = options.ca;
    config.client_auth = client_auth_of(options.verify_client);
    if (config.client_auth != dtls::ClientAuth::none && options.ca.empty()) {
        return failure("--verify-client " + options.verify_client + " needs --ca FILE to check client certificates");
    }
    config.alpn = options.alpn;
    config.mtu = options.mtu;
    config.cookies = !options.no_cookie;
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

    auto front_door = dtls::Server::create(*config, start);
    if (!front_door) return fail_with(front_door.error(), exit_failure);
    auto address = resolve(*listen, true);
    if (!address) return fail_with(address.error(), exit_failure);
    auto socket = UdpSocket::bind(*address);
    if (!socket) return fail_with(socket.error(), exit_failure);
    auto signals = StopSignals::open();
    if (!signals) return fail_with(signals.error(), exit_failure);

    // Tests and scripts read the port from this line when they asked for 0.
    std::fprintf(stderr, "listening on %s\n", socket->local().to_string().c_str());
    ServerLoop loop(options, std::move(*socket), std::move(*front_door), std::move(*signals), trace, start);
    return loop.run();
}

}  // namespace dtls_tool
