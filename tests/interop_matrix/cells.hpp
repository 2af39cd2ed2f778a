// The cells of the interop matrix: every peer in both roles, every suite at
// the baseline, then one dimension at a time varied around the baseline
// (ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, x25519, ECDSA P-256 certificate,
// cookies on, no client authentication, MTU 1200, no ALPN).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dtls/config.hpp"
#include "support/certs.hpp"

namespace dtls::interop {

struct Cell {
    std::string peer;  // see peer names in peers(): "openssl", "gnutls", ...
    bool peer_is_server = false;
    std::string dimension;  // "suite", "group", "certificate", "cookies", "client auth", "mtu", "alpn", "close"
    std::string variant;    // what this cell sets, e.g. "secp384r1", "RSA PSS", "off"

    CipherSuite suite = CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256;
    NamedGroup group = NamedGroup::x25519;
    test::KeyKind server_key = test::KeyKind::ecdsa_p256;
    std::optional<SignatureScheme> rsa_scheme;  // the only RSA scheme our side allows
    bool cookies = true;
    bool client_auth = false;
    size_t mtu = 1200;
    bool alpn = false;
    // The peer sends close_notify first and we answer it; otherwise we close
    // first and the peer answers.
    bool peer_closes_first = false;

    // Non-empty when the peer cannot do this cell: why. Such a cell must not
    // pass (if it does, the limitation is gone and the list is out of date),
    // and must fail in the way that shows the limitation: one of its problems
    // contains `limitation_signature`. Any other failure (a missing peer, a
    // bug of ours) fails the cell.
    std::string known_limitation;
    std::string limitation_signature;

    std::string test_name() const;
};

struct PeerInfo {
    std::string name;     // short, used in test names
    std::string display;  // library and version, for the table
};

const std::vector<PeerInfo>& peers();
std::vector<Cell> all_cells();

}  // namespace dtls::interop
