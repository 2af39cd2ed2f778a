#include "cells.hpp"

#include <cctype>

namespace dtls::interop {
namespace {

using test::KeyKind;

constexpr CipherSuite kAllSuites[] = {
    CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256,       CipherSuite::ecdhe_ecdsa_aes256_gcm_sha384,
    CipherSuite::ecdhe_ecdsa_chacha20_poly1305_sha256, CipherSuite::ecdhe_rsa_aes128_gcm_sha256,
    CipherSuite::ecdhe_rsa_aes256_gcm_sha384,         CipherSuite::ecdhe_rsa_chacha20_poly1305_sha256,
    CipherSuite::ecdhe_ecdsa_aes128_ccm,              CipherSuite::ecdhe_ecdsa_aes128_ccm8,
};

bool is_rsa_suite(CipherSuite suite) {
    return suite == CipherSuite::ecdhe_rsa_aes128_gcm_sha256 || suite == CipherSuite::ecdhe_rsa_aes256_gcm_sha384 ||
           suite == CipherSuite::ecdhe_rsa_chacha20_poly1305_sha256;
}

bool is_ccm_suite(CipherSuite suite) {
    return suite == CipherSuite::ecdhe_ecdsa_aes128_ccm || suite == CipherSuite::ecdhe_ecdsa_aes128_ccm8;
}

// What each library is known not to do, from its documentation and build,
// and the failure that shows it (the text one of the cell's problems must
// contain, in this role); the matrix run proves each one, so none is assumed.
struct Limitation {
    std::string reason;
    std::string signature;
};

Limitation known_limitation(const Cell& c) {
    const bool ed25519 = c.server_key == KeyKind::ed25519;
    const bool pss = c.rsa_scheme == SignatureScheme::rsa_pss_rsae_sha256;
    const bool server = c.peer_is_server;
    if (c.peer == "mbedtls" && ed25519) {
        return {"Mbed TLS 2.28 has no Ed25519 (neither keys nor certificates)",
                server ? "Key algorithm is unsupported" : "no signature scheme in common"};
    }
    if (c.peer == "mbedtls" && pss) {
        return {"Mbed TLS 2.28 signs and verifies TLS 1.2 handshakes with PKCS#1 v1.5 only (RSA-PSS is TLS 1.3 only)",
                server ? "None of the common ciphersuites is usable" : "no signature scheme in common"};
    }
    if (c.peer == "openssl" && ed25519 && server) {
        return {"OpenSSL 3.0 does not use Ed25519 server keys in DTLS 1.2 (only in TLS 1.2 and 1.3)", "no shared cipher"};
    }
    if (c.peer == "botan" && ed25519) {
        return {"Botan 2.19 has no Ed25519 signature scheme in TLS 1.2 (it neither offers nor accepts one)",
                server ? "Can't agree on a ciphersuite" : "no signature scheme in common"};
    }
    if (c.peer == "jsse" && is_ccm_suite(c.suite)) {
        return {"SunJSSE (Java 17) has no AES-CCM suite (RFC 7251), neither CCM nor CCM_8",
                "Unsupported CipherSuite"};
    }
    if (server && !c.cookies) {
        const std::string seen = "sent a HelloVerifyRequest although told not to";
        if (c.peer == "wolfssl") return {"wolfSSL 5.5's DTLS 1.2 server always sends HelloVerifyRequest", seen};
        if (c.peer == "jsse") return {"SunJSSE's DTLS server always sends HelloVerifyRequest for a new handshake", seen};
    }
    return {};
}

}  // namespace

const std::vector<PeerInfo>& peers() {
    static const std::vector<PeerInfo> all = {
        {"openssl", "OpenSSL 3.0 (libssl)"},   {"gnutls", "GnuTLS 3.7"}, {"mbedtls", "Mbed TLS 2.28"},
        {"wolfssl", "wolfSSL 5.5"},            {"botan", "Botan 2.19"},  {"jsse", "Java 17 SunJSSE (SSLEngine)"},
    };
    return all;
}

std::string Cell::test_name() const {
    std::string name = peer + (peer_is_server ? "_server_" : "_client_") + dimension + "_" + variant;
    for (char& ch : name) {
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
    }
    return name;
}

std::vector<Cell> all_cells() {
    std::vector<Cell> cells;
    for (const PeerInfo& peer : peers()) {
        for (bool peer_is_server : {false, true}) {
            Cell base;
            base.peer = peer.name;
            base.peer_is_server = peer_is_server;
            auto add = [&](Cell c) {
                Limitation limitation = known_limitation(c);
                c.known_limitation = std::move(limitation.reason);
                c.limitation_signature = std::move(limitation.signature);
                cells.push_back(std::move(c));
            };
            for (CipherSuite suite : kAllSuites) {
                Cell c = base;
                c.dimension = "suite";
                c.variant = to_string(suite);
                c.suite = suite;
                if (is_rsa_suite(suite)) c.server_key = KeyKind::rsa2048;
                add(c);
            }
            for (NamedGroup group : {NamedGroup::secp256r1, NamedGroup::secp384r1}) {
                Cell c = base;
                c.dimension = "group";
                c.variant = to_string(group);
                c.group = group;
                add(c);
            }
            for (SignatureScheme scheme : {SignatureScheme::rsa_pkcs1_sha256, SignatureScheme::rsa_pss_rsae_sha256}) {
                Cell c = base;
                c.dimension = "certificate";
                c.variant = scheme == SignatureScheme::rsa_pss_rsae_sha256 ? "RSA 2048, PSS" : "RSA 2048, PKCS1";
                c.suite = CipherSuite::ecdhe_rsa_aes128_gcm_sha256;
                c.server_key = KeyKind::rsa2048;
                c.rsa_scheme = scheme;
                add(c);
            }
            {
                Cell c = base;
                c.dimension = "certificate";
                c.variant = "Ed25519";
                c.server_key = KeyKind::ed25519;
                add(c);
            }
            {
                Cell c = base;
                c.dimension = "cookies";
                c.variant = "off";
                c.cookies = false;
                add(c);
            }
            {
                Cell c = base;
                c.dimension = "client auth";
                c.variant = "required";
                c.client_auth = true;
                add(c);
            }
            {
                Cell c = base;
                c.dimension = "mtu";
                c.variant = "300, RSA 2048";
                c.suite = CipherSuite::ecdhe_rsa_aes128_gcm_sha256;
                c.server_key = KeyKind::rsa2048;
                c.mtu = 300;
                add(c);
            }
            {
                Cell c = base;
                c.dimension = "alpn";
                c.variant = "on";
                c.alpn = true;
                add(c);
            }
            {
                Cell c = base;
                c.dimension = "close";
                c.variant = "peer closes first";
                c.peer_closes_first = true;
                add(c);
            }
        }
    }
    return cells;
}

}  // namespace dtls::interop
