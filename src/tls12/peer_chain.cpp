#include "tls12/peer_chain.hpp"

#include "crypto/certificate_chain.hpp"
#include "crypto/fingerprint.hpp"
#include "crypto/secret.hpp"

namespace dtls::tls12 {

namespace {

Fault fault_for(crypto::ChainProblem problem) {
    switch (problem) {
        case crypto::ChainProblem::unknown_issuer: return Fault::certificate_unknown_issuer;
        case crypto::ChainProblem::expired: return Fault::certificate_expired;
        case crypto::ChainProblem::revoked: return Fault::certificate_revoked;
        case crypto::ChainProblem::wrong_purpose: return Fault::certificate_unsupported;
        case crypto::ChainProblem::invalid: return Fault::certificate_invalid;
        case crypto::ChainProblem::setup_failed: return Fault::internal_failure;
        case crypto::ChainProblem::none:
        case crypto::ChainProblem::other: break;
    }
    return Fault::certificate_unknown;
}

}  // namespace

Result<crypto::PublicKey> check_peer_chain(const Config& config, const crypto::TrustStore* trust, Role our_role,
                                           const std::vector<Bytes>& chain) {
    const bool peer_is_server = our_role == Role::client;
    if (chain.empty()) return Error::from(Fault::certificate_invalid, "peer sent no certificate");

    // Parsed once: the trust store and the signature check share the result.
    Result<crypto::CertificateChain> parsed =
        crypto::CertificateChain::parse(chain, trust ? &trust->certificate_cache() : nullptr);
    const bool verify = peer_is_server ? config.verify_peer : true;
    if (verify) {
        CertificateCheck check{chain, false, {}};
        Fault fault = Fault::certificate_invalid;
        if (!config.peer_fingerprints.empty()) {
            // Fingerprints replace the store (the configuration check
            // refuses both): the leaf is trusted by its hash alone.
            auto match = crypto::matches_any_fingerprint(chain.front(), config.peer_fingerprints);
            if (!match) return Error::from(Fault::internal_failure, "fingerprint check: " + match.error().reason);
            check.trusted = *match;
            if (!*match) {
                check.store_error = "the certificate's fingerprint, " + certificate_fingerprint(chain.front()) +
                                    ", matches none of peer_fingerprints";
            }
            fault = Fault::fingerprint_mismatch;
        } else if (trust) {
            std::string name = peer_is_server && config.verify_server_name ? config.server_name : std::string();
            crypto::ChainVerdict verdict{false, crypto::ChainProblem::invalid, parsed ? "" : parsed.error().reason};
            if (parsed) verdict = trust->verify(*parsed, name, peer_is_server);
            check.trusted = verdict.trusted;
            check.store_error = verdict.error;
            fault = fault_for(verdict.problem);
        } else {
            check.store_error = "no trusted certificates configured";
            fault = Fault::certificate_unknown_issuer;
        }
        if (config.verifier) {
            VerifyDecision decision = config.verifier(check);
            if (!decision.accept) {
                return Error::from(Fault::certificate_rejected, "certificate rejected by verifier: " + decision.reason);
            }
        } else if (!check.trusted) {
            return Error::from(fault, "certificate verify failed: " + check.store_error);
        }
    }

    if (!parsed) return Error::from(Fault::certificate_invalid, "peer certificate: " + parsed.error().reason);
    auto key = parsed->leaf_key();
    if (!key) return Error::from(Fault::certificate_unsupported, "peer certificate key: " + key.error().reason);
    return key;
}

Result<crypto::PublicKey> check_peer_raw_public_key(const Config& config, Role our_role,
                                                    const std::vector<Bytes>& certificates) {
    if (certificates.empty()) return Error::from(Fault::certificate_invalid, "peer sent no raw public key");
    if (certificates.size() != 1) {
        return Error::from(Fault::malformed_message,
                           "a raw public key Certificate holds one SubjectPublicKeyInfo, not " +
                               std::to_string(certificates.size()) + " entries (RFC 7250 3)");
    }
    const Bytes& spki = certificates.front();
    auto key = crypto::PublicKey::from_subject_public_key_info(spki);
    if (!key) return Error::from(Fault::certificate_invalid, "peer's raw public key: " + key.error().reason);
    if (key->type() == crypto::KeyType::unsupported) {
        return Error::from(Fault::certificate_unsupported, "peer's raw public key is not ECDSA, RSA or Ed25519");
    }
    const bool verify = our_role == Role::client ? config.verify_peer : true;
    if (!verify) return key;
    // Every trusted key is compared, so the time taken does not tell which
    // one (if any) matched.
    bool trusted = false;
    for (const Bytes& candidate : config.trusted_raw_public_keys) {
        trusted |= crypto::equal_constant_time(candidate, spki);
    }
    CertificateCheck check{certificates, trusted,
                           trusted ? std::string() : std::string("the raw public key is none of trusted_raw_public_keys"),
                           CertificateType::raw_public_key};
    if (config.verifier) {
        VerifyDecision decision = config.verifier(check);
        if (!decision.accept) {
            return Error::from(Fault::certificate_rejected, "raw public key rejected by verifier: " + decision.reason);
        }
    } else if (!trusted) {
        return Error::from(Fault::raw_public_key_untrusted, "raw public key verify failed: " + check.store_error);
    }
    return key;
}

}  // namespace dtls::tls12
