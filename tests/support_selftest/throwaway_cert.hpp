// A self-signed P-256 certificate made in memory, just enough for the
// support self-test (which must link without the engine, so it does not use
// support/certs.cpp).
#pragma once

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <string>
#include <vector>

namespace dtls::test {

struct ThrowawayCert {
    std::string cert_pem;
    std::string key_pem;
    std::vector<uint8_t> cert_der;
};

inline std::string pem_of(BIO* bio) {
    char* data = nullptr;
    long length = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<size_t>(length));
}

// Empty fields on failure; the tests assert they are not empty.
inline ThrowawayCert make_throwaway_cert(const std::string& dns_name) {
    ThrowawayCert out;
    EVP_PKEY* key = EVP_EC_gen("P-256");
    X509* cert = X509_new();
    if (key == nullptr || cert == nullptr) return out;
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(dns_name.c_str()), -1,
                               -1, 0);
    X509_set_issuer_name(cert, name);
    X509_set_pubkey(cert, key);
    X509V3_CTX context;
    X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
    std::string san = "DNS:" + dns_name;
    if (X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &context, NID_subject_alt_name, san.c_str())) {
        X509_add_ext(cert, ext, -1);
        X509_EXTENSION_free(ext);
    }
    if (X509_sign(cert, key, EVP_sha256()) > 0) {
        BIO* cert_bio = BIO_new(BIO_s_mem());
        BIO* key_bio = BIO_new(BIO_s_mem());
        PEM_write_bio_X509(cert_bio, cert);
        PEM_write_bio_PrivateKey(key_bio, key, nullptr, nullptr, 0, nullptr, nullptr);
        out.cert_pem = pem_of(cert_bio);
        out.key_pem = pem_of(key_bio);
        BIO_free(cert_bio);
        BIO_free(key_bio);
        int length = i2d_X509(cert, nullptr);
        out.cert_der.resize(static_cast<size_t>(length > 0 ? length : 0));
        unsigned char* cursor = out.cert_der.data();
        i2d_X509(cert, &cursor);
    }
    X509_free(cert);
    EVP_PKEY_free(key);
    return out;
}

}  // namespace dtls::test
