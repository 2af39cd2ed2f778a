// The peer's certificate chain, parsed once per handshake. Parsing a
// certificate is the most expensive step of a handshake after the public-key
// operations themselves (OpenSSL 3 decodes the key through its provider
// machinery), so path validation and the signature check share one parse.
#pragma once

#include <memory>
#include <span>

#include "crypto/signature.hpp"
#include "dtls/config.hpp"
#include "dtls/errors.hpp"

// OpenSSL's types, named only so TrustStore can reach the parsed
// certificates without this header including OpenSSL's.
struct x509_st;
struct stack_st_X509;

namespace dtls::crypto {

class TrustStore;

class CertificateChain {
public:
    // Parses a chain as the peer sent it (DER, leaf first). An empty chain, a
    // certificate that does not parse or one followed by trailing bytes is
    // an error naming Alert::bad_certificate.
    static Result<CertificateChain> parse(std::span<const Bytes> der_chain);

    CertificateChain(CertificateChain&&) noexcept;
    CertificateChain& operator=(CertificateChain&&) noexcept;
    ~CertificateChain();

    // The leaf's public key, for checking the peer's handshake signature;
    // Alert::unsupported_certificate when the key cannot be read.
    Result<PublicKey> leaf_key() const;

private:
    friend class TrustStore;
    struct State;
    explicit CertificateChain(std::unique_ptr<State> s);
    x509_st* leaf() const;
    stack_st_X509* intermediates() const;
    std::unique_ptr<State> state_;
};

}  // namespace dtls::crypto
