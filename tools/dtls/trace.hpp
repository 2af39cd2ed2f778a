// --trace output: the engine's readable trace lines (Config::trace), and the
// tool's own lines about sockets, timers and the server front door, each
// prefixed with the time since start and the peer it concerns, on stderr.
//
//     12.345 ms  127.0.0.1:40321  <- datagram 187 bytes
//
// One Config (and so one trace callback) serves every connection of a
// server, so the event loop names the peer it is about to drive with
// set_peer() before each call into the engine.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "dtls/config.hpp"

namespace dtls_tool {

class TracePrinter {
public:
    explicit TracePrinter(dtls::Instant start) : start_(start) {}

    void set_peer(std::string peer) { peer_ = std::move(peer); }
    void line(std::string_view text) const;
    void line(const std::string& peer, std::string_view text) const;

private:
    dtls::Instant start_;
    std::string peer_;
};

// Points config.trace at the printer, if there is one.
void install_trace(dtls::Config& config, const std::shared_ptr<TracePrinter>& printer);

}  // namespace dtls_tool
