#include "api/config_check.hpp"

#include <algorithm>

#include "crypto/fingerprint.hpp"
#include "crypto/signature.hpp"
#include "tls12/cipher_suites.hpp"
#include "tls12/psk.hpp"
#include "tls12/record_size_negotiation.hpp"
#include "tls13/cipher_suites.hpp"
#include "tls13/resumption.hpp"

namespace dtls {

namespace {

Error invalid(std::string reason) { return Error{ErrorCode::invalid_argument, std::nullopt, std::move(reason)}; }

// The largest number of two-byte values a vector<2..2^16-2> holds.
constexpr size_t kMaxU16ListEntries = (0xFFFF - 1) / 2;
// RFC 6066 3: a HostName is at most 2^16-1 bytes on the wire, but no DNS name
// or address literal is longer than 255.
constexpr size_t kMaxServerNameLength = 255;
// RFC 5764 4.1.1: opaque srtp_mki<0..255>.
constexpr size_t kMaxSrtpMkiLength = 255;

bool known_srtp_profile(SrtpProfile p) {
    switch (p) {
        case SrtpProfile::aes128_cm_hmac_sha1_80:
        case SrtpProfile::aes128_cm_hmac_sha1_32:
        case SrtpProfile::aead_aes_128_gcm:
        case SrtpProfile::aead_aes_256_gcm: return true;
    }
    return false;
}

bool accepts(const Config& config, CertificateType type) {
    return std::find(config.certificate_types.begin(), config.certificate_types.end(), type) !=
           config.certificate_types.end();
}

// RFC 7250: the certificate types, our credential's among them, and trusted
// raw public keys that parse and can be met.
Status check_certificate_types(const Config& config) {
    if (config.certificate_types.empty()) return invalid("certificate_types is empty");
    for (size_t i = 0; i < config.certificate_types.size(); ++i) {
        const CertificateType t = config.certificate_types[i];
        if (t != CertificateType::x509 && t != CertificateType::raw_public_key) {
            return invalid("unknown certificate type in certificate_types");
        }
        if (std::find(config.certificate_types.begin(), config.certificate_types.begin() + static_cast<long>(i), t) !=
            config.certificate_types.begin() + static_cast<long>(i)) {
            return invalid(std::string("certificate_types lists ") + to_string(t) + " twice");
        }
    }
    if (config.credential && !accepts(config, config.credential->type())) {
        return invalid(std::string("the credential is of type ") + to_string(config.credential->type()) +
                       ", which certificate_types does not list");
    }
    for (const Bytes& key : config.trusted_raw_public_keys) {
        auto parsed = crypto::PublicKey::from_subject_public_key_info(key);
        if (!parsed) return invalid("trusted_raw_public_keys: " + parsed.error().reason);
        if (parsed->type() == crypto::KeyType::unsupported) {
            return invalid("trusted_raw_public_keys: a key that is not ECDSA, RSA or Ed25519");
        }
    }
    if (!config.trusted_raw_public_keys.empty() && !accepts(config, CertificateType::raw_public_key)) {
        return invalid("trusted_raw_public_keys is set but certificate_types does not list raw_public_key");
    }
    return Ok{};
}

// Tickets after one handshake: each is a record and a secret derivation.
constexpr unsigned kMaxSessionTickets = 8;

// psk_identity<0..2^16-1>, psk_identity_hint<0..2^16-1> (RFC 4279 2), and a
// key's 2-byte length in the premaster secret.
constexpr size_t kMaxPskField = 0xFFFF;

bool is_psk_suite(CipherSuite s) {
    const tls12::SuiteInfo* info = tls12::find_suite(static_cast<uint16_t>(s));
    return info && info->uses_psk();
}

// Whether a handshake of this configuration can need certificates: DTLS 1.2
// with a suite that is not a PSK suite, and DTLS 1.3 unless this side has a
// pre-shared key (an external PSK then authenticates both sides).
bool uses_certificates(const Config& config, Role role) {
    const bool has_psk = role == Role::client ? config.psk.has_value() : tls12::server_has_psk(config);
    if (config.enables(ProtocolVersion::dtls1_3) && !has_psk) return true;
    return config.enables(ProtocolVersion::dtls1_2) &&
           std::any_of(config.cipher_suites.begin(), config.cipher_suites.end(), [](CipherSuite s) {
               return tls12::find_suite(static_cast<uint16_t>(s)) && !is_psk_suite(s);
           });
}

Status check_psk(const Config& config, Role role) {
    if (config.psk) {
        const size_t identity = config.psk->identity().size(), key = config.psk->key().size();
        if (identity == 0 || identity > kMaxPskField) return invalid("psk: the identity must be 1 to 65535 bytes");
        if (key == 0 || key > kMaxPskField) return invalid("psk: the key must be 1 to 65535 bytes");
    }
    if (config.psk_identity_hint.size() > kMaxPskField) return invalid("psk_identity_hint is longer than 65535 bytes");
    const bool psk_suites = std::any_of(config.cipher_suites.begin(), config.cipher_suites.end(), is_psk_suite);
    if (!psk_suites || !config.enables(ProtocolVersion::dtls1_2)) return Ok{};
    if (role == Role::client && !config.psk) return invalid("PSK cipher suites are configured but psk is not set");
    if (role == Role::server && !tls12::server_has_psk(config)) {
        return invalid("PSK cipher suites are configured but neither psk_lookup nor psk is set");
    }
    return Ok{};
}

}  // namespace

bool has_trust_anchors(const Config& config) {
    return !config.ca_file.empty() || !config.ca_path.empty() || !config.ca_pem.empty();
}

crypto::TrustAnchors trust_anchors(const Config& config) { return {config.ca_file, config.ca_path, config.ca_pem}; }

std::shared_ptr<const engine::Settings> engine_settings(const Config& config) {
    return std::make_shared<const engine::Settings>(engine::Settings{
        config.mtu, config.initial_retransmit_timeout, config.max_retransmit_timeout, config.max_retransmits,
        config.retransmit_timeout_from_round_trip, config.handshake_timeout, config.trace,
        config.dtls13_short_sequence_numbers, config.dtls13_omit_length, config.dtls13_key_update_records,
        config.pmtu_backoff_after});
}

Status check_config(const Config& config, Role role) {
    if (config.mtu < Config::min_mtu || config.mtu > Config::max_mtu) {
        return invalid("MTU " + std::to_string(config.mtu) + " is outside " + std::to_string(Config::min_mtu) + ".." +
                       std::to_string(Config::max_mtu));
    }
    const auto known = [](ProtocolVersion v) { return v == ProtocolVersion::dtls1_2 || v == ProtocolVersion::dtls1_3; };
    if (!known(config.min_version) || !known(config.max_version)) return invalid("unknown protocol version");
    if (older(config.max_version, config.min_version)) return invalid("max_version is older than min_version");
    if (config.cipher_suites.empty()) return invalid("no cipher suites configured");
    for (CipherSuite s : config.cipher_suites) {
        const auto code = static_cast<uint16_t>(s);
        if (!tls12::find_suite(code) && !tls13::find_suite(code)) {
            return invalid("unsupported cipher suite in configuration");
        }
    }
    if (!config.enables(ProtocolVersion::dtls1_2) && !config.enables(ProtocolVersion::dtls1_3)) {
        return invalid("no cipher suite of a version between min_version and max_version is configured");
    }
    const bool ccm8 = std::find(config.cipher_suites.begin(), config.cipher_suites.end(),
                                CipherSuite::aes128_ccm8_sha256) != config.cipher_suites.end();
    if (ccm8 && config.enables(ProtocolVersion::dtls1_3) && config.dtls13_ccm8_failure_limit == 0) {
        return invalid("TLS_AES_128_CCM_8_SHA256 needs dtls13_ccm8_failure_limit: RFC 9147 4.5.3 leaves its limit on "
                       "records that fail to authenticate to the deployment");
    }
    if (config.groups.empty()) return invalid("no key exchange groups configured");
    if (config.signature_schemes.empty()) return invalid("no signature schemes configured");
    if (config.cipher_suites.size() > kMaxU16ListEntries || config.groups.size() > kMaxU16ListEntries ||
        config.signature_schemes.size() > kMaxU16ListEntries) {
        return invalid("a list of cipher suites, groups or signature schemes is too long to send");
    }
    if (config.initial_retransmit_timeout <= Duration::zero() ||
        config.max_retransmit_timeout < config.initial_retransmit_timeout) {
        return invalid("retransmission timeouts must be positive, with max >= initial");
    }
    if (config.handshake_timeout <= Duration::zero()) return invalid("handshake_timeout must be positive");
    // RFC 7301 3.1: each name 1..255 bytes, the whole list at most 2^16-1.
    size_t alpn_bytes = 0;
    for (const std::string& p : config.alpn) {
        if (p.empty() || p.size() > 255) return invalid("ALPN protocol names must be 1 to 255 bytes");
        alpn_bytes += 1 + p.size();
    }
    if (alpn_bytes > 0xFFFF) return invalid("the ALPN list is longer than 65535 bytes");
    if (config.server_name.size() > kMaxServerNameLength) {
        return invalid("server_name is longer than " + std::to_string(kMaxServerNameLength) + " bytes");
    }
    if (config.server_name.find('\0') != std::string::npos) return invalid("server_name contains a NUL byte");
    for (SrtpProfile p : config.srtp_profiles) {
        if (!known_srtp_profile(p)) return invalid("unsupported SRTP profile in configuration");
    }
    if (config.srtp_profiles.size() > kMaxU16ListEntries) return invalid("the SRTP profile list is too long to send");
    if (config.srtp_mki.size() > kMaxSrtpMkiLength) return invalid("srtp_mki is longer than 255 bytes");
    if (config.connection_id_length && *config.connection_id_length > Config::max_connection_id_length) {
        return invalid("connection_id_length is over " + std::to_string(Config::max_connection_id_length));
    }
    // RFC 8449 4: no limit below 64, none above the protocol's 2^14 bytes
    // of content (DTLS 1.3's 2^14 + 1 counts the content type byte, which
    // this value leaves out).
    const uint16_t limit = config.record_size_limit;
    if (limit != 0 && (limit < tls12::kMinRecordSizeLimit || limit > tls12::kMaxRecordSizeLimit)) {
        return invalid("record_size_limit must be 0 (off) or 64 to 16384 bytes (RFC 8449 4)");
    }
    for (const std::string& text : config.peer_fingerprints) {
        auto parsed = crypto::parse_fingerprint(text);
        if (!parsed) return invalid("peer_fingerprints: " + parsed.error().reason);
    }
    const bool fingerprints = !config.peer_fingerprints.empty();
    if (fingerprints && has_trust_anchors(config)) {
        return invalid("peer_fingerprints and trusted roots (ca_file, ca_path, ca_pem) are two ways to trust a peer: "
                       "configure one");
    }
    if (Status s = check_psk(config, role); !s) return s;
    const bool certificates = uses_certificates(config, role);
    if (role == Role::server && certificates && !config.credential) {
        return invalid("a server needs a certificate and key (only one with pre-shared keys and, for DTLS 1.2, "
                       "nothing but PSK suites does without)");
    }
    if (Status s = check_certificate_types(config); !s) return s;
    const bool checks_peer =
        certificates && (role == Role::client ? config.verify_peer : config.client_auth != ClientAuth::none);
    // Our credential's type is listed for itself: the peer only needs one
    // type we can check it with (the negotiation offers only those, see
    // certificate_type_negotiation.cpp).
    const bool x509_checkable = config.verifier || fingerprints || has_trust_anchors(config);
    const bool raw_key_checkable = config.verifier || !config.trusted_raw_public_keys.empty();
    const bool checks_x509 = checks_peer && accepts(config, CertificateType::x509) && x509_checkable;
    const bool checks_raw_key = checks_peer && accepts(config, CertificateType::raw_public_key) && raw_key_checkable;
    if (checks_peer && !checks_raw_key && !checks_x509 && !accepts(config, CertificateType::x509)) {
        return invalid("certificate_types accepts a raw public key from the peer but neither trusted_raw_public_keys "
                       "nor a verifier is configured to check it");
    }
    if (checks_peer && !checks_raw_key && !checks_x509) {
        return invalid(role == Role::client ? "verify_peer is on but no CA (ca_file, ca_path, ca_pem), "
                                              "peer_fingerprints or verifier is configured"
                                            : "client_auth is on but no CA (ca_file, ca_path, ca_pem), "
                                              "peer_fingerprints or verifier is configured");
    }
    if (role == Role::client && checks_x509 && !config.verifier && !fingerprints &&
        config.verify_server_name && config.server_name.empty()) {
        return invalid("verify_peer is on but server_name is empty: set the name the server's certificate must have, "
                       "or set verify_server_name = false to accept any certificate from the trusted roots");
    }
    if (role == Role::server && config.session_cache_capacity > 0) {
        if (config.session_cache_capacity > (size_t{1} << 20)) {
            return invalid("session_cache_capacity is more than 2^20");
        }
        if (config.session_ticket_lifetime < std::chrono::seconds(1) ||
            config.session_ticket_lifetime > tls13::kMaxTicketLifetime) {
            return invalid("session_ticket_lifetime must be between 1 second and 7 days (RFC 8446 4.6.1)");
        }
        if (config.client_auth != ClientAuth::none) {
            return invalid("session IDs with client_auth are not supported: a resumed client shows no certificate");
        }
    }
    if (role == Role::server && config.session_tickets > 0) {
        if (config.session_tickets > kMaxSessionTickets) {
            return invalid("session_tickets is more than " + std::to_string(kMaxSessionTickets));
        }
        if (config.session_ticket_lifetime < std::chrono::seconds(1) ||
            config.session_ticket_lifetime > tls13::kMaxTicketLifetime) {
            return invalid("session_ticket_lifetime must be between 1 second and 7 days (RFC 8446 4.6.1)");
        }
        if (config.client_auth != ClientAuth::none) {
            return invalid("session tickets with client_auth are not supported: a resumed client shows no certificate");
        }
    }
    return Ok{};
}

}  // namespace dtls
