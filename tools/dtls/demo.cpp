// dtls demo: a DTLS client and server in one process, talking over real
// UDP sockets on 127.0.0.1. It shows the whole sans-I/O pattern: the program
// owns the sockets, the clock and the event loop; each dtls object is fed
// datagrams and timer expiries and hands back datagrams and events.
//
// The client echoes three messages through the server, closes with
// close_notify, and prints what was negotiated and what it cost.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "address.hpp"
#include "demo_certificates.hpp"
#include "dtls/dtls.hpp"
#include "failure.hpp"
#include "keylog.hpp"
#include "poller.hpp"
#include "run.hpp"
#include "trace.hpp"
#include "udp_socket.hpp"

namespace dtls_tool {

namespace {

// The front door's stateless answer: a HelloVerifyRequest (handshake type 3)
// to a DTLS 1.2 client, a HelloRetryRequest (a ServerHello) to a DTLS 1.3 one.
const char* cookie_message(const std::vector<uint8_t>& reply) {
    constexpr size_t kHandshakeType = 13;  // after the 13-byte record header
    return reply.size() > kHandshakeType && reply[kHandshakeType] == 3 ? "HelloVerifyRequest" : "HelloRetryRequest";
}

using namespace std::chrono_literals;
using dtls::Clock;
using dtls::Instant;

constexpr auto overall_deadline = 10s;
const std::array<std::string_view, 3> messages = {"first message", "second message", "third message"};

std::span<const uint8_t> as_bytes(std::string_view text) {
    return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

class Demo {
public:
    Demo(UdpSocket client_socket, UdpSocket server_socket, dtls::Server server, dtls::Connection client,
         std::shared_ptr<TracePrinter> trace, Instant now)
        : client_socket_(std::move(client_socket)),
          server_socket_(std::move(server_socket)),
          server_(std::move(server)),
          client_(std::move(client)),
          trace_(std::move(trace)),
          buffer_(65536),
          started_(now) {
        client_slot_ = poller_.watch(client_socket_.fd());
        server_slot_ = poller_.watch(server_socket_.fd());
    }

    // Runs until the server has seen the client's close_notify.
    dtls::Status run() {
        const Instant deadline = started_ + overall_deadline;
        while (!server_saw_close_ && !error_) {
            const Instant now = Clock::now();
            if (now >= deadline) return failure("no result within 10 seconds (" + progress() + ")");
            receive_at_client(now);
            receive_at_server(now);
            fire_timers(now);
            handle_client_events(now);
            handle_server_events(now);
            send_from_client();
            send_from_server();
            if (!server_saw_close_ && !error_) {
                if (auto waited = poller_.wait(next_wake(deadline)); !waited) return waited;
            }
        }
        if (error_) return *error_;
        finished_ = Clock::now();
        return dtls::Ok{};
    }

    void print_summary() const {
        const dtls::Negotiated& n = client_.negotiated();
        const dtls::Stats& s = client_.stats();
        auto ms = [](dtls::Duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
        auto count = [](uint64_t value) { return static_cast<unsigned long long>(value); };
        std::printf("\n");
        std::printf("protocol          %s\n", dtls::to_string(n.version));
        std::printf("cipher suite      %s\n", dtls::to_string(n.cipher_suite));
        std::printf("group             %s\n", dtls::to_string(n.group));
        std::printf("server signature  %s\n", dtls::to_string(n.peer_signature_scheme));
        std::printf("server subject    %s\n",
                    n.peer_chain.empty() ? "(none)" : certificate_subject(n.peer_chain[0]).c_str());
        std::printf("round trips       %d handshake, %d echo\n", handshake_round_trips_,
                    round_trips_ - handshake_round_trips_);
        std::printf("client -> server  %llu datagrams, %llu bytes\n", count(s.datagrams_sent), count(s.bytes_sent));
        std::printf("server -> client  %llu datagrams, %llu bytes\n", count(s.datagrams_received),
                    count(s.bytes_received));
        std::printf("retransmissions   %llu\n", count(s.retransmissions));
        std::printf("time              %.2f ms handshake, %.2f ms in all\n", ms(handshake_done_ - started_),
                    ms(finished_ - started_));
    }

private:
    void set_trace_peer(const char* who) {
        if (trace_) trace_->set_peer(who);
    }

    void receive_at_client(Instant now) {
        if (!poller_.readable(client_slot_)) return;
        SocketAddress from;
        set_trace_peer("client");
        while (auto size = receive(client_socket_, from)) {
            if (from.key() != server_socket_.local().key()) continue;  // not our server: ignore, as UDP code must
            if (awaiting_reply_) {
                ++round_trips_;
                awaiting_reply_ = false;
            }
            client_.handle_datagram(std::span(buffer_.data(), *size), now);
        }
    }

    // Datagrams from the accepted client go to its Connection; anything else
    // goes to the front door, which keeps no state until a cookie comes back.
    void receive_at_server(Instant now) {
        if (!poller_.readable(server_slot_)) return;
        SocketAddress from;
        set_trace_peer("server");
        while (auto size = receive(server_socket_, from)) {
            std::span<const uint8_t> datagram(buffer_.data(), *size);
            const std::string peer = from.key();
            if (accepted_ && peer == accepted_peer_.key()) {
                accepted_->handle_datagram(datagram, now);
                continue;
            }
            dtls::Server::Answer answer = server_.handle_datagram(as_bytes(peer), datagram, now, reply_);
            if (answer.outcome == dtls::Server::Outcome::reply) {
                if (trace_) {
                    trace_->line(std::string("front door: ClientHello without a valid cookie, ") +
                                 cookie_message(reply_) + " sent");
                }
                server_socket_.send_to(from, reply_);
            } else if (answer.outcome == dtls::Server::Outcome::accepted && !accepted_) {
                if (trace_) trace_->line("front door: cookie valid, connection accepted");
                accepted_ = std::move(answer.connection);
                accepted_peer_ = from;
            }
        }
    }

    std::optional<size_t> receive(UdpSocket& socket, SocketAddress& from) {
        auto received = socket.receive(buffer_, &from);
        if (!received) {
            error_ = received.error();
            return std::nullopt;
        }
        return *received;
    }

    void fire_timers(Instant now) {
        auto due = [now](const dtls::Connection& c) { return c.next_timeout() && *c.next_timeout() <= now; };
        set_trace_peer("client");
        if (due(client_)) client_.handle_timeout(now);
        set_trace_peer("server");
        if (accepted_ && due(*accepted_)) accepted_->handle_timeout(now);
    }

    void handle_client_events(Instant now) {
        set_trace_peer("client");
        while (auto event = client_.poll_event()) {
            if (std::holds_alternative<dtls::event::HandshakeComplete>(*event)) {
                handshake_done_ = now;
                handshake_round_trips_ = round_trips_;
                send_message(0, now);
            } else if (auto* data = std::get_if<dtls::event::ApplicationData>(&*event)) {
                std::string_view echoed(reinterpret_cast<const char*>(data->data.data()), data->data.size());
                if (echoes_ >= messages.size() || echoed != messages[echoes_]) {
                    error_ = failure("client got an echo it did not send: \"" + std::string(echoed) + "\"");
                    return;
                }
                std::printf("client: echo %zu \"%.*s\"\n", echoes_ + 1, static_cast<int>(echoed.size()),
                            echoed.data());
                if (++echoes_ < messages.size()) {
                    send_message(echoes_, now);
                } else {
                    client_.close(now);
                }
            } else if (std::holds_alternative<dtls::event::Closed>(*event)) {
                if (echoes_ < messages.size()) error_ = failure("server closed the connection early");
            } else if (auto* failed = std::get_if<dtls::event::Failed>(&*event)) {
                error_ = failure("client failed: " + failed->error.to_string());
            }
        }
    }

    void handle_server_events(Instant now) {
        if (!accepted_) return;
        set_trace_peer("server");
        while (auto event = accepted_->poll_event()) {
            if (auto* data = std::get_if<dtls::event::ApplicationData>(&*event)) {
                dtls::Status sent = accepted_->send(data->data, now);
                if (!sent) error_ = failure("server could not echo: " + sent.error().to_string());
            } else if (std::holds_alternative<dtls::event::Closed>(*event)) {
                server_saw_close_ = true;
            } else if (auto* failed = std::get_if<dtls::event::Failed>(&*event)) {
                error_ = failure("server failed: " + failed->error.to_string());
            }
        }
    }

    void send_message(size_t index, Instant now) {
        dtls::Status sent = client_.send(as_bytes(messages[index]), now);
        if (!sent) error_ = failure("client could not send: " + sent.error().to_string());
    }

    // A round trip is one exchange in which the client sends (a flight or a
    // message) and then hears back from the server: it is counted when the
    // first datagram arrives after the client sent something. With a cookie
    // the handshake is three: ClientHello / HelloVerifyRequest, ClientHello
    // with cookie / ServerHello..ServerHelloDone, ClientKeyExchange..Finished /
    // ChangeCipherSpec+Finished. Each echo is one more; the final
    // close_notify gets no answer. A lost and resent flight would add one.
    void send_from_client() {
        set_trace_peer("client");
        while (client_.poll_datagram(outgoing_)) {
            client_socket_.send_to(server_socket_.local(), outgoing_);
            awaiting_reply_ = true;
        }
    }

    void send_from_server() {
        if (!accepted_) return;
        set_trace_peer("server");
        while (accepted_->poll_datagram(outgoing_)) server_socket_.send_to(accepted_peer_, outgoing_);
    }

    // The earliest of the two connections' timers and the overall deadline.
    Instant next_wake(Instant deadline) const {
        Instant wake = deadline;
        if (auto t = client_.next_timeout()) wake = std::min(wake, *t);
        if (accepted_) {
            if (auto t = accepted_->next_timeout()) wake = std::min(wake, *t);
        }
        return wake;
    }

    std::string progress() const {
        if (!accepted_) return "server has not accepted the client";
        if (client_.state() == dtls::State::handshaking) return "handshake not complete";
        return std::to_string(echoes_) + " of 3 echoes received";
    }

    UdpSocket client_socket_;
    UdpSocket server_socket_;
    dtls::Server server_;
    dtls::Connection client_;
    std::shared_ptr<TracePrinter> trace_;
    std::optional<dtls::Connection> accepted_;  // the one client this demo serves
    SocketAddress accepted_peer_;

    Poller poller_;
    size_t client_slot_ = 0;
    size_t server_slot_ = 0;

    std::vector<uint8_t> buffer_;    // one received datagram
    std::vector<uint8_t> outgoing_;  // one datagram to send
    std::vector<uint8_t> reply_;     // the front door's stateless answer

    std::optional<dtls::Error> error_;
    size_t echoes_ = 0;
    bool server_saw_close_ = false;
    bool awaiting_reply_ = false;
    int round_trips_ = 0;
    int handshake_round_trips_ = 0;
    Instant started_;
    Instant handshake_done_;
    Instant finished_;
};

// Everything the demo needs before the first datagram: certificates,
// configurations, two sockets on 127.0.0.1 and the two dtls objects.
dtls::Status set_up_and_run(const DemoOptions& options) {
    auto certificates = make_demo_certificates();
    if (!certificates) return certificates.error();
    auto credential = dtls::Credential::from_pem(certificates->server_cert_pem, certificates->server_key_pem);
    if (!credential) return credential.error();

    auto keylog = KeylogWriter::open(options.keylog);
    if (!keylog) return keylog.error();
    auto trace = options.trace ? std::make_shared<TracePrinter>(Clock::now()) : nullptr;

    dtls::Config server_config;
    server_config.credential = std::make_shared<const dtls::Credential>(std::move(*credential));
    install_trace(server_config, trace);

    dtls::Config client_config;
    client_config.ca_pem = certificates->ca_pem;  // trust only the throwaway CA
    client_config.server_name = "localhost";
    install_keylog(client_config, *keylog);
    install_trace(client_config, trace);

    auto loopback = resolve({"127.0.0.1", 0}, true);
    if (!loopback) return loopback.error();
    auto server_socket = UdpSocket::bind(*loopback);
    if (!server_socket) return server_socket.error();
    auto client_socket = UdpSocket::bind(*loopback);
    if (!client_socket) return client_socket.error();

    // The clock for the summary starts here, once certificates and sockets
    // are ready.
    const Instant now = Clock::now();
    auto server = dtls::Server::create(server_config, now);
    if (!server) return server.error();
    if (trace) trace->set_peer("client");
    auto client = dtls::Connection::client(client_config, now);
    if (!client) return client.error();

    Demo demo(std::move(*client_socket), std::move(*server_socket), std::move(*server), std::move(*client), trace,
              now);
    if (auto ran = demo.run(); !ran) return ran;
    demo.print_summary();
    return dtls::Ok{};
}

}  // namespace

int run_demo(const DemoOptions& options) {
    if (auto status = set_up_and_run(options); !status) {
        report("demo failed: " + status.error().to_string());
        return exit_failure;
    }
    return exit_ok;
}

}  // namespace dtls_tool
