#include "our_side.hpp"

#include <arpa/inet.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <variant>

namespace dtls::interop {
namespace {

using SteadyClock = std::chrono::steady_clock;

// After the peer's output ends (it exited), datagrams it sent last may still
// be in our socket; this long is enough to take them on loopback.
constexpr auto kDrainAfterPeerExit = std::chrono::milliseconds(200);

sockaddr_in loopback(uint16_t port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    return address;
}

std::array<uint8_t, 6> address_bytes(const sockaddr_in& address) {
    std::array<uint8_t, 6> out{};
    std::memcpy(out.data(), &address.sin_addr.s_addr, 4);
    std::memcpy(out.data() + 4, &address.sin_port, 2);
    return out;
}

bool same_address(const sockaddr_in& a, const sockaddr_in& b) {
    return a.sin_addr.s_addr == b.sin_addr.s_addr && a.sin_port == b.sin_port;
}

// The shared event loop: one socket, one peer process, one optional
// connection (the server has none until its front door accepts).
class Loop {
public:
    Loop(int fd, PeerProcess& peer, SteadyClock::time_point deadline, OurSideResult& result)
        : fd_(fd), peer_(peer), deadline_(deadline), result_(result), buffer_(65536) {}

    // Waits for a datagram, the connection's timer, or peer output. Returns
    // false once the cell is over: done, deadline, or the peer exited and
    // its last datagrams were taken.
    bool wait(const Connection* connection, bool done) {
        if (done) return false;
        const auto now = SteadyClock::now();
        if (now >= deadline_) return false;
        peer_.read_available();
        if (peer_.output_fd() < 0) {
            if (!peer_gone_) peer_gone_ = now;
            if (now - *peer_gone_ > kDrainAfterPeerExit) return false;
        }
        auto wake = deadline_;
        if (peer_gone_) wake = std::min(wake, *peer_gone_ + kDrainAfterPeerExit);
        if (connection && connection->next_timeout()) {
            // The engine's clock is steady_clock too (dtls::Clock).
            wake = std::min(wake, *connection->next_timeout());
        }
        auto wait_ms = std::chrono::ceil<std::chrono::milliseconds>(wake - SteadyClock::now()).count();
        std::array<pollfd, 2> fds = {{{fd_, POLLIN, 0}, {peer_.output_fd(), POLLIN, 0}}};
        ::poll(fds.data(), peer_.output_fd() >= 0 ? 2 : 1, static_cast<int>(std::max<long>(wait_ms, 0)));
        return true;
    }

    // The next datagram waiting on the socket, if any.
    std::optional<std::span<const uint8_t>> receive(sockaddr_in& from) {
        socklen_t length = sizeof from;
        ssize_t n = ::recvfrom(fd_, buffer_.data(), buffer_.size(), MSG_DONTWAIT, reinterpret_cast<sockaddr*>(&from),
                               &length);
        if (n < 0) return std::nullopt;
        result_.largest_datagram_received = std::max(result_.largest_datagram_received, static_cast<size_t>(n));
        return std::span<const uint8_t>(buffer_.data(), static_cast<size_t>(n));
    }

    void send(const sockaddr_in& to, std::span<const uint8_t> datagram) {
        result_.largest_datagram_sent = std::max(result_.largest_datagram_sent, datagram.size());
        ::sendto(fd_, datagram.data(), datagram.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
    }

    void flush(Connection& connection, const sockaddr_in& to) {
        while (connection.poll_datagram(outgoing_)) send(to, outgoing_);
    }

private:
    int fd_;
    PeerProcess& peer_;
    SteadyClock::time_point deadline_;
    OurSideResult& result_;
    std::optional<SteadyClock::time_point> peer_gone_;
    std::vector<uint8_t> buffer_;
    std::vector<uint8_t> outgoing_;
};

Config traced(const Config& config, OurSideResult& result) {
    Config copy = config;
    copy.trace = [&result](std::string_view line) {
        if (result.trace.size() < 5000) result.trace.emplace_back(line);
    };
    return copy;
}

void check_message(OurSideResult& result, const Bytes& data) {
    if (!result.data_error.empty()) return;
    if (result.messages_ok < kMessages && data == exchange_message(result.messages_ok)) {
        ++result.messages_ok;
        return;
    }
    result.data_error = "message " + std::to_string(result.messages_ok) + ": got " + std::to_string(data.size()) +
                        " bytes that differ from what was expected";
}

// Takes the connection's events; the role-specific part is in on_data.
template <class OnData>
void handle_events(Connection& connection, OurSideResult& result, Instant now, OnData on_data) {
    while (auto event = connection.poll_event()) {
        if (std::holds_alternative<event::HandshakeComplete>(*event)) {
            result.established = true;
            result.negotiated = connection.negotiated();
        } else if (auto* data = std::get_if<event::ApplicationData>(&*event)) {
            on_data(data->data);
        } else if (std::holds_alternative<event::Closed>(*event)) {
            result.peer_closed = true;
            connection.close(now);  // answer with our close_notify
            result.answered_close = true;
        } else if (auto* failed = std::get_if<event::Failed>(&*event)) {
            result.error = failed->error;
        }
    }
    if (!result.error && connection.error()) result.error = connection.error();
}

}  // namespace

Bytes exchange_message(int index) {
    static constexpr size_t kSizes[kMessages] = {1, 100, 200};
    Bytes message(kSizes[index]);
    for (size_t i = 0; i < message.size(); ++i) message[i] = static_cast<uint8_t>(index * 97 + i * 7 + 1);
    return message;
}

std::string OurSideResult::trace_tail(size_t lines) const {
    std::string out;
    const size_t first = trace.size() > lines ? trace.size() - lines : 0;
    if (first > 0) out += "    ours| (" + std::to_string(first) + " earlier trace lines)\n";
    for (size_t i = first; i < trace.size(); ++i) out += "    ours| " + trace[i] + "\n";
    return out;
}

UdpSocket::UdpSocket() {
    fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    local_ = loopback(0);
    ::bind(fd_, reinterpret_cast<const sockaddr*>(&local_), sizeof local_);
    socklen_t length = sizeof local_;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&local_), &length);
}

UdpSocket::~UdpSocket() { ::close(fd_); }

uint16_t UdpSocket::port() const { return ntohs(local_.sin_port); }

// Once the exchange is done, closes first unless the peer is to.
void close_when_done(Connection& connection, OurSideResult& result, bool peer_closes_first, Instant now) {
    if (peer_closes_first || result.we_closed || result.messages_ok < kMessages) return;
    connection.close(now);
    result.we_closed = true;
}

// With the peer closing first, we are done once we answered; otherwise we
// wait for the peer to take our close_notify, answer, and exit.
bool finished(const OurSideResult& result, bool peer_closes_first) {
    return result.error.has_value() || (peer_closes_first && result.answered_close);
}

OurSideResult run_our_client(const Config& config, uint16_t peer_port, PeerProcess& peer, bool peer_closes_first,
                             SteadyClock::time_point deadline) {
    OurSideResult result;
    UdpSocket socket;
    const sockaddr_in server = loopback(peer_port);
    auto created = Connection::client(traced(config, result), Clock::now());
    if (!created) {
        result.error = created.error();
        return result;
    }
    Connection& connection = *created;
    Loop loop(socket.fd(), peer, deadline, result);
    int sent = 0;
    auto send_next = [&](Instant now) {
        if (sent < kMessages && sent == result.messages_ok) {
            Status status = connection.send(exchange_message(sent++), now);
            if (!status) result.error = status.error();
        }
    };
    do {
        const Instant now = Clock::now();
        sockaddr_in from{};
        while (auto datagram = loop.receive(from)) {
            if (!same_address(from, server)) continue;
            if (result.we_closed) ++result.datagrams_after_close;
            connection.handle_datagram(*datagram, now);
        }
        if (connection.next_timeout() && *connection.next_timeout() <= now) connection.handle_timeout(now);
        handle_events(connection, result, now, [&](const Bytes& data) { check_message(result, data); });
        if (result.established) send_next(now);
        close_when_done(connection, result, peer_closes_first, now);
        loop.flush(connection, server);
    } while (loop.wait(&connection, finished(result, peer_closes_first)));
    const std::string hello = "-> flight ClientHello";
    const auto hellos = std::count_if(result.trace.begin(), result.trace.end(),
                                      [&](const std::string& line) { return line.rfind(hello, 0) == 0; });
    result.hello_verify_requests = hellos > 0 ? static_cast<unsigned>(hellos - 1) : 0;
    return result;
}

OurSideResult run_our_server(const Config& config, UdpSocket& socket, PeerProcess& peer, bool peer_closes_first,
                             SteadyClock::time_point deadline) {
    OurSideResult result;
    auto created = Server::create(traced(config, result), Clock::now());
    if (!created) {
        result.error = created.error();
        return result;
    }
    Server& front_door = *created;
    std::optional<Connection> connection;
    sockaddr_in client{};
    std::vector<uint8_t> reply;
    Loop loop(socket.fd(), peer, deadline, result);
    do {
        const Instant now = Clock::now();
        sockaddr_in from{};
        while (auto datagram = loop.receive(from)) {
            if (connection) {
                if (!same_address(from, client)) continue;
                if (result.we_closed) ++result.datagrams_after_close;
                connection->handle_datagram(*datagram, now);
                continue;
            }
            Server::Answer answer = front_door.handle_datagram(address_bytes(from), *datagram, now, reply);
            if (answer.outcome == Server::Outcome::reply) {
                ++result.hello_verify_requests;
                loop.send(from, reply);
            } else if (answer.outcome == Server::Outcome::accepted) {
                connection = std::move(answer.connection);
                client = from;
            }
        }
        if (!connection) continue;
        if (connection->next_timeout() && *connection->next_timeout() <= now) connection->handle_timeout(now);
        handle_events(*connection, result, now, [&](const Bytes& data) {
            check_message(result, data);
            Status status = connection->send(data, now);  // echo, whatever came
            if (!status) result.error = status.error();
        });
        close_when_done(*connection, result, peer_closes_first, now);
        loop.flush(*connection, client);
    } while (loop.wait(connection ? &*connection : nullptr, finished(result, peer_closes_first)));
    return result;
}

}  // namespace dtls::interop
