// A libssl BIO that is a pair of datagram queues instead of a socket, so an
// OpenSSL DTLS endpoint can run in-process with no I/O: one BIO_write is one
// datagram queued out, one BIO_read hands over one queued incoming datagram.
// It answers the datagram controls libssl sends a socket BIO (MTU, peer
// address, connect, timeout notices) so libssl never looks for a socket.
#pragma once

#include <openssl/bio.h>
#include <sys/time.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

namespace dtls::test {

struct DatagramQueues {
    // Bounds against a runaway peer; a test that hits them has a bug.
    static constexpr size_t max_queued = 4096;

    std::deque<std::vector<uint8_t>> incoming;  // read by libssl, oldest first
    std::deque<std::vector<uint8_t>> outgoing;  // written by libssl, oldest first
    size_t mtu = 1200;                          // UDP payload bytes, answered to MTU queries
    uint64_t dropped_incoming = 0;              // pushed while `incoming` was full
    uint64_t dropped_outgoing = 0;              // written while `outgoing` was full

    // libssl announces every (re)start and stop of its retransmission timer
    // with BIO_CTRL_DGRAM_SET_NEXT_TIMEOUT; zero means stopped.
    timeval next_timeout{};
};

// A new BIO reading and writing `queues`, which must outlive it. The BIO does
// not own the queues; hand the BIO to SSL_set_bio (once, as both rbio and wbio).
BIO* make_datagram_bio(DatagramQueues& queues);

}  // namespace dtls::test
