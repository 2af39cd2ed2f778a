// Handshakes of our client and server (or our client and libssl's server)
// through a "black hole" path: the impaired link with no loss, whose MTU
// drops every datagram larger than it without a word, as a path that
// filters ICMP does. The path MTU back-off (Config::pmtu_backoff_after) is
// what lets such a handshake complete; tests/tls12/ and tests/tls13/ check it
// for their version.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "dtls/dtls.hpp"
#include "support/impaired_link.hpp"

namespace dtls::test {

struct BlackHoleCase {
    ProtocolVersion version = ProtocolVersion::dtls1_3;
    size_t mtu = 1500;                  // both sides' Config::mtu
    size_t path_mtu = 1000;             // larger datagrams vanish; 65535: a clean path
    unsigned pmtu_backoff_after = Config{}.pmtu_backoff_after;
    // The server requires a client certificate and the client has an RSA one,
    // so the client's last flight is large too: both roles must back off.
    bool client_certificate = false;
    bool openssl_server = false;  // libssl's server (DTLS 1.2; its own MTU is path_mtu)
};

// One datagram a side sent, and that side's Connection::mtu() when it was polled.
struct SentDatagram {
    size_t size = 0;
    size_t mtu = 0;
};

struct SideResult {
    bool complete = false;
    std::optional<Error> failure;
    size_t mtu = 0;  // Connection::mtu() at the end; 0 for libssl
    Stats stats;
    std::vector<SentDatagram> sent;
};

struct BlackHoleRun {
    SideResult client, server;
    LinkStats link;
    Duration elapsed{};  // virtual time until both completed, or until both gave up
    // After completion, one record of the server's max_payload() from server
    // to client through the same path (our server only): whether it arrived.
    bool full_record_arrived = false;
};

// Runs one handshake with the default timers and retry limits.
BlackHoleRun run_black_hole(const BlackHoleCase& c);

// Whether, once a side's MTU fell to `limit` or below, every datagram it
// sent was no larger than `limit` (and none exceeded the MTU it was polled at).
bool fits_after_backoff(const std::vector<SentDatagram>& sent, size_t limit);

// The checks tests/tls12/ and tests/tls13/ run for their version, as gtest
// failures:
// - through a path that drops datagrams over 1000 bytes, a handshake at MTU
//   1500 completes with the default settings: the sides whose flights are
//   too large step down (1500, 1200, 1000), send nothing larger afterwards,
//   report 1000 from mtu() and carry a record of max_payload() through that
//   path; a side whose flights fit keeps 1500. Returns the virtual time the
//   handshake took.
Duration expect_black_hole_handshake(ProtocolVersion version, bool client_certificate);
// - with pmtu_backoff_after = 0 the same handshake fails, as it always did;
void expect_black_hole_fails_without_backoff(ProtocolVersion version);
// - a clean path never backs off.
void expect_clean_path_keeps_mtu(ProtocolVersion version);

}  // namespace dtls::test
