// UDP endpoint addresses: parsing "HOST:PORT" (IPv6 literals in brackets),
// resolving names, printing, and the stable byte encoding the server uses as
// its connection map key and cookie binding.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "dtls/errors.hpp"

namespace dtls_tool {

struct HostPort {
    std::string host;  // a name, an IPv4 literal or an IPv6 literal (no brackets)
    uint16_t port = 0;
};

// "127.0.0.1:4433", "localhost:4433", "[::1]:4433". A bare IPv6 address
// without brackets is refused: its last colon would be ambiguous.
dtls::Result<HostPort> parse_host_port(const std::string& text);

class SocketAddress {
public:
    SocketAddress() = default;
    SocketAddress(const sockaddr* address, socklen_t length);

    const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage_); }
    sockaddr* get() { return reinterpret_cast<sockaddr*>(&storage_); }
    socklen_t length() const { return length_; }
    // For recvfrom(): the buffer size before the call, the real size after.
    socklen_t* length_slot() { return &length_; }
    void reset_length() { length_ = sizeof storage_; }

    int family() const { return storage_.ss_family; }
    uint16_t port() const;

    // Family, address and port as bytes: equal for equal endpoints only.
    std::string key() const;
    // The address a key() came from; nothing for bytes no key() makes.
    static std::optional<SocketAddress> from_key(std::span<const uint8_t> key);
    // "127.0.0.1:4433" or "[::1]:4433".
    std::string to_string() const;

private:
    sockaddr_storage storage_{};
    socklen_t length_ = 0;
};

// Resolves HOST:PORT for a UDP socket; `passive` is for binding (an empty
// host then means every IPv4 address).
dtls::Result<SocketAddress> resolve(const HostPort& where, bool passive);

// True if `host` is an IPv4 or IPv6 literal rather than a name.
bool is_ip_literal(const std::string& host);

}  // namespace dtls_tool
