// Our engine's side of one matrix cell, over a real UDP socket on 127.0.0.1
// with poll(): the same exchange the peer programs run (peers/peer_common.h).
// As client we send three messages and expect each echoed; as server we
// check each and echo it. Then we close and the peer answers, or (with
// peer_closes_first) the peer closes and we answer with close().
#pragma once

#include <netinet/in.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dtls/dtls.hpp"
#include "peer_process.hpp"

namespace dtls::interop {

constexpr int kMessages = 3;
// Message `index` of the exchange; the same bytes as peer_message() in C.
Bytes exchange_message(int index);

struct OurSideResult {
    bool established = false;
    Negotiated negotiated;
    int messages_ok = 0;          // messages that arrived intact (server) or came back intact (client)
    std::string data_error;       // the first mismatch, if any
    bool peer_closed = false;     // the peer's close_notify arrived (Closed event)
    bool answered_close = false;  // and we called close() to answer it
    bool we_closed = false;       // we called close() first
    unsigned datagrams_after_close = 0;  // from the peer, after our close() (its answer)
    std::optional<Error> error;   // why our connection failed, if it did
    unsigned hello_verify_requests = 0;  // sent (server) or received (client)
    size_t largest_datagram_received = 0;
    size_t largest_datagram_sent = 0;
    std::vector<std::string> trace;  // our engine's trace lines

    std::string trace_tail(size_t lines = 80) const;
};

// A UDP socket bound to 127.0.0.1 on a kernel-chosen port.
class UdpSocket {
public:
    UdpSocket();
    ~UdpSocket();
    UdpSocket(const UdpSocket&) = delete;
    UdpSocket& operator=(const UdpSocket&) = delete;
    int fd() const { return fd_; }
    uint16_t port() const;

private:
    int fd_ = -1;
    sockaddr_in local_{};
};

// Runs our client against the peer server listening on `peer_port`.
OurSideResult run_our_client(const Config& config, uint16_t peer_port, PeerProcess& peer, bool peer_closes_first,
                             std::chrono::steady_clock::time_point deadline);

// Runs our server on `socket` until the peer client is done.
OurSideResult run_our_server(const Config& config, UdpSocket& socket, PeerProcess& peer, bool peer_closes_first,
                             std::chrono::steady_clock::time_point deadline);

}  // namespace dtls::interop
