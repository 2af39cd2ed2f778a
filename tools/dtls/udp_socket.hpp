// A non-blocking UDP socket, IPv4 or IPv6. The server binds one and answers
// many peers; the client connects one to its server so that only that server's
// datagrams arrive and an ICMP "port unreachable" is reported as an error.
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "address.hpp"
#include "dtls/errors.hpp"

namespace dtls_tool {

class UdpSocket {
public:
    static dtls::Result<UdpSocket> bind(const SocketAddress& local);
    // `local_port` 0 lets the kernel choose the port.
    static dtls::Result<UdpSocket> connect(const SocketAddress& peer, uint16_t local_port = 0);

    UdpSocket(UdpSocket&& other) noexcept;
    UdpSocket& operator=(UdpSocket&& other) noexcept;
    UdpSocket(const UdpSocket&) = delete;
    UdpSocket& operator=(const UdpSocket&) = delete;
    ~UdpSocket();

    int fd() const { return fd_; }
    const SocketAddress& local() const { return local_; }

    // A server asks for a large receive buffer, so a burst of handshakes
    // from many clients is not lost before the event loop reads it; the
    // kernel caps the size at net.core.rmem_max. Best effort.
    void enlarge_receive_buffer(int bytes);
    // Makes the kernel report how many datagrams it dropped because the
    // receive buffer was full (SO_RXQ_OVFL); see kernel_drops().
    void count_kernel_drops();
    // Datagrams the kernel dropped on this socket so far (0 unless counted).
    uint32_t kernel_drops() const { return kernel_drops_; }

    enum class SendResult { sent, dropped, failed };
    // `dropped`: the socket buffer is full; UDP may lose a datagram anyway
    // and the engine's retransmission timer covers it.
    SendResult send_to(const SocketAddress& to, std::span<const uint8_t> datagram);
    SendResult send(std::span<const uint8_t> datagram);

    // The size of the next waiting datagram (written to `buffer`), nothing
    // once the socket is drained, or an error (e.g. connection refused).
    dtls::Result<std::optional<size_t>> receive(std::vector<uint8_t>& buffer, SocketAddress* from);

private:
    explicit UdpSocket(int fd) : fd_(fd) {}
    dtls::Status read_local_address();
    void read_drop_count(msghdr& message);

    int fd_ = -1;
    SocketAddress local_;
    uint32_t kernel_drops_ = 0;
};

}  // namespace dtls_tool
