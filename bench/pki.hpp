// The certificates every workload uses: a P-256 ECDSA test CA and a P-256
// server certificate for "bench.test" issued by it, made once per process.
#pragma once

#include <memory>
#include <string>

#include "dtls/config.hpp"

namespace dtls::bench {

struct Pki {
    std::string ca_pem;           // the trust anchor
    std::string server_chain_pem; // leaf (the CA is not sent)
    std::string server_key_pem;   // PKCS#8
    std::shared_ptr<const Credential> server_credential;
};

inline constexpr const char* kServerName = "bench.test";

const Pki& pki();

}  // namespace dtls::bench
