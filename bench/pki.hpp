// The certificates every workload uses: a P-256 ECDSA test CA and P-256
// server certificates for "bench.test" issued by it, made once per process.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "dtls/config.hpp"

namespace dtls::bench {

struct ServerCertificate {
    std::string chain_pem;  // leaf (the CA is not sent)
    std::string key_pem;    // PKCS#8
    std::shared_ptr<const Credential> credential;
};

struct Pki {
    std::string ca_pem;  // the trust anchor
    // Certificates for kServerName from that CA, each with its own key: the
    // first is every workload's server; the handshake workload also rotates
    // through all of them, so that no client can reuse a parsed certificate.
    std::vector<ServerCertificate> servers;

    const ServerCertificate& server() const { return servers.front(); }
};

inline constexpr const char* kServerName = "bench.test";
inline constexpr size_t kRotatingServers = 64;

const Pki& pki();

}  // namespace dtls::bench
