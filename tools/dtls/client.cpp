// dtls client: one connection to one server. Standard input is read only once
// the handshake is complete; each line becomes one record, and each record
// that comes back is printed on standard output.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "address.hpp"
#include "dtls/dtls.hpp"
#include "failure.hpp"
#include "keylog.hpp"
#include "line_reader.hpp"
#include "poller.hpp"
#include "run.hpp"
#include "signals.hpp"
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

std::string describe(const dtls::Negotiated& n) {
    std::string out = std::string(dtls::to_string(n.version)) + ", " + dtls::to_string(n.cipher_suite) + ", " +
                      dtls::to_string(n.group);
    if (!n.alpn.empty()) out += ", ALPN " + n.alpn;
    return out;
}

class ClientSession {
public:
    ClientSession(const ClientOptions& options, UdpSocket socket, dtls::Connection connection, StopSignals signals,
                  std::string peer_name, Instant now)
        : options_(options),
          socket_(std::move(socket)),
          connection_(std::move(connection)),
          signals_(std::move(signals)),
          peer_name_(std::move(peer_name)),
          input_(STDIN_FILENO),
          buffer_(65536),
          handshake_deadline_(now + seconds(options.timeout_seconds)) {
        socket_slot_ = poller_.watch(socket_.fd());
        signal_slot_ = poller_.watch(signals_.fd());
    }

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

            if (!established_ && now >= handshake_deadline_) {
                return fail(failure("no handshake with " + peer_name_ + " within " +
                                    format_seconds(options_.timeout_seconds) + " seconds"));
            }
            if (established_ && input_.exhausted() && (answered_ >= sent_ || now >= linger_deadline())) {
                return close_and_exit(now);
            }
            if (auto waited = poller_.wait(next_wake()); !waited) return fail(waited.error());
        }
    }

private:
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
                stdin_slot_ = poller_.watch(STDIN_FILENO);
            } else if (auto* data = std::get_if<dtls::event::ApplicationData>(&*event)) {
                print_record(data->data);
                ++answered_;
                last_activity_ = now;
            } else if (std::holds_alternative<dtls::event::Closed>(*event)) {
                flush();
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
        if (!established_) earliest(handshake_deadline_);
        if (established_ && input_.ended()) earliest(linger_deadline());
        return wake;
    }

    static std::string format_seconds(double value) {
        char text[32];
        std::snprintf(text, sizeof text, "%g", value);
        return text;
    }

    const ClientOptions& options_;
    UdpSocket socket_;
    dtls::Connection connection_;
    StopSignals signals_;
    std::string peer_name_;
    LineReader input_;

    Poller poller_;
    size_t socket_slot_ = 0;
    size_t signal_slot_ = 0;
    std::optional<size_t> stdin_slot_;  // watched once the handshake is complete

    std::vector<uint8_t> buffer_;
    std::vector<uint8_t> outgoing_;
    bool established_ = false;
    uint64_t sent_ = 0;      // lines sent as records
    uint64_t answered_ = 0;  // records received
    Instant handshake_deadline_;
    Instant last_activity_;
};

dtls::Result<dtls::Config> client_config(const ClientOptions& options, const HostPort& target) {
    dtls::Config config;
    if (auto ca = check_ca_file(options.ca); !ca) return ca.error();
    config.ca_file = options.ca;
    config.verify_peer = !options.insecure;
    if (!options.insecure && options.ca.empty()) {
        // Without --ca, the system's trusted roots.
        config.ca_path = "/etc/ssl/certs";
    }
    config.server_name = options.server_name.empty() ? target.host : options.server_name;
    config.verify_server_name = !options.no_name_check;
    if (!options.cert.empty()) {
        auto credential = load_credential(options.cert, options.key);
        if (!credential) return credential.error();
        config.credential = *credential;
    }
    config.alpn = options.alpn;
    config.mtu = options.mtu;
    options.versions.apply_to(config);
    return config;
}

}  // namespace

int run_client(const ClientOptions& options) {
    const Instant start = Clock::now();
    auto target = parse_host_port(options.target);
    if (!target) return fail_with(target.error(), exit_usage);
    auto config = client_config(options, *target);
    if (!config) return fail_with(config.error(), exit_failure);
    auto keylog = KeylogWriter::open(options.keylog);
    if (!keylog) return fail_with(keylog.error(), exit_failure);
    install_keylog(*config, *keylog);

    auto address = resolve(*target, false);
    if (!address) return fail_with(address.error(), exit_failure);
    auto socket = UdpSocket::connect(*address, options.local_port);
    if (!socket) return fail_with(socket.error(), exit_failure);
    auto trace = options.trace ? std::make_shared<TracePrinter>(start) : nullptr;
    if (trace) trace->set_peer(address->to_string());
    install_trace(*config, trace);

    auto signals = StopSignals::open();
    if (!signals) return fail_with(signals.error(), exit_failure);
    auto connection = dtls::Connection::client(*config, start);
    if (!connection) return fail_with(connection.error(), exit_failure);

    ClientSession session(options, std::move(*socket), std::move(*connection), std::move(*signals),
                          address->to_string(), start);
    return session.run();
}

}  // namespace dtls_tool
