// DTLS 1.3 handshakes over a lossy, duplicating, reordering link with MTUs
// from 200 to 1500, in virtual time: ours against ours across many seeds.
// Every seeded handshake completes within the retry limit, negotiates DTLS
// 1.3, and no datagram exceeds the MTU (support/impaired_handshakes.hpp).
#include <gtest/gtest.h>

#include "support/impaired_handshakes.hpp"

namespace dtls::test {
namespace {

class ImpairedDtls13 : public ::testing::TestWithParam<Impairment> {};

TEST_P(ImpairedDtls13, HandshakeCompletesAndDataArrives) {
    expect_impaired_handshakes(GetParam(), ProtocolVersion::dtls1_3);
}

INSTANTIATE_TEST_SUITE_P(Links, ImpairedDtls13,
                         ::testing::Values(Impairment{0.10, 0.05, 0.05, 1200, 100},
                                           Impairment{0.30, 0.0, 0.0, 1200, 100},
                                           Impairment{0.30, 0.10, 0.20, 200, 100},
                                           Impairment{0.10, 0.10, 0.10, 1500, 50},
                                           Impairment{0.0, 0.30, 0.30, 256, 50}));

}  // namespace
}  // namespace dtls::test
