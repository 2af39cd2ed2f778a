// Readable names for the public enums (include/dtls/), used in summaries,
// errors and traces. Every layer may use them, so they are the lowest layer.
#include "dtls/config.hpp"
#include "dtls/errors.hpp"

namespace dtls {

const char* to_string(Alert alert) {
    switch (alert) {
        case Alert::close_notify: return "close_notify";
        case Alert::unexpected_message: return "unexpected_message";
        case Alert::bad_record_mac: return "bad_record_mac";
        case Alert::record_overflow: return "record_overflow";
        case Alert::handshake_failure: return "handshake_failure";
        case Alert::bad_certificate: return "bad_certificate";
        case Alert::unsupported_certificate: return "unsupported_certificate";
        case Alert::certificate_revoked: return "certificate_revoked";
        case Alert::certificate_expired: return "certificate_expired";
        case Alert::certificate_unknown: return "certificate_unknown";
        case Alert::illegal_parameter: return "illegal_parameter";
        case Alert::unknown_ca: return "unknown_ca";
        case Alert::access_denied: return "access_denied";
        case Alert::decode_error: return "decode_error";
        case Alert::decrypt_error: return "decrypt_error";
        case Alert::protocol_version: return "protocol_version";
        case Alert::insufficient_security: return "insufficient_security";
        case Alert::internal_error: return "internal_error";
        case Alert::inappropriate_fallback: return "inappropriate_fallback";
        case Alert::user_canceled: return "user_canceled";
        case Alert::no_renegotiation: return "no_renegotiation";
        case Alert::missing_extension: return "missing_extension";
        case Alert::certificate_required: return "certificate_required";
        case Alert::unsupported_extension: return "unsupported_extension";
        case Alert::unrecognized_name: return "unrecognized_name";
        case Alert::no_application_protocol: return "no_application_protocol";
    }
    return "unknown_alert";
}

const char* to_string(Fault fault) {
    switch (fault) {
        case Fault::malformed_message: return "malformed_message";
        case Fault::forbidden_value: return "forbidden_value";
        case Fault::unexpected_message: return "unexpected_message";
        case Fault::too_many_hello_verify_requests: return "too_many_hello_verify_requests";
        case Fault::unsupported_version: return "unsupported_version";
        case Fault::no_common_cipher_suite: return "no_common_cipher_suite";
        case Fault::no_common_group: return "no_common_group";
        case Fault::no_common_signature_scheme: return "no_common_signature_scheme";
        case Fault::no_common_application_protocol: return "no_common_application_protocol";
        case Fault::no_null_compression: return "no_null_compression";
        case Fault::extended_master_secret_missing: return "extended_master_secret_missing";
        case Fault::renegotiation_info_not_empty: return "renegotiation_info_not_empty";
        case Fault::unsolicited_extension: return "unsolicited_extension";
        case Fault::not_offered: return "not_offered";
        case Fault::missing_extension: return "missing_extension";
        case Fault::certificate_required: return "certificate_required";
        case Fault::certificate_invalid: return "certificate_invalid";
        case Fault::certificate_unsupported: return "certificate_unsupported";
        case Fault::certificate_unknown_issuer: return "certificate_unknown_issuer";
        case Fault::certificate_expired: return "certificate_expired";
        case Fault::certificate_revoked: return "certificate_revoked";
        case Fault::certificate_unknown: return "certificate_unknown";
        case Fault::certificate_rejected: return "certificate_rejected";
        case Fault::signature_invalid: return "signature_invalid";
        case Fault::finished_invalid: return "finished_invalid";
        case Fault::key_share_invalid: return "key_share_invalid";
        case Fault::internal_failure: return "internal_failure";
        case Fault::retransmissions_exhausted: return "retransmissions_exhausted";
        case Fault::handshake_deadline: return "handshake_deadline";
        case Fault::forgery_limit: return "forgery_limit";
        case Fault::fingerprint_mismatch: return "fingerprint_mismatch";
        case Fault::record_too_large: return "record_too_large";
        case Fault::psk_identity_unknown: return "psk_identity_unknown";
        case Fault::raw_public_key_untrusted: return "raw_public_key_untrusted";
        case Fault::no_common_certificate_type: return "no_common_certificate_type";
    }
    return "unknown fault";
}

std::string Error::to_string() const {
    std::string out = reason;
    if (alert) {
        out += code == ErrorCode::alert_received ? " (alert received: " : " (alert sent: ";
        out += dtls::to_string(*alert);
        out += ")";
    }
    return out;
}

const char* to_string(CipherSuite suite) {
    switch (suite) {
        case CipherSuite::aes128_gcm_sha256: return "TLS_AES_128_GCM_SHA256";
        case CipherSuite::aes256_gcm_sha384: return "TLS_AES_256_GCM_SHA384";
        case CipherSuite::chacha20_poly1305_sha256: return "TLS_CHACHA20_POLY1305_SHA256";
        case CipherSuite::aes128_ccm_sha256: return "TLS_AES_128_CCM_SHA256";
        case CipherSuite::aes128_ccm8_sha256: return "TLS_AES_128_CCM_8_SHA256";
        case CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256: return "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
        case CipherSuite::ecdhe_ecdsa_aes256_gcm_sha384: return "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";
        case CipherSuite::ecdhe_rsa_aes128_gcm_sha256: return "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
        case CipherSuite::ecdhe_rsa_aes256_gcm_sha384: return "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384";
        case CipherSuite::ecdhe_rsa_chacha20_poly1305_sha256: return "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256";
        case CipherSuite::ecdhe_ecdsa_chacha20_poly1305_sha256: return "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256";
        case CipherSuite::ecdhe_ecdsa_aes128_ccm: return "TLS_ECDHE_ECDSA_WITH_AES_128_CCM";
        case CipherSuite::ecdhe_ecdsa_aes128_ccm8: return "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8";
        case CipherSuite::psk_aes128_gcm_sha256: return "TLS_PSK_WITH_AES_128_GCM_SHA256";
        case CipherSuite::psk_aes256_gcm_sha384: return "TLS_PSK_WITH_AES_256_GCM_SHA384";
        case CipherSuite::psk_aes128_ccm: return "TLS_PSK_WITH_AES_128_CCM";
        case CipherSuite::psk_aes128_ccm8: return "TLS_PSK_WITH_AES_128_CCM_8";
        case CipherSuite::psk_chacha20_poly1305_sha256: return "TLS_PSK_WITH_CHACHA20_POLY1305_SHA256";
        case CipherSuite::ecdhe_psk_aes128_gcm_sha256: return "TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256";
        case CipherSuite::ecdhe_psk_aes128_ccm8_sha256: return "TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256";
        case CipherSuite::ecdhe_psk_chacha20_poly1305_sha256: return "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256";
    }
    return "unknown cipher suite";
}

const char* to_string(NamedGroup group) {
    switch (group) {
        case NamedGroup::secp256r1: return "secp256r1";
        case NamedGroup::secp384r1: return "secp384r1";
        case NamedGroup::x25519: return "x25519";
    }
    return "unknown group";
}

const char* to_string(SignatureScheme scheme) {
    switch (scheme) {
        case SignatureScheme::rsa_pkcs1_sha256: return "rsa_pkcs1_sha256";
        case SignatureScheme::ecdsa_secp256r1_sha256: return "ecdsa_secp256r1_sha256";
        case SignatureScheme::rsa_pkcs1_sha384: return "rsa_pkcs1_sha384";
        case SignatureScheme::ecdsa_secp384r1_sha384: return "ecdsa_secp384r1_sha384";
        case SignatureScheme::rsa_pss_rsae_sha256: return "rsa_pss_rsae_sha256";
        case SignatureScheme::rsa_pss_rsae_sha384: return "rsa_pss_rsae_sha384";
        case SignatureScheme::ed25519: return "ed25519";
    }
    return "unknown signature scheme";
}

// The names of the IANA "DTLS-SRTP Protection Profiles" registry.
const char* to_string(SrtpProfile profile) {
    switch (profile) {
        case SrtpProfile::aes128_cm_hmac_sha1_80: return "SRTP_AES128_CM_HMAC_SHA1_80";
        case SrtpProfile::aes128_cm_hmac_sha1_32: return "SRTP_AES128_CM_HMAC_SHA1_32";
        case SrtpProfile::aead_aes_128_gcm: return "SRTP_AEAD_AES_128_GCM";
        case SrtpProfile::aead_aes_256_gcm: return "SRTP_AEAD_AES_256_GCM";
    }
    return "unknown SRTP profile";
}

const char* to_string(CertificateType type) {
    switch (type) {
        case CertificateType::x509: return "X.509";
        case CertificateType::raw_public_key: return "raw public key";
    }
    return "unknown certificate type";
}

const char* to_string(ProtocolVersion version) {
    switch (version) {
        case ProtocolVersion::dtls1_2: return "DTLS 1.2";
        case ProtocolVersion::dtls1_3: return "DTLS 1.3";
    }
    return "unknown version";
}

}  // namespace dtls
