// Whole handshakes over a lossy, duplicating, reordering link with a small
// MTU, in virtual time: ours against ours across many seeds
// (support/impaired_handshakes.hpp).
#include <gtest/gtest.h>

#include "support/impaired_handshakes.hpp"

namespace dtls::test {
namespace {

class ImpairedOurs : public ::testing::TestWithParam<Impairment> {};

TEST_P(ImpairedOurs, HandshakeCompletesAndDataArrives) {
    expect_impaired_handshakes(GetParam(), ProtocolVersion::dtls1_2);
}

INSTANTIATE_TEST_SUITE_P(Links, ImpairedOurs,
                         ::testing::Values(Impairment{0.10, 0.05, 0.05, 1200, 100},
                                           Impairment{0.30, 0.0, 0.0, 1200, 100},
                                           Impairment{0.30, 0.10, 0.20, 256, 150},
                                           Impairment{0.0, 0.30, 0.30, 256, 50}));

}  // namespace
}  // namespace dtls::test
