#include "demo_certificates.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

#include "failure.hpp"

namespace dtls_tool {

namespace {

template <class T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* p) const { Free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;

std::string bio_text(BIO* bio) {
    char* data = nullptr;
    long size = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<size_t>(size));
}

bool add_extension(X509* cert, X509* issuer, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
    return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

struct Extension {
    int nid;
    const char* value;
};

// A certificate for `key` named CN=`name`, signed by `issuer_key` (and named
// by `issuer`, or self-signed when there is none).
CertPtr make_certificate(EVP_PKEY* key, const char* name, X509* issuer, EVP_PKEY* issuer_key, long serial,
                         std::initializer_list<Extension> extensions) {
    CertPtr cert(X509_new());
    if (!cert || X509_set_version(cert.get(), 2) != 1) return nullptr;
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60 * 60);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 60 * 60);
    X509_NAME* subject = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(name), -1, -1, 0);
    X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : subject);
    if (X509_set_pubkey(cert.get(), key) != 1) return nullptr;
    for (const Extension& e : extensions) {
        if (!add_extension(cert.get(), issuer ? issuer : cert.get(), e.nid, e.value)) return nullptr;
    }
    if (X509_sign(cert.get(), issuer_key, EVP_sha256()) <= 0) return nullptr;
    return cert;
}

std::string cert_pem(X509* cert) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509(bio.get(), cert);
    return bio_text(bio.get());
}

std::string key_pem(EVP_PKEY* key) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
    return bio_text(bio.get());
}

}  // namespace

dtls::Result<DemoCertificates> make_demo_certificates() {
    KeyPtr ca_key(EVP_EC_gen("P-256"));
    KeyPtr server_key(EVP_EC_gen("P-256"));
    if (!ca_key || !server_key) return failure("cannot generate ECDSA P-256 keys for the demo");
    CertPtr ca = make_certificate(ca_key.get(), "dtls demo CA", nullptr, ca_key.get(), 1,
                                  {{NID_basic_constraints, "critical,CA:TRUE"},
                                   {NID_key_usage, "critical,keyCertSign,cRLSign"},
                                   {NID_subject_key_identifier, "hash"}});
    if (!ca) return failure("cannot make the demo CA certificate");
    CertPtr server = make_certificate(server_key.get(), "localhost", ca.get(), ca_key.get(), 2,
                                      {{NID_basic_constraints, "critical,CA:FALSE"},
                                       {NID_key_usage, "critical,digitalSignature"},
                                       {NID_ext_key_usage, "serverAuth"},
                                       {NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1"},
                                       {NID_authority_key_identifier, "keyid:always"}});
    if (!server) return failure("cannot make the demo server certificate");
    return DemoCertificates{cert_pem(ca.get()), cert_pem(server.get()), key_pem(server_key.get())};
}

std::string certificate_subject(const std::vector<uint8_t>& der) {
    const unsigned char* cursor = der.data();
    CertPtr cert(d2i_X509(nullptr, &cursor, static_cast<long>(der.size())));
    BioPtr out(BIO_new(BIO_s_mem()));
    if (!cert || !out) return "(unreadable certificate)";
    X509_NAME_print_ex(out.get(), X509_get_subject_name(cert.get()), 0, XN_FLAG_RFC2253);
    return bio_text(out.get());
}

}  // namespace dtls_tool
