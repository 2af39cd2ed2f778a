// The server's counters and the one-line summary --stats prints.
#pragma once

#include <cstdint>
#include <string>

namespace dtls_tool {

struct ServerStats {
    uint64_t accepted = 0;           // connections created by the front door
    uint64_t handshakes_done = 0;
    uint64_t handshakes_failed = 0;
    uint64_t idle_closed = 0;        // closed by --idle-timeout
    uint64_t cookies_sent = 0;  // HelloVerifyRequests and HelloRetryRequests
    uint64_t datagrams_in = 0;
    uint64_t datagrams_out = 0;
    uint64_t bytes_in = 0;
    uint64_t bytes_out = 0;

    // Drops, by reason.
    uint64_t dropped_not_hello = 0;    // unknown address and not a ClientHello we answer
    uint64_t dropped_full = 0;         // unknown address while --max-connections are open
    uint64_t dropped_records = 0;      // the engine discarded a record (bad MAC, replay, epoch...)
    uint64_t dropped_send_buffer = 0;  // our socket's send buffer was full
    uint64_t dropped_receive_buffer = 0;  // the kernel's receive buffer was full (we never saw them)
    uint64_t dropped_unknown_cid = 0;  // a record (tls12_cid, or DTLS 1.3 with the C bit) whose CID no connection issued (--cid)

    std::string line(size_t open_connections) const;
};

}  // namespace dtls_tool
