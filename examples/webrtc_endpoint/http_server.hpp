// A tiny HTTP/1.1 server on loopback for the browser test: it serves the
// test page and takes the page's SDP offer and its report. Non-blocking, so
// that it shares the example's one poll loop with the UDP socket; a
// connection that sends nothing (browsers open spare ones) costs nothing.
#pragma once

#include <poll.h>

#include <functional>
#include <string>
#include <vector>

namespace webrtc_example {

struct HttpRequest {
    std::string method;
    std::string path;
    std::string body;
};

struct HttpResponse {
    int status = 200;
    std::string content_type = "text/plain";
    std::string body;
};

class HttpServer {
public:
    using Handler = std::function<HttpResponse(const HttpRequest&)>;

    // Listens on 127.0.0.1:`port` (0: any free port). port() is 0 on failure.
    HttpServer(int port, Handler handler);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    int port() const { return port_; }
    // The descriptors to poll, with their events.
    void add_poll_fds(std::vector<pollfd>& fds) const;
    // Handles whatever `fds` (from poll) says is ready among ours.
    void handle(const std::vector<pollfd>& fds);

private:
    struct Client {
        int fd;
        std::string received;
    };
    void accept_clients();
    // True when the client is finished with (answered, closed or broken).
    bool read_from(Client& client);

    int listener_ = -1;
    int port_ = 0;
    Handler handler_;
    std::vector<Client> clients_;
};

}  // namespace webrtc_example
