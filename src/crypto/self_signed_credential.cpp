// dtls::generate_self_signed_credential: a fresh ECDSA P-256 key and a
// self-signed certificate for it, as a WebRTC endpoint makes for each call.
#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <array>
#include <chrono>
#include <ctime>
#include <memory>

#include "crypto/openssl_ptr.hpp"
#include "crypto/secret.hpp"
#include "dtls/certificate.hpp"

namespace dtls {
namespace {

using BignumPtr = std::unique_ptr<BIGNUM, crypto::detail::OpenSslFree<BN_free>>;
using Pkcs8Ptr = std::unique_ptr<PKCS8_PRIV_KEY_INFO, crypto::detail::OpenSslFree<PKCS8_PRIV_KEY_INFO_free>>;

// X.520 ub-common-name (RFC 5280 A.1): a common name is at most 64
// characters; counting bytes keeps a UTF-8 name within it too.
constexpr size_t kMaxCommonNameLength = 64;
// Serial numbers are positive and at most 20 bytes (RFC 5280 4.1.2.2); 16
// random bytes with the top bit clear give 127 bits of randomness.
constexpr size_t kSerialLength = 16;

Error invalid(std::string reason) { return Error{ErrorCode::invalid_argument, std::nullopt, std::move(reason)}; }

Error credential_error(std::string what) {
    std::string detail = crypto::detail::take_openssl_error();
    std::string reason = "cannot make a self-signed certificate: " + std::move(what);
    if (!detail.empty()) {
        reason += " (" + detail + ")";
    }
    return Error{ErrorCode::credential, std::nullopt, std::move(reason)};
}

bool set_random_serial(X509* cert) {
    std::array<uint8_t, kSerialLength> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
        return false;
    }
    bytes[0] &= 0x7F;
    BignumPtr serial(BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), nullptr));
    if (!serial) {
        return false;
    }
    if (BN_is_zero(serial.get()) && BN_one(serial.get()) != 1) {  // 2^-127: a serial must be positive
        return false;
    }
    return BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert)) != nullptr;
}

// The certificate's DER encoding, or empty if OpenSSL fails.
Bytes certificate_der(X509* cert) {
    const int len = i2d_X509(cert, nullptr);
    if (len <= 0) {
        return {};
    }
    Bytes der(static_cast<size_t>(len));
    unsigned char* out = der.data();
    if (i2d_X509(cert, &out) != len) {
        return {};
    }
    return der;
}

}  // namespace

Result<Credential> generate_self_signed_credential(const SelfSignedOptions& options) {
    if (options.common_name.empty()) {
        return invalid("the self-signed certificate's common name is empty");
    }
    if (options.common_name.size() > kMaxCommonNameLength) {
        return invalid("the self-signed certificate's common name is longer than " +
                       std::to_string(kMaxCommonNameLength) + " bytes (X.520 ub-common-name)");
    }
    if (options.common_name.find('\0') != std::string::npos) {
        return invalid("the self-signed certificate's common name contains a NUL byte");
    }
    if (options.validity <= Duration::zero()) {
        return invalid("the self-signed certificate's validity is not positive");
    }
    // Whole seconds, rounded up so that a validity under a second still ends
    // after now. Duration's range (about 292 years) fits a long and the
    // certificate's GeneralizedTime.
    const long validity_seconds =
        static_cast<long>(std::chrono::ceil<std::chrono::seconds>(options.validity).count());
    constexpr long kSecondsPerDay = 24 * 60 * 60;

    crypto::detail::PkeyPtr key(EVP_EC_gen("P-256"));
    if (!key) {
        return credential_error("cannot generate a P-256 key");
    }

    crypto::detail::X509Ptr cert(X509_new());
    if (!cert) {
        return credential_error("cannot allocate a certificate");
    }
    if (X509_set_version(cert.get(), X509_VERSION_3) != 1 || !set_random_serial(cert.get())) {
        return credential_error("cannot set the version and serial number");
    }
    // One hour back for peers whose clocks run behind ours.
    std::time_t now = std::time(nullptr);
    if (X509_time_adj_ex(X509_getm_notBefore(cert.get()), 0, -60 * 60, &now) == nullptr ||
        X509_time_adj_ex(X509_getm_notAfter(cert.get()), static_cast<int>(validity_seconds / kSecondsPerDay),
                         validity_seconds % kSecondsPerDay, &now) == nullptr) {
        return credential_error("cannot set the validity period");
    }
    X509_NAME* name = X509_get_subject_name(cert.get());
    if (X509_NAME_add_entry_by_NID(name, NID_commonName, MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(options.common_name.data()),
                                   static_cast<int>(options.common_name.size()), -1, 0) != 1) {
        if (ERR_GET_REASON(ERR_peek_last_error()) == ASN1_R_INVALID_UTF8STRING) {
            ERR_clear_error();
            return invalid("the self-signed certificate's common name is not valid UTF-8");
        }
        return credential_error("cannot set the common name");
    }
    if (X509_set_issuer_name(cert.get(), name) != 1 || X509_set_pubkey(cert.get(), key.get()) != 1) {
        return credential_error("cannot set the issuer and public key");
    }
    // An ECDSA key with SHA-256: the signature algorithm is ecdsa-with-SHA256.
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0) {
        return credential_error("cannot sign the certificate");
    }

    const Bytes der = certificate_der(cert.get());
    if (der.empty()) {
        return credential_error("cannot encode the certificate");
    }
    // The key as PKCS#8 DER, in a buffer wiped as soon as it is loaded.
    Pkcs8Ptr pkcs8(EVP_PKEY2PKCS8(key.get()));
    unsigned char* key_der = nullptr;
    const int key_len = pkcs8 ? i2d_PKCS8_PRIV_KEY_INFO(pkcs8.get(), &key_der) : -1;
    pkcs8.reset();
    if (key_len <= 0 || key_der == nullptr) {
        return credential_error("cannot encode the private key");
    }
    const std::span<uint8_t> key_bytes(key_der, static_cast<size_t>(key_len));
    Result<Credential> credential = Credential::from_der(std::span<const Bytes>(&der, 1), key_bytes);
    crypto::cleanse(key_bytes);
    OPENSSL_free(key_der);
    if (!credential) {
        return Error{ErrorCode::credential, std::nullopt,
                     "cannot load the self-signed certificate: " + credential.error().reason};
    }
    return credential;
}

}  // namespace dtls
