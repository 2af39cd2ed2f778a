// Certificate path validation through OpenSSL's X509 store.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "crypto/certificate_chain.hpp"
#include "dtls/config.hpp"
#include "dtls/errors.hpp"

namespace dtls::crypto {

struct ChainVerdict {
    bool trusted = false;
    Alert alert = Alert::bad_certificate;  // what to send when not trusted
    std::string error;                     // e.g. "unable to get local issuer certificate"
};

class TrustStore {
public:
    // Loads the roots named by config.ca_file, ca_path and ca_pem (any
    // combination; none gives an empty store that trusts nothing).
    static Result<std::shared_ptr<const TrustStore>> create(const Config& config);

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
