// The path MTU back-off in DTLS 1.2 (Config::pmtu_backoff_after): a
// handshake at MTU 1500 through a path that silently drops datagrams over
// 1000 bytes, against our server and libssl's (support/black_hole.hpp).
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>

#include "support/black_hole.hpp"

namespace dtls::test {
namespace {

constexpr ProtocolVersion kVersion = ProtocolVersion::dtls1_2;

void report(const char* what, Duration took) {
    std::cout << "[ virtual  ] " << what << ": "
              << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms\n";
}

// conformance: RFC6347-4.1.1.1-9 RFC6347-4.1.1.1-11
TEST(PmtuBackoff12, ServerFlightThroughBlackHoleCompletesAtSmallerMtu) {
    report("DTLS 1.2 black-hole handshake", expect_black_hole_handshake(kVersion, false));
}

TEST(PmtuBackoff12, BothRolesBackOffWhenBothFlightsAreLarge) {
    report("DTLS 1.2 black-hole handshake, client certificate", expect_black_hole_handshake(kVersion, true));
}

TEST(PmtuBackoff12, WithoutBackoffTheHandshakeFails) { expect_black_hole_fails_without_backoff(kVersion); }

TEST(PmtuBackoff12, CleanPathNeverBacksOff) { expect_clean_path_keeps_mtu(kVersion); }

// Our client's last flight (an RSA certificate and signature) through the
// black hole to libssl, which sends at the path's MTU and requires it.
TEST(PmtuBackoff12, OurClientBacksOffToOpenSslServer) {
    BlackHoleCase c;
    c.version = kVersion;
    c.client_certificate = true;
    c.openssl_server = true;
    const BlackHoleRun run = run_black_hole(c);
    ASSERT_TRUE(run.client.complete) << (run.client.failure ? run.client.failure->to_string() : "no error");
    EXPECT_TRUE(run.server.complete);
    EXPECT_GT(run.link.a_to_b.oversize_dropped, 0u) << "the client's flight never met the black hole";
    EXPECT_EQ(run.client.mtu, c.path_mtu);
    EXPECT_GE(run.client.stats.pmtu_backoffs, 1u);
    EXPECT_TRUE(fits_after_backoff(run.client.sent, c.path_mtu));
    report("DTLS 1.2 black-hole handshake to libssl", run.elapsed);
}

}  // namespace
}  // namespace dtls::test
