// Private to src/crypto: owning handles for OpenSSL objects and draining
// OpenSSL's thread-local error queue, so no failure leaks out as hidden state.
#pragma once

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <climits>
#include <memory>
#include <span>
#include <string>

namespace dtls::crypto::detail {

template <auto free_fn>
struct OpenSslFree {
    template <class T>
    void operator()(T* p) const {
        free_fn(p);
    }
};

using PkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslFree<EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OpenSslFree<EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, OpenSslFree<EVP_MD_CTX_free>>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, OpenSslFree<EVP_CIPHER_CTX_free>>;
using X509Ptr = std::unique_ptr<X509, OpenSslFree<X509_free>>;
using BioPtr = std::unique_ptr<BIO, OpenSslFree<BIO_free>>;

// A read-only memory BIO over `bytes` (which must outlive it). Null when the
// input is too large for OpenSSL's int length (a negative length would make
// OpenSSL call strlen on it).
inline BioPtr memory_bio(std::span<const uint8_t> bytes) {
    if (bytes.size() > static_cast<size_t>(INT_MAX)) {
        return nullptr;
    }
    return BioPtr(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
}

// Empties the error queue and returns the most recent entry as text (empty
// if there was none), for use in an Error's reason.
inline std::string take_openssl_error() {
    unsigned long last = 0;
    while (unsigned long code = ERR_get_error()) {
        last = code;
    }
    if (last == 0) {
        return {};
    }
    char text[256];
    ERR_error_string_n(last, text, sizeof(text));
    return text;
}

// Parses exactly one DER certificate; trailing bytes are a failure.
inline X509Ptr parse_certificate(std::span<const uint8_t> der) {
    const unsigned char* p = der.data();
    X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    if (!cert || p != der.data() + der.size()) {
        ERR_clear_error();
        return nullptr;
    }
    return cert;
}

// Makes OpenSSL fill now the fields of `cert` it otherwise fills on first
// use, inside X509_verify_cert (ossl_x509v3_cache_extensions: the decoded
// extensions, among them the subject and authority key identifiers, the
// SHA-1 fingerprint, the signature info), so that once the certificate is
// shared between threads they only read it. OpenSSL fills them under the
// certificate's own lock, but later callers skip that lock after an atomic
// load of a "done" flag; libcrypto is not built with ThreadSanitizer, so TSan
// does not see that load and reports the first verification's writes as
// racing with other threads' reads. Call it while the caller is the only one
// holding `cert`, before publishing it (under a mutex or before starting
// threads). A certificate found invalid is only marked so (verification
// rejects it later); the error OpenSSL queues for it is dropped.
inline void fill_lazy_fields(X509* cert) {
    ERR_set_mark();
    X509_check_purpose(cert, -1, 0);
    ERR_pop_to_mark();
}

}  // namespace dtls::crypto::detail
