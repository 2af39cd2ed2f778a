// dtls_demo: a DTLS 1.2 client and server in one process, talking over real
// UDP sockets on 127.0.0.1. It shows the whole sans-I/O pattern: the program
// owns the sockets, the clock and the event loop; each dtls object is fed
// datagrams and timer expiries and hands back datagrams and events.
//
// The client echoes three messages through the server, closes with
// close_notify, and prints what was negotiated and what it cost.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/x509.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dtls/dtls.hpp"
#include "support/certs.hpp"

namespace {

using namespace std::chrono_literals;
using dtls::Clock;
using dtls::Instant;

constexpr auto overall_deadline = 10s;
const std::array<std::string_view, 3> messages = {"first message", "second message", "third message"};

[[noreturn]] void fail(const std::string& why) {
    std::fprintf(stderr, "dtls_demo: %s\n", why.c_str());
    std::exit(1);
}

std::string system_error(const char* call) { return std::string(call) + ": " + std::strerror(errno); }

// An IPv4 address and port. Its 6-byte encoding is what the server front door
// binds its cookie to (any stable encoding of the peer's address will do).
struct Address {
    sockaddr_in sin{};

    std::array<uint8_t, 6> bytes() const {
        std::array<uint8_t, 6> out{};
        std::memcpy(out.data(), &sin.sin_addr.s_addr, 4);
        std::memcpy(out.data() + 4, &sin.sin_port, 2);
        return out;
    }
    bool operator==(const Address& other) const {
        return sin.sin_addr.s_addr == other.sin.sin_addr.s_addr && sin.sin_port == other.sin.sin_port;
    }
};

// A non-blocking UDP socket bound to 127.0.0.1 on a port the kernel picks.
class UdpSocket {
public:
    UdpSocket() {
        fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd_ < 0) fail(system_error("socket"));
        local_.sin.sin_family = AF_INET;
        local_.sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        local_.sin.sin_port = 0;
        if (::bind(fd_, reinterpret_cast<const sockaddr*>(&local_.sin), sizeof local_.sin) != 0) {
            fail(system_error("bind"));
        }
        socklen_t length = sizeof local_.sin;
        if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&local_.sin), &length) != 0) {
            fail(system_error("getsockname"));
        }
    }
    UdpSocket(const UdpSocket&) = delete;
    UdpSocket& operator=(const UdpSocket&) = delete;
    ~UdpSocket() { ::close(fd_); }

    int fd() const { return fd_; }
    const Address& local() const { return local_; }

    // UDP may drop a datagram; so may we if the socket buffer is full. The
    // engine's retransmission timer covers that, as it would on a network.
    void send_to(const Address& to, std::span<const uint8_t> datagram) {
        ssize_t sent = ::sendto(fd_, datagram.data(), datagram.size(), 0, reinterpret_cast<const sockaddr*>(&to.sin),
                                sizeof to.sin);
        if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK) fail(system_error("sendto"));
    }

    // The next waiting datagram, or nothing once the socket is drained.
    std::optional<size_t> receive(std::vector<uint8_t>& buffer, Address& from) {
        socklen_t length = sizeof from.sin;
        ssize_t received = ::recvfrom(fd_, buffer.data(), buffer.size(), 0, reinterpret_cast<sockaddr*>(&from.sin),
                                      &length);
        if (received >= 0) return static_cast<size_t>(received);
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return std::nullopt;
        fail(system_error("recvfrom"));
    }

private:
    int fd_ = -1;
    Address local_;
};

// The subject of a DER certificate in RFC 2253 form, e.g. "CN=localhost".
// OpenSSL is used only for printing; the dtls API hands out DER.
std::string subject_of(const dtls::Bytes& der) {
    const unsigned char* cursor = der.data();
    std::unique_ptr<X509, decltype(&X509_free)> cert(d2i_X509(nullptr, &cursor, static_cast<long>(der.size())),
                                                     &X509_free);
    std::unique_ptr<BIO, decltype(&BIO_free)> out(BIO_new(BIO_s_mem()), &BIO_free);
    if (!cert || !out) return "(unreadable certificate)";
    X509_NAME_print_ex(out.get(), X509_get_subject_name(cert.get()), 0, XN_FLAG_RFC2253);
    char* text = nullptr;
    long length = BIO_get_mem_data(out.get(), &text);
    return std::string(text, static_cast<size_t>(length));
}

template <class T>
T must(dtls::Result<T> result, const char* what) {
    if (!result) fail(std::string(what) + ": " + result.error().to_string());
    return std::move(result.value());
}

class Demo {
public:
    Demo(const dtls::Config& client_config, const dtls::Config& server_config, Instant now)
        : server_(must(dtls::Server::create(server_config, now), "server config")),
          client_(must(dtls::Connection::client(client_config, now), "client config")),
          buffer_(65536),
          started_(now) {}

    // Runs until the server has seen the client's close_notify.
    void run() {
        const Instant deadline = started_ + overall_deadline;
        while (!server_saw_close_) {
            const Instant now = Clock::now();
            if (now >= deadline) fail("no result within 10 seconds (" + progress() + ")");
            receive_at_client(now);
            receive_at_server(now);
            fire_timers(now);
            handle_client_events(now);
            handle_server_events(now);
            send_from_client();
            send_from_server();
            if (!server_saw_close_) wait_for_input(deadline);
        }
        finished_ = Clock::now();
    }

    void print_summary() const {
        const dtls::Negotiated& n = client_.negotiated();
        const dtls::Stats& s = client_.stats();
        auto ms = [](dtls::Duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
        std::printf("\n");
        std::printf("protocol          %s\n", dtls::to_string(n.version));
        std::printf("cipher suite      %s\n", dtls::to_string(n.cipher_suite));
        std::printf("group             %s\n", dtls::to_string(n.group));
        std::printf("server signature  %s\n", dtls::to_string(n.peer_signature_scheme));
        std::printf("server subject    %s\n", n.peer_chain.empty() ? "(none)" : subject_of(n.peer_chain[0]).c_str());
        std::printf("round trips       %d handshake, %d echo\n", handshake_round_trips_,
                    round_trips_ - handshake_round_trips_);
        std::printf("client -> server  %llu datagrams, %llu bytes\n", static_cast<unsigned long long>(s.datagrams_sent),
                    static_cast<unsigned long long>(s.bytes_sent));
        std::printf("server -> client  %llu datagrams, %llu bytes\n",
                    static_cast<unsigned long long>(s.datagrams_received),
                    static_cast<unsigned long long>(s.bytes_received));
        std::printf("retransmissions   %llu\n", static_cast<unsigned long long>(s.retransmissions));
        std::printf("time              %.2f ms handshake, %.2f ms in all\n", ms(handshake_done_ - started_),
                    ms(finished_ - started_));
    }

private:
    void receive_at_client(Instant now) {
        Address from;
        while (auto size = client_socket_.receive(buffer_, from)) {
            if (!(from == server_socket_.local())) continue;  // not our server: ignore, as UDP code must
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
        Address from;
        while (auto size = server_socket_.receive(buffer_, from)) {
            std::span<const uint8_t> datagram(buffer_.data(), *size);
            if (accepted_ && from == accepted_peer_) {
                accepted_->handle_datagram(datagram, now);
                continue;
            }
            const auto peer = from.bytes();
            dtls::Server::Answer answer = server_.handle_datagram(peer, datagram, now, reply_);
            if (answer.outcome == dtls::Server::Outcome::reply) {
                server_socket_.send_to(from, reply_);
            } else if (answer.outcome == dtls::Server::Outcome::accepted && !accepted_) {
                accepted_ = std::move(answer.connection);
                accepted_peer_ = from;
            }
        }
    }

    void fire_timers(Instant now) {
        auto due = [now](const dtls::Connection& c) { return c.next_timeout() && *c.next_timeout() <= now; };
        if (due(client_)) client_.handle_timeout(now);
        if (accepted_ && due(*accepted_)) accepted_->handle_timeout(now);
    }

    void handle_client_events(Instant now) {
        while (auto event = client_.poll_event()) {
            if (std::holds_alternative<dtls::event::HandshakeComplete>(*event)) {
                handshake_done_ = now;
                handshake_round_trips_ = round_trips_;
                send_message(0, now);
            } else if (auto* data = std::get_if<dtls::event::ApplicationData>(&*event)) {
                std::string_view echoed(reinterpret_cast<const char*>(data->data.data()), data->data.size());
                if (echoes_ >= messages.size() || echoed != messages[echoes_]) {
                    fail("client got an echo it did not send: \"" + std::string(echoed) + "\"");
                }
                std::printf("client: echo %zu \"%.*s\"\n", echoes_ + 1, static_cast<int>(echoed.size()),
                            echoed.data());
                if (++echoes_ < messages.size()) {
                    send_message(echoes_, now);
                } else {
                    client_.close(now);
                }
            } else if (std::holds_alternative<dtls::event::Closed>(*event)) {
                if (echoes_ < messages.size()) fail("server closed the connection early");
            } else if (auto* failed = std::get_if<dtls::event::Failed>(&*event)) {
                fail("client failed: " + failed->error.to_string());
            }
        }
    }

    void handle_server_events(Instant now) {
        if (!accepted_) return;
        while (auto event = accepted_->poll_event()) {
            if (auto* data = std::get_if<dtls::event::ApplicationData>(&*event)) {
                dtls::Status sent = accepted_->send(data->data, now);
                if (!sent) fail("server could not echo: " + sent.error().to_string());
            } else if (std::holds_alternative<dtls::event::Closed>(*event)) {
                server_saw_close_ = true;
            } else if (auto* failed = std::get_if<dtls::event::Failed>(&*event)) {
                fail("server failed: " + failed->error.to_string());
            }
        }
    }

    void send_message(size_t index, Instant now) {
        std::string_view text = messages[index];
        dtls::Status sent = client_.send(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()), now);
        if (!sent) fail("client could not send: " + sent.error().to_string());
    }

    // A round trip is one exchange in which the client sends (a flight or a
    // message) and then hears back from the server: it is counted when the
    // first datagram arrives after the client sent something. With a cookie
    // the handshake is three: ClientHello / HelloVerifyRequest, ClientHello
    // with cookie / ServerHello..ServerHelloDone, ClientKeyExchange..Finished /
    // ChangeCipherSpec+Finished. Each echo is one more; the final
    // close_notify gets no answer. A lost and resent flight would add one.
    void send_from_client() {
        while (client_.poll_datagram(outgoing_)) {
            client_socket_.send_to(server_socket_.local(), outgoing_);
            awaiting_reply_ = true;
        }
    }

    void send_from_server() {
        if (!accepted_) return;
        while (accepted_->poll_datagram(outgoing_)) server_socket_.send_to(accepted_peer_, outgoing_);
    }

    // Sleeps until a socket is readable, the earliest timer is due, or the
    // overall deadline passes, whichever comes first.
    void wait_for_input(Instant deadline) const {
        Instant wake = deadline;
        if (auto t = client_.next_timeout()) wake = std::min(wake, *t);
        if (accepted_) {
            if (auto t = accepted_->next_timeout()) wake = std::min(wake, *t);
        }
        auto wait = std::chrono::ceil<std::chrono::milliseconds>(wake - Clock::now());
        std::array<pollfd, 2> fds = {{{client_socket_.fd(), POLLIN, 0}, {server_socket_.fd(), POLLIN, 0}}};
        int timeout_ms = static_cast<int>(std::max<std::chrono::milliseconds::rep>(wait.count(), 0));
        if (::poll(fds.data(), fds.size(), timeout_ms) < 0 && errno != EINTR) fail(system_error("poll"));
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
    std::optional<dtls::Connection> accepted_;  // the one client this demo serves
    Address accepted_peer_;

    std::vector<uint8_t> buffer_;    // one received datagram
    std::vector<uint8_t> outgoing_;  // one datagram to send
    std::vector<uint8_t> reply_;     // the front door's stateless answer

    size_t echoes_ = 0;
    bool server_saw_close_ = false;
    bool awaiting_reply_ = false;
    int round_trips_ = 0;
    int handshake_round_trips_ = 0;
    Instant started_;
    Instant handshake_done_;
    Instant finished_;
};

}  // namespace

int main() {
    using dtls::test::KeyKind;

    // A throwaway CA and a server certificate for "localhost", made in memory.
    auto ca = dtls::test::TestCa::create(KeyKind::ecdsa_p256);
    auto issued = ca.issue(KeyKind::ecdsa_p256, "localhost", {.dns_names = {"localhost"}, .ip_addresses = {"127.0.0.1"}});

    dtls::Config server_config;
    server_config.credential = std::make_shared<const dtls::Credential>(dtls::test::credential_of(issued));

    dtls::Config client_config;
    client_config.ca_pem = ca.cert_pem();  // trust only the throwaway CA
    client_config.server_name = "localhost";

    Demo demo(client_config, server_config, Clock::now());
    demo.run();
    demo.print_summary();
    return 0;
}
