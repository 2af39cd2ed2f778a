// The path MTU back-off in DTLS 1.3 (Config::pmtu_backoff_after): a
// handshake at MTU 1500 through a path that silently drops datagrams over
// 1000 bytes (support/black_hole.hpp).
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>

#include "support/black_hole.hpp"

namespace dtls::test {
namespace {

constexpr ProtocolVersion kVersion = ProtocolVersion::dtls1_3;

void report(const char* what, Duration took) {
    std::cout << "[ virtual  ] " << what << ": "
              << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms\n";
}

// conformance: RFC9147-4.4-11 RFC9147-4.4-13
TEST(PmtuBackoff13, ServerFlightThroughBlackHoleCompletesAtSmallerMtu) {
    report("DTLS 1.3 black-hole handshake", expect_black_hole_handshake(kVersion, false));
}

TEST(PmtuBackoff13, BothRolesBackOffWhenBothFlightsAreLarge) {
    report("DTLS 1.3 black-hole handshake, client certificate", expect_black_hole_handshake(kVersion, true));
}

TEST(PmtuBackoff13, WithoutBackoffTheHandshakeFails) { expect_black_hole_fails_without_backoff(kVersion); }

TEST(PmtuBackoff13, CleanPathNeverBacksOff) { expect_clean_path_keeps_mtu(kVersion); }

}  // namespace
}  // namespace dtls::test
