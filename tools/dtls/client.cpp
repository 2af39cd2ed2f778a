// dtls client: one connection to one server. Standard input is read only once
// the handshake is complete; each line becomes one record, and each record
// that comes back is printed on standard output. With --resume, a first
// connection only fetches a session (ticket), and the second one resumes it.
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "address.hpp"
#include "dtls/dtls.hpp"
#include "failure.hpp"
#include "keylog.hpp"
#include "line_reader.hpp"
#include "poller.hpp"
#include "run.hpp"
#include "signals.hpp"
#include "summary.hpp"
#include "tool_config.hpp"
#include "trace.hpp"
#include "udp_socket.hpp"

namespace dtls_tool {

namespace {

using dtls::Clock;
using dtls::Instant;

void print_record(const dtls::Bytes& data) {
    if (!data.empty()) std::fwrite(data.data(), 1, data.size(), stdout);
    if (data.empty() || data.back() != '\n') std::fputc('\n', stdout);
    std::fflush(stdout);
}

// The session cache of --resume: the library's in-memory cache, counting the
// sessions stored so that the first connection knows when its session has
// arrived, and noting the version of the last one. The tool drives its
// connections from one thread, so plain members do.
class CountingCache : public dtls::SessionCache {
public:
    CountingCache() : cache_(dtls::SessionCache::in_memory()) {}

    void store(dtls::Session session) override {
        last_version_ = session.version();
        cache_->store(std::move(session));
        ++stored_;
    }
    std::optional<dtls::Session> take(std::string_view server_name, Instant now) override {
        return cache_->take(server_name, now);
    }

    uint64_t stored() const { return stored_; }
    dtls::ProtocolVersion last_version() const { return last_version_; }

private:
    std::shared_ptr<dtls::SessionCache> cache_;
    uint64_t stored_ = 0;
    dtls::ProtocolVersion last_version_ = dtls::ProtocolVersion::dtls1_3;
};

// What a ClientSession is for: the lines of standard input, or (the first
// connection of --resume) only a session ticket in the cache, after which it
// closes.
enum class Purpose { lines, ticket };

class ClientSession {
public:
    // `cache` is the one in the connection's Config, for Purpose::ticket
    // (null for Purpose::lines).
    ClientSession(const ClientOptions& options, Purpose purpose, UdpSocket socket, dtls::Connection connection,
                  StopSignals& signals, const CountingCache* cache, std::string peer_name, Instant now)
        : options_(options),
          purpose_(purpose),
          socket_(std::move(socket)),
          connection_(std::move(connection)),
          signals_(signals),
          cache_(cache),
          peer_name_(std::move(peer_name)),
          input_(STDIN_FILENO),
          buffer_(65536),
          deadline_(now + seconds(options.timeout_seconds)) {
        socket_slot_ = poller_.watch(socket_.fd());
        signal_slot_ = poller_.watch(signals_.fd());
    }

    // The exit status; with Purpose::ticket, exit_ok also when a signal
    // stopped it before the ticket came (see has_ticket()).
    int run() {
        for (;;) {
            const Instant now = Clock::now();
            if (poller_.readable(signal_slot_) && signals_.take()) return close_and_exit(now);
            if (poller_.readable(socket_slot_)) {
                if (auto received = receive(now); !received) return fail(received.error());
            }
            if (auto t = connection_.next_timeout(); t && *t <= now) connection_.handle_timeout(now);
            if (std::optional<int> status = handle_events(now)) return *status;
            if (stdin_slot_ && poller_.readable(*stdin_slot_)) {
                if (auto read = read_input(now); !read) return fail(read.error());
            }
            flush();

            if (purpose_ == Purpose::ticket && has_ticket()) return close_and_exit(now);
            if (waiting() && now >= deadline_) {
                if (established_) close_and_exit(now);  // only the ticket is missing: a clean end for the server
                const std::string what = established_ ? "no session ticket from " : "no handshake with ";
                return fail(failure(what + peer_name_ + " within " + format_seconds(options_.timeout_seconds) +
                                    " seconds"));
            }
            if (established_ && input_.exhausted() && (answered_ >= sent_ || now >= linger_deadline())) {
                return close_and_exit(now);
            }
            if (auto waited = poller_.wait(next_wake()); !waited) return fail(waited.error());
        }
    }

    // Purpose::ticket: the server's ticket has arrived (in the cache).
    bool has_ticket() const { return cache_ && cache_->stored() > 0; }

private:
    // Still within --timeout's bound: the handshake, and for Purpose::ticket
    // the wait for the ticket after it.
    bool waiting() const { return !established_ || (purpose_ == Purpose::ticket && !has_ticket()); }

    dtls::Status receive(Instant now) {
        for (;;) {
            auto size = socket_.receive(buffer_, nullptr);
            if (!size) return failure("cannot reach " + peer_name_ + ": " + size.error().reason);
            if (!*size) return dtls::Ok{};
            connection_.handle_datagram(std::span(buffer_.data(), **size), now);
        }
    }

    // An exit status once the session is over, or nothing while it goes on.
    std::optional<int> handle_events(Instant now) {
        while (auto event = connection_.poll_event()) {
            if (std::holds_alternative<dtls::event::HandshakeComplete>(*event)) {
                established_ = true;
                last_activity_ = now;
                std::fprintf(stderr, "connected to %s: %s\n", peer_name_.c_str(),
                             describe(connection_.negotiated()).c_str());
                if (auto limits = describe_record_size_limit(connection_.negotiated())) {
                    std::fprintf(stderr, "%s\n", limits->c_str());
                }
                if (auto cids = describe_connection_id(connection_.negotiated())) {
                    std::fprintf(stderr, "%s\n", cids->c_str());
                }
                if (auto rrc = describe_return_routability_check(connection_.negotiated())) {
                    std::fprintf(stderr, "%s\n", rrc->c_str());
                }
                if (options_.export_request) {
                    auto line = exported_keying_material(connection_, *options_.export_request);
                    if (!line) {
                        close_and_exit(now);
                        return fail(line.error());
                    }
                    std::fprintf(stderr, "%s\n", line->c_str());
                }
                if (purpose_ == Purpose::lines) stdin_slot_ = poller_.watch(STDIN_FILENO);
                // A DTLS 1.2 session is kept when the handshake completes,
                // or never: waiting for one would only time out.
                if (purpose_ == Purpose::ticket && connection_.negotiated().version == dtls::ProtocolVersion::dtls1_2 &&
                    !has_ticket()) {
                    close_and_exit(now);
                    return fail(failure(peer_name_ + " gave no DTLS 1.2 session ID or ticket to resume"));
                }
            } else if (auto* data = std::get_if<dtls::event::ApplicationData>(&*event)) {
                print_record(data->data);
                ++answered_;
                last_activity_ = now;
            } else if (std::holds_alternative<dtls::event::Closed>(*event)) {
                flush();
                if (purpose_ == Purpose::ticket && !has_ticket()) {
                    return fail(failure(peer_name_ + " closed the connection without sending a session ticket"));
                }
                std::fprintf(stderr, "closed by %s\n", peer_name_.c_str());
                return exit_ok;
            } else if (auto* failed = std::get_if<dtls::event::Failed>(&*event)) {
                flush();  // the alert we may owe the peer
                return fail(failed->error);
            }
        }
        return std::nullopt;
    }

    dtls::Status read_input(Instant now) {
        if (auto read = input_.read_some(); !read) return read;
        while (auto line = input_.next_line()) {
            if (line->size() > connection_.max_payload()) {
                report("skipped a line of " + std::to_string(line->size()) + " bytes: at most " +
                       std::to_string(connection_.max_payload()) + " fit one record at MTU " +
                       std::to_string(connection_.mtu()));
                continue;
            }
            auto sent = connection_.send(std::span(reinterpret_cast<const uint8_t*>(line->data()), line->size()), now);
            if (!sent) return sent.error();
            ++sent_;
            last_activity_ = now;
        }
        if (input_.ended()) {
            poller_.ignore(*stdin_slot_);
            last_activity_ = now;
        }
        return dtls::Ok{};
    }

    void flush() {
        while (connection_.poll_datagram(outgoing_)) socket_.send(outgoing_);
    }

    int close_and_exit(Instant now) {
        connection_.close(now);
        flush();
        return exit_ok;
    }

    int fail(const dtls::Error& error) {
        report(error);
        return exit_failure;
    }

    Instant linger_deadline() const { return last_activity_ + seconds(options_.linger_seconds); }

    std::optional<Instant> next_wake() const {
        std::optional<Instant> wake = connection_.next_timeout();
        auto earliest = [&wake](Instant t) { wake = wake ? std::min(*wake, t) : t; };
        if (waiting()) earliest(deadline_);
        if (established_ && input_.ended()) earliest(linger_deadline());
        return wake;
    }

    static std::string format_seconds(double value) {
        char text[32];
        std::snprintf(text, sizeof text, "%g", value);
        return text;
    }

    const ClientOptions& options_;
    Purpose purpose_;
    UdpSocket socket_;
    dtls::Connection connection_;
    StopSignals& signals_;
    const CountingCache* cache_;  // Purpose::ticket only
    std::string peer_name_;
    LineReader input_;

    Poller poller_;
    size_t socket_slot_ = 0;
    size_t signal_slot_ = 0;
    std::optional<size_t> stdin_slot_;  // Purpose::lines: watched once the handshake is complete

    std::vector<uint8_t> buffer_;
    std::vector<uint8_t> outgoing_;
    bool established_ = false;
    uint64_t sent_ = 0;      // lines sent as records
    uint64_t answered_ = 0;  // records received
    Instant deadline_;  // for waiting()
    Instant last_activity_;
};

dtls::Result<dtls::Config> client_config(const ClientOptions& options, const HostPort& target) {
    dtls::Config config;
    if (auto ca = check_ca_file(options.ca); !ca) return ca.error();
    config.ca_file = options.ca;
    config.verify_peer = !options.insecure;
    config.peer_fingerprints = options.peer_fingerprints;
    auto raw_keys = load_raw_public_keys(options.rpk_peers);
    if (!raw_keys) return raw_keys.error();
    config.trusted_raw_public_keys = std::move(*raw_keys);
    if (!options.insecure && options.ca.empty() && options.peer_fingerprints.empty() && options.rpk_peers.empty()) {
        // Without --ca or --peer-fingerprint, the system's trusted roots.
        config.ca_path = "/etc/ssl/certs";
    }
    config.server_name = options.server_name.empty() ? target.host : options.server_name;
    config.verify_server_name = !options.no_name_check;
    if (!options.cert.empty()) {
        auto credential = load_credential(options.cert, options.key);
        if (!credential) return credential.error();
        config.credential = *credential;
    }
    if (options.self_signed) {
        auto credential = self_signed_credential();
        if (!credential) return credential.error();
        config.credential = *credential;
    }
    if (!options.rpk_key.empty()) {
        auto credential = load_raw_key_credential(options.rpk_key);
        if (!credential) return credential.error();
        config.credential = *credential;
    }
    // Raw public keys (RFC 7250) first when we have or trust one; X.509
    // too unless --rpk-peer is the only way to trust the server.
    config.certificate_types.clear();
    if (!options.rpk_peers.empty() || !options.rpk_key.empty()) {
        config.certificate_types.push_back(dtls::CertificateType::raw_public_key);
    }
    if (options.rpk_peers.empty() || !options.ca.empty() || !options.peer_fingerprints.empty() ||
        (config.credential && config.credential->type() == dtls::CertificateType::x509)) {
        config.certificate_types.push_back(dtls::CertificateType::x509);
    }
    config.alpn = options.alpn;
    config.srtp_profiles = options.srtp;
    config.srtp_mki = options.srtp_mki;
    config.record_size_limit = options.record_size_limit;
    config.connection_id_length = options.cid_length;
    config.return_routability_check = !options.no_rrc;
    config.mtu = options.mtu;
    options.versions.apply_to(config);
    // A client's certificate only answers a server's request: with --psk it
    // offers the PSK suites alone.
    apply_psk(options.psk, options.cipher_suites, false, config);
    return config;
}

// A connection to `address` from a new UDP socket, so from a new port unless
// --local-port fixes it.
dtls::Result<std::unique_ptr<ClientSession>> open_session(const ClientOptions& options, Purpose purpose,
                                                          const dtls::Config& config, const SocketAddress& address,
                                                          StopSignals& signals, const CountingCache* cache) {
    const Instant now = Clock::now();
    auto socket = UdpSocket::connect(address, options.local_port);
    if (!socket) return socket.error();
    auto connection = dtls::Connection::client(config, now);
    if (!connection) return connection.error();
    return std::make_unique<ClientSession>(options, purpose, std::move(*socket), std::move(*connection), signals,
                                           cache, address.to_string(), now);
}

}  // namespace

int run_client(const ClientOptions& options) {
    const Instant start = Clock::now();
    auto target = parse_host_port(options.target);
    if (!target) return fail_with(target.error(), exit_usage);
    auto config = client_config(options, *target);
    if (!config) return fail_with(config.error(), exit_failure);
    if (options.self_signed) print_fingerprint(*config->credential);
    auto keylog = KeylogWriter::open(options.keylog);
    if (!keylog) return fail_with(keylog.error(), exit_failure);
    install_keylog(*config, *keylog);

    auto address = resolve(*target, false);
    if (!address) return fail_with(address.error(), exit_failure);
    auto trace = options.trace ? std::make_shared<TracePrinter>(start) : nullptr;
    if (trace) trace->set_peer(address->to_string());
    install_trace(*config, trace);

    auto signals = StopSignals::open();
    if (!signals) return fail_with(signals.error(), exit_failure);

    if (options.resume) {
        auto cache = std::make_shared<CountingCache>();
        config->session_cache = cache;
        // In its own scope, so that its socket is closed before the second
        // one binds the same --local-port.
        auto first = open_session(options, Purpose::ticket, *config, *address, *signals, cache.get());
        if (!first) return fail_with(first.error(), exit_failure);
        const int status = (*first)->run();
        // Without a ticket, a signal stopped it: no second connection.
        if (status != exit_ok || !(*first)->has_ticket()) return status;
        // A client that offers DTLS 1.3 resumes DTLS 1.3 sessions only.
        if (cache->last_version() == dtls::ProtocolVersion::dtls1_2) {
            config->max_version = dtls::ProtocolVersion::dtls1_2;
        }
    }
    auto session = open_session(options, Purpose::lines, *config, *address, *signals, nullptr);
    if (!session) return fail_with(session.error(), exit_failure);
    return (*session)->run();
}

}  // namespace dtls_tool
