// Certificate path validation through OpenSSL's X509 store.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "crypto/certificate_chain.hpp"
#include "dtls/errors.hpp"

namespace dtls::crypto {

// Where the trusted roots come from (any combination; none gives an empty
// store that trusts nothing).
struct TrustAnchors {
    std::string ca_file;  // PEM file
    std::string ca_path;  // OpenSSL hashed directory
    std::string ca_pem;   // PEM text
};

// Why a chain was not accepted, in the distinctions TLS alerts make.
enum class ChainProblem {
    none,
    unknown_issuer,  // no path to a trusted root
    expired,         // or not yet valid
    revoked,
    wrong_purpose,   // not for a TLS server (or client)
    invalid,         // name mismatch, bad signature, broken dates
    setup_failed,    // the check itself could not be run
    other,
};

struct ChainVerdict {
    bool trusted = false;
    ChainProblem problem = ChainProblem::none;
    std::string error;  // e.g. "unable to get local issuer certificate"
};

class TrustStore {
public:
    static Result<std::shared_ptr<const TrustStore>> create(const TrustAnchors& anchors);

    ~TrustStore();

    // Checks the chain for the given purpose at the current system time.
    // `expected_name` is a DNS name or an IP address literal to match against
    // the leaf; empty means no name check.
    ChainVerdict verify(const CertificateChain& chain, std::string_view expected_name, bool peer_is_server) const;

    // Peer certificates parsed by connections that verify with this store,
    // for CertificateChain::parse to reuse (see CertificateCache).
    CertificateCache& certificate_cache() const { return *cache_; }
    static constexpr size_t certificate_cache_capacity = 32;

private:
    struct State;
    explicit TrustStore(std::unique_ptr<State> s);
    std::unique_ptr<State> state_;
    std::unique_ptr<CertificateCache> cache_;
};

}  // namespace dtls::crypto
