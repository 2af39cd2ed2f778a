#include "http_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

namespace webrtc_example {

namespace {

constexpr size_t kMaxRequest = 64 * 1024;  // an SDP offer is a few KiB
constexpr size_t kMaxClients = 16;

void send_all(int fd, const std::string& data) {
    size_t sent = 0;
    while (sent < data.size()) {
        ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return;
        sent += static_cast<size_t>(n);
    }
}

const char* reason(int status) {
    switch (status) {
        case 200: return "OK";
        case 400: return "Bad Request";
        case 404: return "Not Found";
    }
    return "Error";
}

}  // namespace

HttpServer::HttpServer(int port, Handler handler) : handler_(std::move(handler)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (listener_ < 0) return;
    int one = 1;
    setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(port));
    socklen_t length = sizeof address;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(listener_, 16) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        return;
    }
    port_ = ntohs(address.sin_port);
}

HttpServer::~HttpServer() {
    for (Client& c : clients_) ::close(c.fd);
    if (listener_ >= 0) ::close(listener_);
}

void HttpServer::add_poll_fds(std::vector<pollfd>& fds) const {
    fds.push_back({listener_, POLLIN, 0});
    for (const Client& c : clients_) fds.push_back({c.fd, POLLIN, 0});
}

void HttpServer::handle(const std::vector<pollfd>& fds) {
    for (const pollfd& p : fds) {
        if (p.revents == 0) continue;
        if (p.fd == listener_) {
            accept_clients();
            continue;
        }
        auto client = std::find_if(clients_.begin(), clients_.end(), [&](const Client& c) { return c.fd == p.fd; });
        if (client != clients_.end() && read_from(*client)) {
            ::close(client->fd);
            clients_.erase(client);
        }
    }
}

void HttpServer::accept_clients() {
    for (;;) {
        int fd = ::accept4(listener_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) return;
        if (clients_.size() >= kMaxClients) {
            ::close(fd);
            continue;
        }
        clients_.push_back({fd, {}});
    }
}

bool HttpServer::read_from(Client& client) {
    char buffer[4096];
    ssize_t n = ::recv(client.fd, buffer, sizeof buffer, 0);
    if (n == 0) return true;
    if (n < 0) return errno != EAGAIN && errno != EWOULDBLOCK;
    client.received.append(buffer, static_cast<size_t>(n));
    if (client.received.size() > kMaxRequest) return true;

    const size_t header_end = client.received.find("\r\n\r\n");
    if (header_end == std::string::npos) return false;
    const std::string head = client.received.substr(0, header_end);
    size_t content_length = 0;
    std::string lower = head;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (size_t at = lower.find("\r\ncontent-length:"); at != std::string::npos) {
        content_length = std::strtoul(lower.c_str() + at + 17, nullptr, 10);
    }
    if (client.received.size() < header_end + 4 + content_length) return false;

    HttpRequest request;
    const size_t first_space = head.find(' ');
    const size_t second_space = head.find(' ', first_space + 1);
    if (first_space == std::string::npos || second_space == std::string::npos) return true;
    request.method = head.substr(0, first_space);
    request.path = head.substr(first_space + 1, second_space - first_space - 1);
    request.body = client.received.substr(header_end + 4, content_length);

    HttpResponse response = handler_(request);
    send_all(client.fd, "HTTP/1.1 " + std::to_string(response.status) + " " + reason(response.status) +
                            "\r\nContent-Type: " + response.content_type +
                            "\r\nContent-Length: " + std::to_string(response.body.size()) +
                            "\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n" + response.body);
    return true;
}

}  // namespace webrtc_example
