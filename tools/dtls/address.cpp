#include "address.hpp"

#include <arpa/inet.h>
#include <netdb.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <memory>

#include "failure.hpp"

namespace dtls_tool {

dtls::Result<HostPort> parse_host_port(const std::string& text) {
    HostPort out;
    std::string port_text;
    if (!text.empty() && text.front() == '[') {
        const size_t close = text.find(']');
        if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') {
            return failure("expected [IPv6]:PORT, got \"" + text + "\"");
        }
        out.host = text.substr(1, close - 1);
        port_text = text.substr(close + 2);
    } else {
        const size_t colon = text.rfind(':');
        if (colon == std::string::npos) return failure("expected HOST:PORT, got \"" + text + "\"");
        out.host = text.substr(0, colon);
        if (out.host.find(':') != std::string::npos) {
            return failure("put an IPv6 address in brackets, as in [::1]:4433 (got \"" + text + "\")");
        }
        port_text = text.substr(colon + 1);
    }
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (port_text.empty() || ec != std::errc{} || end != port_text.data() + port_text.size() || value > 65535) {
        return failure("port must be a number from 0 to 65535 (got \"" + port_text + "\" in \"" + text + "\")");
    }
    out.port = static_cast<uint16_t>(value);
    return out;
}

SocketAddress::SocketAddress(const sockaddr* address, socklen_t length) {
    length_ = std::min<socklen_t>(length, sizeof storage_);
    std::memcpy(&storage_, address, length_);
}

uint16_t SocketAddress::port() const {
    if (family() == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&storage_)->sin_port);
    if (family() == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_port);
    return 0;
}

std::string SocketAddress::key() const {
    std::string out;
    auto append = [&out](const void* data, size_t size) { out.append(static_cast<const char*>(data), size); };
    out.push_back(static_cast<char>(family()));
    if (family() == AF_INET) {
        const auto* sin = reinterpret_cast<const sockaddr_in*>(&storage_);
        append(&sin->sin_addr, sizeof sin->sin_addr);
        append(&sin->sin_port, sizeof sin->sin_port);
    } else if (family() == AF_INET6) {
        const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(&storage_);
        append(&sin6->sin6_addr, sizeof sin6->sin6_addr);
        append(&sin6->sin6_port, sizeof sin6->sin6_port);
        append(&sin6->sin6_scope_id, sizeof sin6->sin6_scope_id);
    }
    return out;
}

std::optional<SocketAddress> SocketAddress::from_key(std::span<const uint8_t> key) {
    SocketAddress address;
    auto take = [&key](void* to, size_t size) {
        std::memcpy(to, key.data(), size);
        key = key.subspan(size);
    };
    if (key.empty()) return std::nullopt;
    const int family = key[0];
    key = key.subspan(1);
    if (family == AF_INET && key.size() == sizeof(in_addr) + sizeof(in_port_t)) {
        auto* sin = reinterpret_cast<sockaddr_in*>(&address.storage_);
        sin->sin_family = AF_INET;
        take(&sin->sin_addr, sizeof sin->sin_addr);
        take(&sin->sin_port, sizeof sin->sin_port);
        address.length_ = sizeof(sockaddr_in);
        return address;
    }
    if (family == AF_INET6 && key.size() == sizeof(in6_addr) + sizeof(in_port_t) + sizeof(uint32_t)) {
        auto* sin6 = reinterpret_cast<sockaddr_in6*>(&address.storage_);
        sin6->sin6_family = AF_INET6;
        take(&sin6->sin6_addr, sizeof sin6->sin6_addr);
        take(&sin6->sin6_port, sizeof sin6->sin6_port);
        take(&sin6->sin6_scope_id, sizeof sin6->sin6_scope_id);
        address.length_ = sizeof(sockaddr_in6);
        return address;
    }
    return std::nullopt;
}

std::string SocketAddress::to_string() const {
    char text[INET6_ADDRSTRLEN] = "?";
    if (family() == AF_INET) {
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&storage_)->sin_addr, text, sizeof text);
        return std::string(text) + ":" + std::to_string(port());
    }
    if (family() == AF_INET6) {
        inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_addr, text, sizeof text);
        return "[" + std::string(text) + "]:" + std::to_string(port());
    }
    return "(unknown address family)";
}

dtls::Result<SocketAddress> resolve(const HostPort& where, bool passive) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
    const std::string port = std::to_string(where.port);
    const char* host = where.host.empty() ? (passive ? "0.0.0.0" : "localhost") : where.host.c_str();
    addrinfo* found = nullptr;
    if (int rc = ::getaddrinfo(host, port.c_str(), &hints, &found); rc != 0) {
        return failure("cannot resolve \"" + where.host + "\": " + ::gai_strerror(rc));
    }
    std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> owner(found, &::freeaddrinfo);
    return SocketAddress(found->ai_addr, found->ai_addrlen);
}

bool is_ip_literal(const std::string& host) {
    in6_addr scratch{};
    return ::inet_pton(AF_INET, host.c_str(), &scratch) == 1 || ::inet_pton(AF_INET6, host.c_str(), &scratch) == 1;
}

}  // namespace dtls_tool
