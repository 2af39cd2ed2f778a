/// @file
/// The configuration (Config) and what it names: versions, cipher suites,
/// groups, signature schemes, credentials and the check of the peer.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dtls/errors.hpp"

namespace dtls {

/// The monotonic clock that the times passed to every call come from.
using Clock = std::chrono::steady_clock;
/// A point in time on Clock: each call takes the current one as `now`.
using Instant = Clock::time_point;
/// A length of time (timeouts, lifetimes).
using Duration = std::chrono::nanoseconds;
/// Bytes: a DER certificate, application data, exported keying material.
using Bytes = std::vector<uint8_t>;

/// DTLS 1.3 suites name only the AEAD and the hash (RFC 8446 B.4); DTLS 1.2
/// suites also name the key exchange and the certificate key. One list in
/// Config holds both kinds: each version uses its own.
enum class CipherSuite : uint16_t {
    // DTLS 1.3
    aes128_gcm_sha256 = 0x1301,
    aes256_gcm_sha384 = 0x1302,
    chacha20_poly1305_sha256 = 0x1303,
    aes128_ccm_sha256 = 0x1304,
    aes128_ccm8_sha256 = 0x1305,  ///< 8-byte tag: for constrained devices only, never in the default list
    // DTLS 1.2
    ecdhe_ecdsa_aes128_gcm_sha256 = 0xC02B,
    ecdhe_ecdsa_aes256_gcm_sha384 = 0xC02C,
    ecdhe_rsa_aes128_gcm_sha256 = 0xC02F,
    ecdhe_rsa_aes256_gcm_sha384 = 0xC030,
    ecdhe_rsa_chacha20_poly1305_sha256 = 0xCCA8,
    ecdhe_ecdsa_chacha20_poly1305_sha256 = 0xCCA9,
    /// RFC 7251 AES-CCM, for peers that need it; an ECDSA (or Ed25519) certificate. Not in the default list.
    ecdhe_ecdsa_aes128_ccm = 0xC0AC,
    /// RFC 7251 AES-CCM_8, RFC 7925's suite for constrained devices; an ECDSA (or Ed25519) certificate.
    /// 8-byte tag: for constrained devices only, never in the default list.
    ecdhe_ecdsa_aes128_ccm8 = 0xC0AE,
    /// DTLS 1.2 pre-shared key suites (RFC 4279, RFC 5487, RFC 6655, RFC 7905): the key alone authenticates both
    /// sides and gives the secret, so they have no forward secrecy. Not in the default list; they need Config::psk
    /// (client) or Config::psk_lookup / psk (server).
    psk_aes128_gcm_sha256 = 0x00A8,
    psk_aes256_gcm_sha384 = 0x00A9,
    psk_aes128_ccm = 0xC0A4,
    psk_aes128_ccm8 = 0xC0A8,  ///< RFC 7925's PSK suite for constrained devices; 8-byte tag
    psk_chacha20_poly1305_sha256 = 0xCCAB,
    /// DTLS 1.2 ECDHE with a pre-shared key (RFC 5489, RFC 8442, RFC 7905): the key authenticates, an ephemeral
    /// (EC)DHE exchange gives forward secrecy. Not in the default list.
    ecdhe_psk_aes128_gcm_sha256 = 0xD001,
    ecdhe_psk_aes128_ccm8_sha256 = 0xD003,  ///< 8-byte tag
    ecdhe_psk_chacha20_poly1305_sha256 = 0xCCAC,
};

/// Key exchange groups, by their IANA code points.
enum class NamedGroup : uint16_t {
    secp256r1 = 0x0017,
    secp384r1 = 0x0018,
    x25519 = 0x001D,
};

/// Signature schemes, by their IANA code points.
enum class SignatureScheme : uint16_t {
    rsa_pkcs1_sha256 = 0x0401,
    ecdsa_secp256r1_sha256 = 0x0403,
    rsa_pkcs1_sha384 = 0x0501,
    ecdsa_secp384r1_sha384 = 0x0503,
    rsa_pss_rsae_sha256 = 0x0804,
    rsa_pss_rsae_sha384 = 0x0805,
    ed25519 = 0x0807,
};

/// SRTP protection profiles for DTLS-SRTP (RFC 5764 4.1.2, RFC 7714 14.2),
/// by their IANA code points. The NULL-cipher profiles are not offered.
enum class SrtpProfile : uint16_t {
    aes128_cm_hmac_sha1_80 = 0x0001,
    aes128_cm_hmac_sha1_32 = 0x0002,
    aead_aes_128_gcm = 0x0007,
    aead_aes_256_gcm = 0x0008,
};

/// What a Certificate message carries (RFC 7250 3, IANA "TLS Certificate
/// Types"), negotiated with the client_certificate_type and
/// server_certificate_type extensions (RFC 7250 4).
enum class CertificateType : uint8_t {
    x509 = 0,            ///< an X.509 chain, the default of TLS
    raw_public_key = 2,  ///< a bare DER SubjectPublicKeyInfo, trusted out of band (RFC 7250)
};

/// DTLS version numbers count down: 0xFEFC (1.3) is newer than 0xFEFD (1.2).
enum class ProtocolVersion : uint16_t {
    dtls1_2 = 0xFEFD,
    dtls1_3 = 0xFEFC,
};

/// Whether `a` is an older version than `b`.
constexpr bool older(ProtocolVersion a, ProtocolVersion b) {
    return static_cast<uint16_t>(a) > static_cast<uint16_t>(b);
}

/// The version a suite belongs to: DTLS 1.3 suites are the TLS 1.3 ones
/// (0x13xx), every other suite here is a DTLS 1.2 suite.
constexpr ProtocolVersion version_of(CipherSuite suite) {
    return (static_cast<uint16_t>(suite) >> 8) == 0x13 ? ProtocolVersion::dtls1_3 : ProtocolVersion::dtls1_2;
}

/// The suite's IANA name ("TLS_AES_128_GCM_SHA256"), or "unknown cipher suite".
const char* to_string(CipherSuite suite);
/// The group's name ("x25519"), or "unknown group".
const char* to_string(NamedGroup group);
/// The scheme's name ("ecdsa_secp256r1_sha256"), or "unknown signature scheme".
const char* to_string(SignatureScheme scheme);
/// The profile's registered name ("SRTP_AES128_CM_HMAC_SHA1_80"), or
/// "unknown SRTP profile".
const char* to_string(SrtpProfile profile);
/// "X.509" or "raw public key", or "unknown certificate type".
const char* to_string(CertificateType type);
/// "DTLS 1.2" or "DTLS 1.3", or "unknown version".
const char* to_string(ProtocolVersion version);

namespace detail {
struct CredentialData;
}
class SessionCache;  // dtls/session.hpp

/// A certificate chain (leaf first) with the leaf's private key, or a key
/// pair alone used as a raw public key (RFC 7250). Loading fails with
/// ErrorCode::credential when a certificate or the key does not parse, the
/// key is not ECDSA, RSA or Ed25519, or it does not match the leaf.
class Credential {
public:
    /// PEM text holding one or more certificates, and PEM text of the key.
    static Result<Credential> from_pem(std::string_view chain_pem, std::string_view key_pem);
    /// DER certificates (leaf first) and a DER (PKCS#8 or traditional) key.
    static Result<Credential> from_der(std::span<const Bytes> chain_der, std::span<const uint8_t> key_der);
    /// Two files, both PEM (as from_pem) or both DER (one certificate and
    /// its key, as from_der).
    static Result<Credential> from_files(const std::string& chain_path, const std::string& key_path);

    /// A key pair alone, used as a raw public key (RFC 7250): the
    /// "certificate" this credential sends is the DER SubjectPublicKeyInfo
    /// of the key, and chain() holds that alone. It needs
    /// CertificateType::raw_public_key in Config::certificate_types. PEM
    /// text of the private key (PKCS#8 or traditional).
    static Result<Credential> raw_public_key_from_pem(std::string_view key_pem);
    /// As raw_public_key_from_pem, from a DER (PKCS#8 or traditional) key.
    static Result<Credential> raw_public_key_from_der(std::span<const uint8_t> key_der);
    /// As raw_public_key_from_pem or _from_der, from a file (PEM if it has
    /// PEM armour, DER otherwise).
    static Result<Credential> raw_public_key_from_file(const std::string& key_path);

    /// The certificates, DER, leaf first; for a raw public key, its DER
    /// SubjectPublicKeyInfo alone.
    const std::vector<Bytes>& chain() const;
    /// What this credential sends: CertificateType::x509 for a chain,
    /// CertificateType::raw_public_key for a raw_public_key_from_* one.
    CertificateType type() const;
    /// For the library: the parsed chain and key.
    const detail::CredentialData& data() const { return *data_; }

private:
    explicit Credential(std::shared_ptr<const detail::CredentialData> d) : data_(std::move(d)) {}
    std::shared_ptr<const detail::CredentialData> data_;
};

/// A pre-shared key (RFC 4279) and the identity that names it. The identity
/// travels in clear in the ClientKeyExchange; the key never leaves this side.
/// The key is wiped when the object (or a copy) is destroyed.
class PreSharedKey {
public:
    /// `identity`: 1 to 65535 bytes (RFC 4279 5.1 suggests UTF-8 text);
    /// `key`: 1 to 65535 bytes. Other lengths make the configuration invalid.
    PreSharedKey(std::string identity, std::span<const uint8_t> key);
    /// Copies: each copy's key is wiped when that copy goes.
    PreSharedKey(const PreSharedKey& other);
    /// Copies, wiping the key this one held.
    PreSharedKey& operator=(const PreSharedKey& other);
    /// Moves, leaving `other` with no key.
    PreSharedKey(PreSharedKey&& other) noexcept;
    /// Moves, wiping the key this one held and leaving `other` with none.
    PreSharedKey& operator=(PreSharedKey&& other) noexcept;
    /// Wipes the key.
    ~PreSharedKey();

    /// The identity, as sent.
    const std::string& identity() const { return identity_; }
    /// The key.
    std::span<const uint8_t> key() const { return key_; }

private:
    void wipe();
    std::string identity_;
    Bytes key_;
};

/// Server: the key for the identity a client sent, or none when the identity
/// is unknown. The engine wipes the returned bytes once it has used them. In
/// DTLS 1.2 an unknown identity is answered as a wrong key is (a
/// decrypt_error alert once the client's Finished fails to verify), so that
/// a client cannot learn which identities exist (RFC 4279 2); the server's
/// own error says Fault::psk_identity_unknown. DTLS 1.3 ignores an unknown
/// identity, as RFC 8446 4.2.11 says (see Config::psk). Take equal time for known and unknown
/// identities if that matters to you. Identities are any bytes, up to 65535.
using PskLookup = std::function<std::optional<Bytes>(std::string_view identity)>;
/// A public key as the DER SubjectPublicKeyInfo a raw public key
/// Certificate message carries (RFC 7250 3), from PEM text holding a
/// "PUBLIC KEY" block (as `openssl pkey -pubout` writes it), for
/// Config::trusted_raw_public_keys. ErrorCode::credential when it does not
/// parse or the key is not ECDSA, RSA or Ed25519.
Result<Bytes> public_key_from_pem(std::string_view public_key_pem);
/// public_key_from_pem of a file's contents; a file without PEM armour is
/// taken as DER SubjectPublicKeyInfo.
Result<Bytes> public_key_from_file(const std::string& path);

/// What the certificate store concluded about the peer's chain, handed to an
/// application verifier so it can make the final decision.
struct CertificateCheck {
    std::span<const Bytes> chain;  ///< DER, leaf first, as the peer sent it
    bool trusted = false;          ///< the store accepted chain, validity and name
    std::string store_error;       ///< why the store did not, if it did not
    /// CertificateType::raw_public_key: `chain` holds the peer's DER
    /// SubjectPublicKeyInfo alone, and `trusted` says whether it is one of
    /// Config::trusted_raw_public_keys (no store, names or dates apply).
    CertificateType type = CertificateType::x509;
};

/// A CertificateVerifier's answer.
struct VerifyDecision {
    bool accept = false;  ///< whether the peer's chain is accepted
    std::string reason;   ///< shown in the error when rejecting
    /// Accept the chain.
    static VerifyDecision accepted() { return {true, {}}; }
    /// Reject the chain: the handshake fails with Fault::certificate_rejected.
    static VerifyDecision rejected(std::string why) { return {false, std::move(why)}; }
};

/// Called with the peer's chain and the store's verdict; its answer is final
/// (a WebRTC application accepts a self-signed certificate by fingerprint).
/// Without a verifier, the store's verdict is final.
using CertificateVerifier = std::function<VerifyDecision(const CertificateCheck&)>;

/// Whether a server asks the client for a certificate.
enum class ClientAuth {
    none,     ///< it does not ask
    request,  ///< it asks; a client may send none, but one it sends is checked
    require   ///< it asks, and fails the handshake without one (Fault::certificate_required)
};

/// What a connection offers and accepts. One Config serves both roles; fields
/// that only one role reads say so.
///
/// The callbacks (verifier, psk_lookup, connection_id_generator, keylog,
/// trace) are called synchronously from the connection being driven. All
/// connections of one Client or Server share them, so with connections on
/// several threads they must be safe to call concurrently.
struct Config {
    static constexpr size_t default_mtu = 1200;  ///< the MTU unless `mtu` is set
    static constexpr size_t min_mtu = 200;       ///< the smallest MTU accepted (here and by set_mtu)
    static constexpr size_t max_mtu = 65535;     ///< the largest MTU accepted

    /// The range of versions this side may speak; it speaks those of them
    /// that have a suite in `cipher_suites` (a list of DTLS 1.2 suites alone
    /// keeps a connection to DTLS 1.2). A client offers each version it
    /// speaks and the server picks the newest both speak (RFC 8446 4.2.1).
    /// A configuration that leaves no version to speak is refused.
    ///@{
    ProtocolVersion min_version = ProtocolVersion::dtls1_2;
    ProtocolVersion max_version = ProtocolVersion::dtls1_3;
    ///@}
    /// Whether this side speaks `version`: it lies between min_version and
    /// max_version and a suite of that version is configured.
    bool enables(ProtocolVersion version) const {
        if (older(version, min_version) || older(max_version, version)) return false;
        for (CipherSuite suite : cipher_suites) {
            if (version_of(suite) == version) return true;
        }
        return false;
    }

    /// In preference order; DTLS 1.3 and DTLS 1.2 suites in one list, each
    /// version using its own.
    std::vector<CipherSuite> cipher_suites = {
        CipherSuite::aes128_gcm_sha256,
        CipherSuite::aes256_gcm_sha384,
        CipherSuite::chacha20_poly1305_sha256,
        CipherSuite::aes128_ccm_sha256,
        CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256,       CipherSuite::ecdhe_rsa_aes128_gcm_sha256,
        CipherSuite::ecdhe_ecdsa_aes256_gcm_sha384,       CipherSuite::ecdhe_rsa_aes256_gcm_sha384,
        CipherSuite::ecdhe_ecdsa_chacha20_poly1305_sha256, CipherSuite::ecdhe_rsa_chacha20_poly1305_sha256,
    };
    /// Key exchange groups, in preference order (a DTLS 1.3 server takes the
    /// first one the client sent a key share for, if there is one).
    std::vector<NamedGroup> groups = {NamedGroup::x25519, NamedGroup::secp256r1, NamedGroup::secp384r1};
    /// The signature schemes we accept from the peer and may sign with.
    std::vector<SignatureScheme> signature_schemes = {
        SignatureScheme::ecdsa_secp256r1_sha256, SignatureScheme::ecdsa_secp384r1_sha384,
        SignatureScheme::ed25519,                SignatureScheme::rsa_pss_rsae_sha256,
        SignatureScheme::rsa_pss_rsae_sha384,    SignatureScheme::rsa_pkcs1_sha256,
        SignatureScheme::rsa_pkcs1_sha384,
    };

    /// Our certificate and key: required for a server, optional for a client
    /// (sent only when the server asks for one).
    std::shared_ptr<const Credential> credential;

    /// @name Checking the peer
    /// A client checks the server unless verify_peer is false; a server checks
    /// a client certificate when client_auth asks for one. Checking needs
    /// trusted roots (ca_file, ca_path, ca_pem) or a verifier: a configuration
    /// that checks with neither is refused.
    ///@{
    bool verify_peer = true;       ///< client: check the server's certificate
    std::string ca_file;           ///< PEM file of trusted roots
    std::string ca_path;           ///< OpenSSL hashed directory of trusted roots
    std::string ca_pem;            ///< PEM text of trusted roots
    CertificateVerifier verifier;  ///< when set, decides on the peer's chain (see CertificateVerifier)
    /// Certificate fingerprints in the SDP `a=fingerprint` form of RFC 8122
    /// 5 ("sha-256 4A:AD:B9:...", hash sha-256, sha-384 or sha-512, hex in
    /// either case). When set, they take the place of trusted roots: the
    /// peer's leaf certificate is trusted if its fingerprint matches one of
    /// them, whoever issued it and whatever names and dates it holds (as
    /// WebRTC checks a browser's self-signed certificate, RFC 8827 6.5).
    /// A mismatch fails the handshake with Fault::fingerprint_mismatch
    /// (alert bad_certificate) unless a verifier accepts it. A
    /// fingerprint that does not parse, or one set together with ca_file,
    /// ca_path or ca_pem, makes the configuration invalid. A server checks
    /// them only when client_auth asks for a certificate.
    std::vector<std::string> peer_fingerprints;
    /// Raw public keys (RFC 7250) we trust, each a DER SubjectPublicKeyInfo
    /// (public_key_from_pem() makes one from PEM). A peer that presents a
    /// raw public key is trusted when its key is, byte for byte, one of
    /// these (compared in constant time); otherwise the handshake fails
    /// with Fault::raw_public_key_untrusted (alert bad_certificate) unless
    /// a verifier, called with CertificateCheck::type raw_public_key,
    /// accepts it. No name check applies to a raw public key: server_name
    /// is still sent but not checked against it. Needs
    /// CertificateType::raw_public_key in certificate_types; a key that
    /// does not parse makes the configuration invalid.
    std::vector<Bytes> trusted_raw_public_keys;
    ///@}

    /// The certificate types (RFC 7250) this side accepts from the peer and
    /// uses, in preference order. The default, X.509 alone, sends neither
    /// client_certificate_type nor server_certificate_type, as before RFC
    /// 7250. What we send is fixed by our credential's type(), which must
    /// be listed. From the peer we take only the listed types we can check
    /// it with when we check it: raw_public_key needs
    /// trusted_raw_public_keys or a verifier, X.509 trusted roots,
    /// peer_fingerprints or a verifier (so a server with a raw key of its
    /// own may still want X.509 clients, and the reverse). A client offers
    /// those types as server_certificate_type when raw_public_key is among
    /// them, and client_certificate_type when its credential is a raw
    /// public key. A server picks its credential's type for itself if the
    /// client accepts it, and for the client the first type it takes that
    /// the client offered (X.509 when it offered nothing), answering each
    /// extension the client sent. No type in common for the server's
    /// certificate, or for the client's when client_auth is require, fails
    /// with Fault::no_common_certificate_type (alert unsupported_certificate,
    /// RFC 7250 4.2); with client_auth request the server then asks for no
    /// certificate. Both versions.
    std::vector<CertificateType> certificate_types = {CertificateType::x509};

    /// Client: sent as server_name (unless it is an IP address) and checked
    /// against the server's certificate (host name or IP address).
    std::string server_name;
    /// Client: whether the server's certificate must name `server_name`.
    /// A client that checks the server with trusted roots and no verifier
    /// needs a server_name unless this is false (the configuration is
    /// refused otherwise): checking the chain without the name is a choice
    /// to make, not a default (any certificate from those roots then passes).
    bool verify_server_name = true;

    ClientAuth client_auth = ClientAuth::none;  ///< server only; certificate suites only (a PSK authenticates the client)

    /// @name Pre-shared keys (RFC 4279, RFC 5489 in DTLS 1.2; RFC 8446 2.2 in DTLS 1.3)
    /// A server finds keys with `psk_lookup` if set, otherwise with `psk`
    /// (which then accepts that one identity).
    ///
    /// DTLS 1.2: used only by the PSK suites (CipherSuite::psk_* and
    /// ecdhe_psk_*), which are not in the default list. A client offers them
    /// when `psk` is set, then sends its identity and proves the key; a
    /// server chooses one when the client offers it and it has a key source.
    ///
    /// DTLS 1.3: a client with `psk` offers it as an external PSK (instead of
    /// any session ticket), with SHA-256 and a fresh (EC)DHE exchange
    /// (psk_dhe_ke; psk_ke too with `psk_without_dhe`), if a
    /// suite with SHA-256 is configured; a server accepts it when it knows the
    /// identity, the binder proves the key (a different key: decrypt_error)
    /// and it chose a suite with SHA-256. An unknown identity is ignored, as
    /// RFC 8446 4.2.11 says: a server with a certificate then authenticates
    /// with it, and one without fails with Fault::psk_identity_unknown
    /// (decrypt_error, as for a different key).
    ///
    /// A side that has pre-shared keys and no DTLS 1.2 suite other than PSK
    /// suites needs no certificate, trusted roots or server_name; a client
    /// without trusted roots then refuses a server that answers with a
    /// certificate instead.
    ///@{
    std::optional<PreSharedKey> psk;  ///< client: the identity and key; server: the one accepted without psk_lookup
    PskLookup psk_lookup;             ///< server: identity to key (see PskLookup)
    std::string psk_identity_hint;    ///< server: sent to the client (RFC 4279 5.2); empty sends none; up to 65535 bytes
    /// DTLS 1.3 external PSKs: also allow psk_ke (RFC 8446 4.2.9), the PSK
    /// without a fresh (EC)DHE exchange. A client then offers both modes
    /// (still with a key share, for a server that wants psk_dhe_ke); a
    /// server that allows it picks psk_ke whenever the client offers it,
    /// and sends no key share. It saves the server's key exchange, and the
    /// client's key agreement, but the traffic keys then depend on the PSK
    /// alone: whoever learns the PSK later can decrypt recorded traffic (no
    /// forward secrecy). Off by default; session tickets always use
    /// psk_dhe_ke. (DTLS 1.2's counterpart is choosing the PSK suites
    /// without ECDHE.)
    bool psk_without_dhe = false;
    ///@}

    /// ALPN protocols in preference order. A server that has a list and gets
    /// no overlap answers no_application_protocol.
    std::vector<std::string> alpn;

    /// DTLS-SRTP (RFC 5764): the SRTP protection profiles in preference
    /// order; empty (the default) sends and accepts no use_srtp extension. A
    /// client offers them; a server picks the first of its own that the
    /// client offers and, when there is none in common, answers without
    /// use_srtp (the handshake goes on; Negotiated::srtp_profile stays
    /// empty, so an application that needs SRTP must check it). The keys
    /// come from dtls::srtp_keys() (dtls/srtp.hpp). Both versions.
    std::vector<SrtpProfile> srtp_profiles;
    /// DTLS-SRTP master key identifier (RFC 5764 4.1.3). Client: the MKI
    /// offered (0 to 255 bytes; empty offers none). Server: srtp_accept_mki
    /// echoes a client's MKI, agreeing to use it; otherwise the answer's MKI
    /// is empty, which tells the client not to use one.
    ///@{
    Bytes srtp_mki;
    bool srtp_accept_mki = false;
    ///@}

    /// record_size_limit (RFC 8449): the largest record plaintext, in bytes
    /// of content, we are willing to receive; 0 (the default) is off. A
    /// client offers it only when it is set (64..16384); a server answers
    /// any client that offers the extension, with this value or, when it is
    /// 0, the protocol's maximum (the RFC asks endpoints to advertise it even
    /// without a need to limit records, so the client knows its own limit is
    /// respected). The value counts content only, as DTLS 1.2's extension
    /// does; in DTLS 1.3, whose extension also counts the inner content type
    /// byte, it is sent as value + 1 (so 65..16385), and the same
    /// application payload fits either way. Once both sides sent the
    /// extension, a protected record over the limit from the peer is a
    /// record_overflow alert, and ours never exceed the peer's limit
    /// (Negotiated::peer_record_size_limit; Connection::max_payload() takes
    /// it into account). A server also honours a client's max_fragment_length
    /// (RFC 6066 4) when the client offers no record_size_limit, whatever
    /// this value.
    uint16_t record_size_limit = 0;

    /// @name Connection ID (RFC 9146; RFC 9147 9 in DTLS 1.3)
    /// A connection ID (CID) lets the peer's records find their connection
    /// by the CID instead of the sender's address, so a client whose
    /// address changes (a NAT rebinding) keeps its connection; see
    /// docs/connection-id.md. Empty (the default): no connection_id
    /// extension is sent or answered. A length of 0 asks for no CID in
    /// the records we receive but lets the peer ask for one in ours; 1 to
    /// max_connection_id_length issues a CID of that many bytes, random
    /// unless `connection_id_generator` is set. A client offers it in every
    /// hello, whichever versions it offers; the server answers in its
    /// ServerHello, in DTLS 1.3 too. A server answers only a client that
    /// offered. A dtls::Endpoint routes records by the CIDs
    /// it issued, so all its connections use this one length.
    ///@{
    static constexpr size_t max_connection_id_length = 32;  ///< the longest CID we issue (we accept up to 255 from the peer)
    std::optional<size_t> connection_id_length;
    /// Called for each CID this side issues (when connection_id_length is
    /// 1 or more), for an application that encodes something in its CIDs
    /// (a load balancer's server number). It must return exactly
    /// connection_id_length bytes, or the handshake fails
    /// (Fault::internal_failure); an Endpoint removes a new connection whose
    /// CID another of its connections already uses. Empty: random bytes.
    std::function<Bytes()> connection_id_generator;
    /// RFC 9853's return routability check, negotiated with the rrc
    /// extension, which is sent only together with connection_id (so only
    /// when connection_id_length is set). When both sides agree, a
    /// dtls::Endpoint sends a path_challenge to an address a connection
    /// moved to and confirms the address itself when the matching
    /// path_response comes back (as Endpoint::confirm_address does), and
    /// either side answers the peer's path_challenge. Off: rrc is neither
    /// offered nor accepted, and the application confirms moved addresses.
    /// See docs/connection-id.md.
    bool return_routability_check = true;
    ///@}

    /// DTLS 1.2: fail the handshake with a peer that does not use the extended
    /// master secret (RFC 7627). DTLS 1.3 has no such extension.
    bool require_extended_master_secret = true;

    size_t mtu = default_mtu;  ///< bytes of UDP payload per datagram

    /// Retransmission (RFC 6347 4.2.4): the timer starts at initial, doubles on
    /// every expiry up to max, and the handshake fails after max_retransmits.
    /// With retransmit_timeout_from_round_trip (the default), once a flight
    /// of ours has been answered without being resent (or, for a resent
    /// ClientHello, answered by a reply echoing one sending's record
    /// number), the timer of each
    /// later flight starts at 1.5 times that round trip instead of initial
    /// (RFC 9147 5.8.2), at least 100 ms (or initial, if lower) and at most
    /// max; the first flight always starts at initial.
    ///@{
    Duration initial_retransmit_timeout = std::chrono::seconds(1);
    Duration max_retransmit_timeout = std::chrono::seconds(60);
    unsigned max_retransmits = 8;
    bool retransmit_timeout_from_round_trip = true;
    ///@}
    /// The whole handshake must complete within this time from the
    /// connection's creation, whatever the peer does (a peer that sends part
    /// of a flight and goes quiet stops our retransmission timer).
    /// The default outlasts the default retransmission schedule (about 243 s).
    Duration handshake_timeout = std::chrono::seconds(300);

    /// Path MTU back-off (RFC 6347 4.1.1.1, RFC 9147 4.4): a path that
    /// silently drops datagrams above some size (a "black hole") loses every
    /// copy of a flight that needs datagrams that large. After
    /// `pmtu_backoff_after` timer retransmissions of one flight at one MTU
    /// go unanswered, the next ones use the next smaller size of
    /// `pmtu_backoff_steps` (and its own `pmtu_backoff_after`
    /// retransmissions there), skipping sizes that would not make the
    /// flight's datagrams any smaller, down to `pmtu_floor`. Only timer
    /// retransmissions count, and they count towards `max_retransmits` as
    /// before: the back-off changes the size of retransmissions, never their
    /// number or timing. The MTU never rises above the one in use; the size
    /// that got an answer stays in use for the rest of the connection
    /// (Connection::mtu() reports it, Stats::pmtu_backoffs counts the
    /// steps, and the trace says why), until the application's set_mtu().
    /// 0 turns the back-off off. The default, 2, follows RFC 9147 4.4's
    /// "after two or three retransmissions" and is the largest value that
    /// reaches the floor from 1500 within the default `max_retransmits` (8):
    /// a flight first sent at 1500 is resent twice at 1500, then twice at
    /// 1200 and at 1000, then at 548 (retransmission 7).
    unsigned pmtu_backoff_after = 2;
    /// The sizes the back-off tries, largest first: the default MTU (also
    /// QUIC's minimum), a size under most tunnels' overhead, and `pmtu_floor`.
    static constexpr size_t pmtu_backoff_steps[] = {1200, 1000, 548};
    /// The smallest MTU the back-off goes to: 576, the datagram every IPv4
    /// host must accept (RFC 791, RFC 1122 3.3.3), less 20 bytes of IPv4 and
    /// 8 of UDP header. A configured MTU at or below it is never lowered.
    static constexpr size_t pmtu_floor = 548;

    /// DTLS 1.3 record headers we send (RFC 9147 4): 8-bit sequence numbers
    /// instead of 16 (one byte less per record; the receiver reconstructs
    /// the rest within a window of 128 records), and no length field in a
    /// record that ends its datagram (two bytes less; applies to records sent
    /// alone: application data, ACKs and alerts). Received records may use
    /// either form whatever these say.
    ///@{
    bool dtls13_short_sequence_numbers = false;
    bool dtls13_omit_length = false;
    ///@}

    /// DTLS 1.3 key usage (RFC 9147 4.5.3). Each key may protect a limited
    /// number of records (AES-GCM 2^24.5, AES-CCM and AES-CCM_8 2^23,
    /// ChaCha20-Poly1305 only the 2^48 sequence numbers) and see a limited
    /// number of received records fail to authenticate (2^36, AES-CCM
    /// 2^23.5). The connection sends a KeyUpdate by itself once it has sent
    /// `dtls13_key_update_records` records with one key (0, or a value above
    /// half the suite's limit: half the limit), and a KeyUpdate asking the
    /// peer to update too once half the failure limit is reached. If the
    /// peer leaves a KeyUpdate unacknowledged until the record limit,
    /// send() returns an invalid_state error until it does; a current read
    /// key that reaches its failure limit ends the connection
    /// (Fault::forgery_limit). DTLS 1.2 has no key update and no such
    /// limits.
    uint64_t dtls13_key_update_records = 0;
    /// The failure limit for TLS_AES_128_CCM_8_SHA256, which RFC 9147 leaves
    /// to the deployment: its 8-byte tag keeps the others' margin only up to
    /// 2^7 failures, a limit anyone able to send 128 forged datagrams can use
    /// to close the connection. DTLS 1.3 with that suite is refused unless
    /// this is set (configuration error).
    uint64_t dtls13_ccm8_failure_limit = 0;

    /// Session resumption (DTLS 1.3, RFC 8446 2.2). A server sends
    /// `session_tickets` NewSessionTickets after every DTLS 1.3 handshake,
    /// each good for `session_ticket_lifetime`, and resumes a client that
    /// returns one: the ticket's PSK with a fresh (EC)DHE exchange
    /// (psk_dhe_ke), no certificates. With 0 tickets it sends none and
    /// ignores the ones offered. A server that asks for client certificates
    /// cannot send tickets (the configuration is refused): a resumed client
    /// would not show one. A client with a `session_cache` offers a session
    /// from it for its server_name, one at a time, and stores the tickets it
    /// receives there; without one it neither offers nor keeps tickets.
    ///@{
    unsigned session_tickets = 0;  ///< server: tickets per handshake, 0 (the default) to 8
    Duration session_ticket_lifetime = std::chrono::hours(2);  ///< server: 1 second to 7 days
    std::shared_ptr<SessionCache> session_cache;  ///< client: where sessions are kept (dtls/session.hpp)
    ///@}

    /// Session resumption in DTLS 1.2 (RFC 5246 7.3, RFC 5077): the
    /// abbreviated handshake, which reuses a full handshake's master secret
    /// and sends no certificates. A server with `session_cache_capacity`
    /// above 0 gives each full handshake a session ID and keeps that many
    /// sessions in memory (the oldest evicted first when full), each for
    /// `session_ticket_lifetime`; one cache is shared by all copies of a
    /// Server. A server with `session_tickets` above 0 sends one ticket
    /// (sealed with keys it rotates every `session_ticket_lifetime`, never
    /// stored) to each DTLS 1.2 client that asks, and resumes the tickets
    /// it is given; a ticket that does not open or has expired gets a full
    /// handshake. Like tickets, session IDs cannot be combined with
    /// `client_auth`. A client with a `session_cache` offers a DTLS 1.2
    /// session from it (only when DTLS 1.3 is not enabled: a client
    /// offering DTLS 1.3 resumes DTLS 1.3 sessions only), asks for a
    /// ticket, and keeps the session after each handshake, full or resumed.
    size_t session_cache_capacity = 0;  ///< server: DTLS 1.2 sessions kept by ID, 0 (the default) to 2^20


    /// Server front door: stateless cookies before any state is kept. When
    /// false, the first ClientHello from an address creates a connection.
    bool cookies = true;
    /// How often the secret behind the cookies is replaced; a cookie is
    /// accepted for between one and two lifetimes.
    Duration cookie_secret_lifetime = std::chrono::minutes(5);

    /// NSS key log lines: "CLIENT_RANDOM <random> <master secret>" (DTLS 1.2),
    /// or one line per traffic secret (DTLS 1.3: CLIENT_HANDSHAKE_TRAFFIC_SECRET,
    /// SERVER_HANDSHAKE_TRAFFIC_SECRET, CLIENT_TRAFFIC_SECRET_0,
    /// SERVER_TRAFFIC_SECRET_0, EXPORTER_SECRET). Whoever reads them can
    /// decrypt the traffic: for debugging only.
    std::function<void(std::string_view line)> keylog;

    /// Readable trace lines: datagrams, records, handshake fragments, flights,
    /// retransmissions, timers and drops, for debugging a stalled handshake.
    /// Called synchronously from the engine; empty means no tracing cost.
    std::function<void(std::string_view line)> trace;
};

}  // namespace dtls
