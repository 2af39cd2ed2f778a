// Many seeded handshakes of our client against our server over an impaired
// link (impaired_link.hpp), in virtual time: the check tests/tls12/ and
// tests/tls13/ run for their version.
#pragma once

#include <cstddef>

#include "dtls/dtls.hpp"

namespace dtls::test {

struct Impairment {
    double loss;       // each way
    double duplicate;
    double reorder;
    size_t mtu;
    int seeds;
};

// One handshake per seed, both sides enabling versions up to `version`:
// each must complete, negotiate `version`, send no datagram over the MTU,
// and then carry one record each way over a clean path. Failures are gtest
// failures naming the seed; after four failed seeds the rest are skipped.
void expect_impaired_handshakes(const Impairment& impairment, ProtocolVersion version);

}  // namespace dtls::test
