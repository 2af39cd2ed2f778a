// Certificate path validation with OpenSSL's X509 store: roots from the
// configuration, intermediates from the peer's (already parsed) chain, TLS
// purpose, host name or IP address, and each failure sorted into the
// distinctions TLS alerts make (the handshake picks the alert).
#include "crypto/trust_store.hpp"

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <filesystem>
#include <system_error>

#include "crypto/openssl_ptr.hpp"

namespace dtls::crypto {
namespace {

using StorePtr = std::unique_ptr<X509_STORE, detail::OpenSslFree<X509_STORE_free>>;
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, detail::OpenSslFree<X509_STORE_CTX_free>>;

Error load_error(std::string reason) {
    std::string detail = detail::take_openssl_error();
    if (!detail.empty()) {
        reason += " (" + detail + ")";
    }
    return Error{ErrorCode::credential, std::nullopt, std::move(reason)};
}

// Adds every certificate in `pem` to the store; fails if there is none or
// one is malformed.
bool add_pem_roots(X509_STORE* store, std::string_view pem) {
    detail::BioPtr bio = detail::memory_bio({reinterpret_cast<const uint8_t*>(pem.data()), pem.size()});
    if (!bio) {
        return false;
    }
    size_t added = 0;
    while (true) {
        detail::X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
        if (!cert) {
            // Running out of PEM blocks after at least one certificate is the normal end.
            unsigned long err = ERR_peek_last_error();
            bool clean_end = added > 0 && ERR_GET_LIB(err) == ERR_LIB_PEM && ERR_GET_REASON(err) == PEM_R_NO_START_LINE;
            if (clean_end) {
                ERR_clear_error();
            }
            return clean_end;
        }
        if (X509_STORE_add_cert(store, cert.get()) != 1) {
            return false;
        }
        ++added;
    }
}

ChainProblem problem_for(int verify_error) {
    switch (verify_error) {
        case X509_V_ERR_CERT_HAS_EXPIRED:
        case X509_V_ERR_CERT_NOT_YET_VALID:
            return ChainProblem::expired;
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
        case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
        case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
        case X509_V_ERR_CERT_UNTRUSTED:
        case X509_V_ERR_INVALID_CA:
        case X509_V_ERR_PATH_LENGTH_EXCEEDED:
            return ChainProblem::unknown_issuer;
        case X509_V_ERR_CERT_REVOKED:
            return ChainProblem::revoked;
        case X509_V_ERR_INVALID_PURPOSE:
            return ChainProblem::wrong_purpose;
        case X509_V_ERR_HOSTNAME_MISMATCH:
        case X509_V_ERR_IP_ADDRESS_MISMATCH:
        case X509_V_ERR_CERT_SIGNATURE_FAILURE:
        case X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY:
        case X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE:
        case X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD:
        case X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD:
            return ChainProblem::invalid;
        default:
            return ChainProblem::other;
    }
}

ChainVerdict rejected(ChainProblem problem, std::string error) {
    ERR_clear_error();
    return ChainVerdict{false, problem, std::move(error)};
}

}  // namespace

struct TrustStore::State {
    StorePtr store;
};

TrustStore::TrustStore(std::unique_ptr<State> s)
    : state_(std::move(s)), cache_(std::make_unique<CertificateCache>(certificate_cache_capacity)) {}
TrustStore::~TrustStore() = default;

Result<std::shared_ptr<const TrustStore>> TrustStore::create(const TrustAnchors& config) {
    auto state = std::make_unique<State>();
    state->store.reset(X509_STORE_new());
    if (!state->store) {
        return load_error("cannot create certificate store");
    }
    if (!config.ca_file.empty() && X509_STORE_load_file(state->store.get(), config.ca_file.c_str()) != 1) {
        return load_error("cannot load CA file '" + config.ca_file + "'");
    }
    if (!config.ca_path.empty()) {
        // The directory is only consulted lazily during verification, so a
        // wrong path would otherwise fail silently much later.
        std::error_code ec;
        if (!std::filesystem::is_directory(config.ca_path, ec)) {
            return load_error("CA path '" + config.ca_path + "' is not a readable directory");
        }
        if (X509_STORE_load_path(state->store.get(), config.ca_path.c_str()) != 1) {
            return load_error("cannot use CA path '" + config.ca_path + "'");
        }
    }
    if (!config.ca_pem.empty() && !add_pem_roots(state->store.get(), config.ca_pem)) {
        return load_error("cannot parse the certificates in ca_pem");
    }
    // Every thread verifying with this store shares its roots: see
    // fill_lazy_fields. (Roots in ca_path are only loaded during a
    // verification, so they are not covered.)
    STACK_OF(X509_OBJECT)* roots = X509_STORE_get0_objects(state->store.get());
    for (int i = 0; i < sk_X509_OBJECT_num(roots); ++i) {
        if (X509* root = X509_OBJECT_get0_X509(sk_X509_OBJECT_value(roots, i))) {
            detail::fill_lazy_fields(root);
        }
    }
    return std::shared_ptr<const TrustStore>(new TrustStore(std::move(state)));
}

ChainVerdict TrustStore::verify(const CertificateChain& chain, std::string_view expected_name,
                                bool peer_is_server) const {
    StoreCtxPtr ctx(X509_STORE_CTX_new());
    if (!ctx || X509_STORE_CTX_init(ctx.get(), state_->store.get(), chain.leaf(), chain.intermediates()) != 1) {
        return rejected(ChainProblem::setup_failed, "cannot set up certificate verification");
    }
    // "ssl_server" is the parameter set for checking a server's certificate
    // (purpose and trust sslserver), "ssl_client" for a client's.
    if (X509_STORE_CTX_set_default(ctx.get(), peer_is_server ? "ssl_server" : "ssl_client") != 1) {
        return rejected(ChainProblem::setup_failed, "cannot set up certificate verification");
    }
    X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
    if (!expected_name.empty()) {
        std::string name(expected_name);
        // An IP literal is matched against iPAddress entries; anything else
        // is a DNS name (set1_ip_asc fails on non-literals).
        bool name_set = X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str()) == 1;
        if (!name_set) {
            ERR_clear_error();
            X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
            name_set = X509_VERIFY_PARAM_set1_host(param, name.data(), name.size()) == 1;
        }
        if (!name_set) {
            return rejected(ChainProblem::setup_failed, "cannot use '" + name + "' as the expected peer name");
        }
    }

    if (X509_verify_cert(ctx.get()) == 1) {
        ERR_clear_error();
        return ChainVerdict{true, ChainProblem::none, {}};
    }
    int err = X509_STORE_CTX_get_error(ctx.get());
    return rejected(problem_for(err), X509_verify_cert_error_string(err));
}

}  // namespace dtls::crypto
