// Our client and server (tests/tls12/pair.hpp) with DTLS 1.3 enabled on both
// sides besides DTLS 1.2, the server holding a certificate for "server.test"
// from a test CA the client trusts: the starting point of the DTLS 1.3 tests.
#pragma once

#include <algorithm>
#include <span>
#include <string>

#include "support/certs.hpp"
#include "tls12/pair.hpp"

namespace dtls::test {

inline const TestCa& dtls13_test_ca() {
    static const TestCa ca = TestCa::create(KeyKind::ecdsa_p256);
    return ca;
}

// A certificate for `name` (also its DNS name) from dtls13_test_ca().
inline Issued issue_from_test_ca(KeyKind kind, const std::string& name) {
    IssueOptions names;
    names.dns_names = {name};
    return dtls13_test_ca().issue(kind, name, names);
}

// Enables DTLS 1.3, and DTLS 1.2 as well unless `also_dtls12` is false.
inline void enable_dtls13(Config& config, bool also_dtls12 = true) {
    config.max_version = ProtocolVersion::dtls1_3;
    if (!also_dtls12) config.min_version = ProtocolVersion::dtls1_3;
}

inline Pair make_dtls13_pair(KeyKind server_key = KeyKind::ecdsa_p256) {
    Pair p;
    p.server_config.credential =
        std::make_shared<Credential>(credential_of(issue_from_test_ca(server_key, "server.test")));
    p.client_config.ca_pem = dtls13_test_ca().cert_pem();
    p.client_config.server_name = "server.test";
    enable_dtls13(p.client_config);
    enable_dtls13(p.server_config);
    return p;
}

// Whether the datagram's first record is a plaintext ServerHello carrying
// the HelloRetryRequest random.
inline bool is_hello_retry_request(std::span<const uint8_t> d) {
    constexpr size_t record_header = 13, handshake_header = 12, random_at = record_header + handshake_header + 2;
    if (d.size() < random_at + 32 || d[0] != 22 || d[record_header] != 2) return false;
    // SHA-256("HelloRetryRequest"), RFC 8446 4.1.3.
    const uint8_t hrr_random_start[4] = {0xCF, 0x21, 0xAD, 0x74};
    return std::equal(hrr_random_start, hrr_random_start + 4, d.begin() + random_at);
}

}  // namespace dtls::test
