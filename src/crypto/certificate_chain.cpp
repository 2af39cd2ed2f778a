// Parses the peer's chain with d2i_X509, once: TrustStore validates the
// parsed certificates and leaf_key() takes the key from the same leaf.
#include "crypto/certificate_chain.hpp"

#include <openssl/x509.h>

#include "crypto/openssl_ptr.hpp"

namespace dtls::crypto {
namespace {

struct CertStackFree {
    void operator()(STACK_OF(X509) * stack) const { sk_X509_pop_free(stack, X509_free); }
};
using CertStackPtr = std::unique_ptr<STACK_OF(X509), CertStackFree>;

Error chain_error(Alert alert, std::string reason) {
    return Error{ErrorCode::alert_sent, alert, std::move(reason)};
}

}  // namespace

struct CertificateChain::State {
    detail::X509Ptr leaf;
    CertStackPtr intermediates;  // may be empty, never null
};

CertificateChain::CertificateChain(std::unique_ptr<State> s) : state_(std::move(s)) {}
CertificateChain::CertificateChain(CertificateChain&&) noexcept = default;
CertificateChain& CertificateChain::operator=(CertificateChain&&) noexcept = default;
CertificateChain::~CertificateChain() = default;

Result<CertificateChain> CertificateChain::parse(std::span<const Bytes> der_chain) {
    if (der_chain.empty()) {
        return chain_error(Alert::bad_certificate, "no certificate");
    }
    auto state = std::make_unique<State>();
    state->leaf = detail::parse_certificate(der_chain[0]);
    state->intermediates.reset(sk_X509_new_null());
    if (!state->leaf || !state->intermediates) {
        ERR_clear_error();
        return chain_error(Alert::bad_certificate, "cannot parse certificate");
    }
    for (const Bytes& der : der_chain.subspan(1)) {
        detail::X509Ptr cert = detail::parse_certificate(der);
        if (!cert || sk_X509_push(state->intermediates.get(), cert.get()) == 0) {
            ERR_clear_error();
            return chain_error(Alert::bad_certificate, "cannot parse certificate");
        }
        cert.release();  // now owned by the stack
    }
    return CertificateChain(std::move(state));
}

Result<PublicKey> CertificateChain::leaf_key() const {
    // X509_get_pubkey hands back a new reference, which the PublicKey owns.
    EVP_PKEY* key = X509_get_pubkey(state_->leaf.get());
    if (key == nullptr) {
        detail::take_openssl_error();
        return chain_error(Alert::unsupported_certificate, "cannot read the certificate's public key");
    }
    return PublicKey::adopt(key);
}

X509* CertificateChain::leaf() const { return state_->leaf.get(); }
STACK_OF(X509) * CertificateChain::intermediates() const { return state_->intermediates.get(); }

}  // namespace dtls::crypto
