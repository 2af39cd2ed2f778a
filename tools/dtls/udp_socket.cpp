#include "udp_socket.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "failure.hpp"

namespace dtls_tool {

namespace {

dtls::Result<int> open_socket(int family) {
    int fd = ::socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return system_failure("cannot create a UDP socket");
    return fd;
}

UdpSocket::SendResult classify_send(ssize_t sent) {
    if (sent >= 0) return UdpSocket::SendResult::sent;
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS) return UdpSocket::SendResult::dropped;
    return UdpSocket::SendResult::failed;
}

}  // namespace

dtls::Result<UdpSocket> UdpSocket::bind(const SocketAddress& local) {
    auto fd = open_socket(local.family());
    if (!fd) return fd.error();
    UdpSocket socket(*fd);
    if (::bind(socket.fd_, local.get(), local.length()) != 0) {
        return system_failure("cannot listen on " + local.to_string());
    }
    if (auto status = socket.read_local_address(); !status) return status.error();
    return socket;
}

dtls::Result<UdpSocket> UdpSocket::connect(const SocketAddress& peer, uint16_t local_port) {
    auto fd = open_socket(peer.family());
    if (!fd) return fd.error();
    UdpSocket socket(*fd);
    if (local_port != 0) {
        auto local = resolve({peer.family() == AF_INET6 ? "::" : "0.0.0.0", local_port}, true);
        if (!local) return local.error();
        if (::bind(socket.fd_, local->get(), local->length()) != 0) {
            return system_failure("cannot use local port " + std::to_string(local_port));
        }
    }
    if (::connect(socket.fd_, peer.get(), peer.length()) != 0) {
        return system_failure("cannot reach " + peer.to_string());
    }
    if (auto status = socket.read_local_address(); !status) return status.error();
    return socket;
}

UdpSocket::UdpSocket(UdpSocket&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), local_(other.local_), kernel_drops_(other.kernel_drops_) {}

UdpSocket& UdpSocket::operator=(UdpSocket&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = std::exchange(other.fd_, -1);
        local_ = other.local_;
        kernel_drops_ = other.kernel_drops_;
    }
    return *this;
}

UdpSocket::~UdpSocket() {
    if (fd_ >= 0) ::close(fd_);
}

void UdpSocket::read_drop_count(msghdr& message) {
    for (cmsghdr* c = CMSG_FIRSTHDR(&message); c != nullptr; c = CMSG_NXTHDR(&message, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL) {
            std::memcpy(&kernel_drops_, CMSG_DATA(c), sizeof kernel_drops_);
        }
    }
}

dtls::Status UdpSocket::read_local_address() {
    local_.reset_length();
    if (::getsockname(fd_, local_.get(), local_.length_slot()) != 0) return system_failure("getsockname");
    return dtls::Ok{};
}

void UdpSocket::enlarge_receive_buffer(int bytes) {
    // SO_RCVBUF is capped by net.core.rmem_max (about 208 KiB on Debian);
    // a privileged process may go past it, which a busy server wants.
    if (::setsockopt(fd_, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) != 0) {
        (void)::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
    }
}

void UdpSocket::count_kernel_drops() {
    int on = 1;
    (void)::setsockopt(fd_, SOL_SOCKET, SO_RXQ_OVFL, &on, sizeof on);
}

UdpSocket::SendResult UdpSocket::send_to(const SocketAddress& to, std::span<const uint8_t> datagram) {
    return classify_send(::sendto(fd_, datagram.data(), datagram.size(), 0, to.get(), to.length()));
}

UdpSocket::SendResult UdpSocket::send(std::span<const uint8_t> datagram) {
    return classify_send(::send(fd_, datagram.data(), datagram.size(), 0));
}

dtls::Result<std::optional<size_t>> UdpSocket::receive(std::vector<uint8_t>& buffer, SocketAddress* from) {
    for (;;) {
        iovec payload{buffer.data(), buffer.size()};
        alignas(cmsghdr) char control[CMSG_SPACE(sizeof(uint32_t))];
        msghdr message{};
        message.msg_iov = &payload;
        message.msg_iovlen = 1;
        message.msg_control = control;
        message.msg_controllen = sizeof control;
        if (from) {
            from->reset_length();
            message.msg_name = from->get();
            message.msg_namelen = from->length();
        }
        ssize_t received = ::recvmsg(fd_, &message, 0);
        if (received >= 0) {
            if (from) *from->length_slot() = message.msg_namelen;
            read_drop_count(message);
            return std::optional<size_t>(static_cast<size_t>(received));
        }
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return std::optional<size_t>();
        if (errno == ECONNREFUSED) return failure("nothing is listening there (connection refused)");
        return system_failure("cannot receive");
    }
}

}  // namespace dtls_tool
