// The default Config kept to DTLS 1.2: the starting point of the tests of
// DTLS 1.2 behaviour (HelloVerifyRequest, ChangeCipherSpec, the 13-byte
// record header), now that the default speaks DTLS 1.3 as well.
#pragma once

#include "dtls/config.hpp"

namespace dtls::test {

inline Config dtls12_config() {
    Config config;
    config.max_version = ProtocolVersion::dtls1_2;
    return config;
}

}  // namespace dtls::test
