// Parses the peer's chain with d2i_X509, once: TrustStore validates the
// parsed certificates and leaf_key() takes the key from the same leaf. In
// OpenSSL 3.0 a parse costs about as much as an ECDSA verification (the
// public key goes through the provider decoders), hence the cache.
#include "crypto/certificate_chain.hpp"

#include <openssl/x509.h>

#include <algorithm>
#include <list>
#include <mutex>

#include "crypto/openssl_ptr.hpp"

namespace dtls::crypto {
namespace {

struct CertStackFree {
    void operator()(STACK_OF(X509) * stack) const { sk_X509_pop_free(stack, X509_free); }
};
using CertStackPtr = std::unique_ptr<STACK_OF(X509), CertStackFree>;

Error chain_error(std::string reason) { return Error{ErrorCode::invalid_argument, std::nullopt, std::move(reason)}; }

}  // namespace

struct CertificateCache::State {
    struct Entry {
        Bytes der;
        detail::X509Ptr cert;
    };
    size_t capacity;
    mutable std::mutex mutex;
    std::list<Entry> entries;  // most recently used first

    // A new reference to the parsed certificate, or null if `der` does not
    // parse. Certificates that do not parse are not remembered.
    detail::X509Ptr find_or_parse(std::span<const uint8_t> der) {
        {
            std::lock_guard lock(mutex);
            auto hit = std::find_if(entries.begin(), entries.end(), [&](const Entry& e) {
                return std::equal(e.der.begin(), e.der.end(), der.begin(), der.end());
            });
            if (hit != entries.end()) {
                entries.splice(entries.begin(), entries, hit);
                X509_up_ref(hit->cert.get());
                return detail::X509Ptr(hit->cert.get());
            }
        }
        detail::X509Ptr cert = detail::parse_certificate(der);  // outside the lock: the slow part
        if (!cert || capacity == 0) return cert;
        // Before other threads can find it in the cache.
        detail::fill_lazy_fields(cert.get());
        std::lock_guard lock(mutex);
        // Another thread may have added the same certificate meanwhile.
        const bool added_meanwhile = std::any_of(entries.begin(), entries.end(), [&](const Entry& e) {
            return std::equal(e.der.begin(), e.der.end(), der.begin(), der.end());
        });
        if (added_meanwhile) return cert;
        X509_up_ref(cert.get());
        entries.push_front(Entry{Bytes(der.begin(), der.end()), detail::X509Ptr(cert.get())});
        while (entries.size() > capacity) entries.pop_back();
        return cert;
    }
};

CertificateCache::CertificateCache(size_t capacity) : state_(std::make_unique<State>()) {
    state_->capacity = capacity;
}
CertificateCache::~CertificateCache() = default;

size_t CertificateCache::size() const {
    std::lock_guard lock(state_->mutex);
    return state_->entries.size();
}

struct CertificateChain::State {
    detail::X509Ptr leaf;
    CertStackPtr intermediates;  // may be empty, never null
};

CertificateChain::CertificateChain(std::unique_ptr<State> s) : state_(std::move(s)) {}
CertificateChain::CertificateChain(CertificateChain&&) noexcept = default;
CertificateChain& CertificateChain::operator=(CertificateChain&&) noexcept = default;
CertificateChain::~CertificateChain() = default;

Result<CertificateChain> CertificateChain::parse(std::span<const Bytes> der_chain, CertificateCache* cache) {
    if (der_chain.empty()) {
        return chain_error("no certificate");
    }
    auto parse_one = [cache](std::span<const uint8_t> der) {
        return cache ? cache->state_->find_or_parse(der) : detail::parse_certificate(der);
    };
    auto state = std::make_unique<State>();
    state->leaf = parse_one(der_chain[0]);
    state->intermediates.reset(sk_X509_new_null());
    if (!state->leaf || !state->intermediates) {
        ERR_clear_error();
        return chain_error("cannot parse certificate");
    }
    for (const Bytes& der : der_chain.subspan(1)) {
        detail::X509Ptr cert = parse_one(der);
        if (!cert || sk_X509_push(state->intermediates.get(), cert.get()) == 0) {
            ERR_clear_error();
            return chain_error("cannot parse certificate");
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
        return chain_error("cannot read the certificate's public key");
    }
    return PublicKey::adopt(key);
}

X509* CertificateChain::leaf() const { return state_->leaf.get(); }
STACK_OF(X509) * CertificateChain::intermediates() const { return state_->intermediates.get(); }

}  // namespace dtls::crypto
