// The test certificate factory, written directly against OpenSSL's X509
// builder functions. Any failure here is a broken test environment, so it
// stops the test binary with OpenSSL's reason instead of returning errors.
#include "support/certs.hpp"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <array>
#include <map>
#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace dtls::test {
namespace {

using KeyPtr = std::shared_ptr<EVP_PKEY>;
using CertPtr = std::shared_ptr<X509>;

[[noreturn]] void die(const std::string& what) {
    char detail[256] = "";
    if (unsigned long err = ERR_get_error()) {
        ERR_error_string_n(err, detail, sizeof(detail));
    }
    std::fprintf(stderr, "test certificate factory: %s %s\n", what.c_str(), detail);
    std::abort();
}

KeyPtr checked_key(EVP_PKEY* key) {
    if (key == nullptr) {
        die("key generation failed");
    }
    return KeyPtr(key, EVP_PKEY_free);
}

KeyPtr new_key(KeyKind kind) {
    switch (kind) {
        case KeyKind::ecdsa_p256: return checked_key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
        case KeyKind::ecdsa_p384: return checked_key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384"));
        case KeyKind::ed25519: return checked_key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
        case KeyKind::rsa2048: return checked_key(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048}));
    }
    die("unknown key kind");
}

// RSA keys take tens of milliseconds each, so a small pool is reused in
// rotation. Consecutive calls still get different keys, which tests of
// "key does not match certificate" rely on; EC and Ed25519 keys are cheap and
// always fresh.
KeyPtr key_for(KeyKind kind) {
    if (kind != KeyKind::rsa2048) {
        return new_key(kind);
    }
    static std::mutex mutex;
    static std::array<KeyPtr, 3> pool;
    static size_t next = 0;
    std::lock_guard lock(mutex);
    KeyPtr& slot = pool[next];
    next = (next + 1) % pool.size();
    if (!slot) {
        slot = new_key(kind);
    }
    return slot;
}

std::string bio_text(BIO* bio) {
    char* data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<size_t>(len));
}

std::string key_to_pem(EVP_PKEY* key) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
        die("cannot write key PEM");
    }
    return bio_text(bio.get());
}

std::string cert_to_pem(X509* cert) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) {
        die("cannot write certificate PEM");
    }
    return bio_text(bio.get());
}

std::vector<uint8_t> cert_to_der(X509* cert) {
    int len = i2d_X509(cert, nullptr);
    std::vector<uint8_t> der(len > 0 ? static_cast<size_t>(len) : 0);
    unsigned char* out = der.data();
    if (len <= 0 || i2d_X509(cert, &out) != len) {
        die("cannot encode certificate");
    }
    return der;
}

// The digest a certificate is signed with follows the signer's key, the way
// a real CA would choose it; Ed25519 takes none.
const EVP_MD* signing_digest(EVP_PKEY* signer) {
    if (EVP_PKEY_get_base_id(signer) == EVP_PKEY_ED25519) {
        return nullptr;
    }
    if (EVP_PKEY_get_base_id(signer) == EVP_PKEY_EC && EVP_PKEY_get_bits(signer) == 384) {
        return EVP_sha384();
    }
    return EVP_sha256();
}

void add_extension(X509* cert, X509V3_CTX* ctx, int nid, const std::string& value) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, ctx, nid, value.c_str());
    if (ext == nullptr || X509_add_ext(cert, ext, -1) != 1) {
        die("cannot add extension " + value);
    }
    X509_EXTENSION_free(ext);
}

std::string subject_alt_names(const std::string& common_name, const IssueOptions& options) {
    std::string names;
    auto append = [&names](const char* kind, const std::string& value) {
        names += (names.empty() ? "" : ",") + std::string(kind) + ":" + value;
    };
    for (const std::string& dns : options.dns_names) {
        append("DNS", dns);
    }
    for (const std::string& ip : options.ip_addresses) {
        append("IP", ip);
    }
    if (names.empty() && !options.is_ca && common_name.find(' ') == std::string::npos && !common_name.empty()) {
        append("DNS", common_name);
    }
    return names;
}

// Builds and signs a certificate for `subject_key`. A null issuer makes it
// self-signed (signed by `subject_key`, issuer name = subject name).
CertPtr build_certificate(EVP_PKEY* subject_key, const std::string& common_name, const IssueOptions& options,
                          X509* issuer_cert, EVP_PKEY* issuer_key) {
    CertPtr cert(X509_new(), X509_free);
    if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) {
        die("cannot create certificate");
    }
    X509* x = cert.get();

    // A random positive 127-bit serial, so certificates never collide.
    std::unique_ptr<BIGNUM, decltype(&BN_free)> serial(BN_new(), BN_free);
    if (!serial || BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
        BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(x)) == nullptr) {
        die("cannot set serial number");
    }

    X509_NAME* subject = X509_get_subject_name(x);
    if (X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1, 0) != 1) {
        die("cannot set subject name");
    }
    X509_set_issuer_name(x, issuer_cert != nullptr ? X509_get_subject_name(issuer_cert) : subject);

    if (X509_time_adj_ex(X509_getm_notBefore(x), static_cast<int>(options.not_before_days), 0, nullptr) == nullptr ||
        X509_time_adj_ex(X509_getm_notAfter(x), static_cast<int>(options.not_after_days), 0, nullptr) == nullptr ||
        X509_set_pubkey(x, subject_key) != 1) {
        die("cannot set validity or public key");
    }

    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer_cert != nullptr ? issuer_cert : x, x, nullptr, nullptr, 0);
    add_extension(x, &ctx, NID_basic_constraints, options.is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
    if (options.is_ca) {
        add_extension(x, &ctx, NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature");
    } else {
        // RSA keys may also be used for key transport; ECDHE suites only sign.
        bool rsa = EVP_PKEY_get_base_id(subject_key) == EVP_PKEY_RSA;
        add_extension(x, &ctx, NID_key_usage,
                      rsa ? "critical,digitalSignature,keyEncipherment" : "critical,digitalSignature");
        std::string usages = std::string(options.server_auth ? "serverAuth," : "") +
                             (options.client_auth ? "clientAuth," : "");
        if (!usages.empty()) {
            usages.pop_back();
            add_extension(x, &ctx, NID_ext_key_usage, usages);
        }
    }
    add_extension(x, &ctx, NID_subject_key_identifier, "hash");
    add_extension(x, &ctx, NID_authority_key_identifier, "keyid:always");
    std::string alt_names = subject_alt_names(common_name, options);
    if (!alt_names.empty()) {
        add_extension(x, &ctx, NID_subject_alt_name, alt_names);
    }

    EVP_PKEY* signer = issuer_key != nullptr ? issuer_key : subject_key;
    if (X509_sign(x, signer, signing_digest(signer)) <= 0) {
        die("cannot sign certificate");
    }
    return cert;
}

}  // namespace

struct TestCa::State {
    KeyPtr key;
    CertPtr cert;
    std::string cert_pem;
    std::string key_pem;
    std::vector<uint8_t> cert_der;
    // This CA's certificate and those above it, except the root: what a
    // leaf's chain must carry to reach the root.
    std::string intermediates_pem;
};

TestCa::TestCa(std::shared_ptr<const State> s) : state_(std::move(s)) {}

TestCa TestCa::create(KeyKind kind, const std::string& common_name) {
    auto state = std::make_shared<State>();
    state->key = key_for(kind);
    IssueOptions options;
    options.not_after_days = 3650;
    options.is_ca = true;
    state->cert = build_certificate(state->key.get(), common_name, options, nullptr, nullptr);
    state->cert_pem = cert_to_pem(state->cert.get());
    state->key_pem = key_to_pem(state->key.get());
    state->cert_der = cert_to_der(state->cert.get());
    return TestCa(std::move(state));
}

Issued TestCa::issue(KeyKind kind, const std::string& common_name, const IssueOptions& options) const {
    KeyPtr key = key_for(kind);
    CertPtr cert = build_certificate(key.get(), common_name, options, state_->cert.get(), state_->key.get());
    Issued issued;
    issued.cert_pem = cert_to_pem(cert.get());
    issued.key_pem = key_to_pem(key.get());
    issued.chain_pem = issued.cert_pem + state_->intermediates_pem;
    issued.cert_der = cert_to_der(cert.get());
    return issued;
}

TestCa TestCa::intermediate(KeyKind kind, const std::string& common_name) const {
    auto state = std::make_shared<State>();
    state->key = key_for(kind);
    IssueOptions options;
    options.not_after_days = 3650;
    options.is_ca = true;
    state->cert = build_certificate(state->key.get(), common_name, options, state_->cert.get(), state_->key.get());
    state->cert_pem = cert_to_pem(state->cert.get());
    state->key_pem = key_to_pem(state->key.get());
    state->cert_der = cert_to_der(state->cert.get());
    state->intermediates_pem = state->cert_pem + state_->intermediates_pem;
    return TestCa(std::move(state));
}

const std::string& TestCa::cert_pem() const { return state_->cert_pem; }
const std::string& TestCa::key_pem() const { return state_->key_pem; }
const std::vector<uint8_t>& TestCa::cert_der() const { return state_->cert_der; }

Issued self_signed(KeyKind kind, const std::string& common_name, const IssueOptions& options) {
    KeyPtr key = key_for(kind);
    CertPtr cert = build_certificate(key.get(), common_name, options, nullptr, nullptr);
    Issued issued;
    issued.cert_pem = cert_to_pem(cert.get());
    issued.key_pem = key_to_pem(key.get());
    issued.chain_pem = issued.cert_pem;
    issued.cert_der = cert_to_der(cert.get());
    return issued;
}

dtls::Credential credential_of(const Issued& issued) {
    Result<Credential> credential = Credential::from_pem(issued.chain_pem, issued.key_pem);
    if (!credential) {
        die("credential_of: " + credential.error().reason);
    }
    return std::move(credential.value());
}

std::string generate_key_pem(KeyKind kind) { return key_to_pem(key_for(kind).get()); }

const TestCa& shared_ca() {
    static const TestCa ca = TestCa::create(KeyKind::ecdsa_p256);
    return ca;
}

const Issued& shared_server_cert(KeyKind kind) {
    static std::map<KeyKind, Issued> issued;
    static std::mutex lock;
    std::lock_guard guard(lock);
    auto it = issued.find(kind);
    if (it == issued.end()) {
        IssueOptions names;
        names.dns_names = {"server.test"};
        it = issued.emplace(kind, shared_ca().issue(kind, "server.test", names)).first;
    }
    return it->second;
}

}  // namespace dtls::test
