// The peer's certificate chain, parsed once per handshake. Parsing a
// certificate is the most expensive step of a handshake after the public-key
// operations themselves (OpenSSL 3 decodes the key through its provider
// machinery), so path validation and the signature check share one parse.
#pragma once

#include <cstddef>
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

// Certificates parsed before, by their DER bytes, so that a peer seen again
// (a client reconnecting to the same server, a device that keeps its
// certificate) is not parsed again. Only the parse is reused: every check
// still runs on every handshake. Holds at most `capacity` certificates (the
// least recently used is dropped first); safe to share between threads.
class CertificateCache {
public:
    explicit CertificateCache(size_t capacity);
    ~CertificateCache();
    CertificateCache(const CertificateCache&) = delete;
    CertificateCache& operator=(const CertificateCache&) = delete;

    size_t size() const;

private:
    friend class CertificateChain;
    struct State;
    std::unique_ptr<State> state_;
};

class CertificateChain {
public:
    // Parses a chain as the peer sent it (DER, leaf first), taking
    // certificates already in `cache` from there and adding the others. An
    // empty chain, a certificate that does not parse or one followed by
    // trailing bytes is an error (ErrorCode::invalid_argument).
    static Result<CertificateChain> parse(std::span<const Bytes> der_chain, CertificateCache* cache = nullptr);

    CertificateChain(CertificateChain&&) noexcept;
    CertificateChain& operator=(CertificateChain&&) noexcept;
    ~CertificateChain();

    // The leaf's public key, for checking the peer's handshake signature; an
    // error (ErrorCode::invalid_argument) when the key cannot be read.
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
