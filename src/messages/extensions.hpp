// The extensions we understand, as one typed value, and the messages they
// can appear in (RFC 8446 4.2, RFC 5246 7.4.1.4). In TLS 1.3 the body of an
// extension can depend on the message carrying it (key_share is a list in a
// ClientHello, one entry in a ServerHello, a group in a HelloRetryRequest),
// so the block codec is told which message it is reading or writing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dtls/config.hpp"

namespace dtls::messages {

// The message an extensions block belongs to. client_hello and server_hello
// serve DTLS 1.2 and DTLS 1.3 alike; the others exist only in DTLS 1.3.
enum class ExtensionContext : uint8_t {
    client_hello,
    server_hello,
    hello_retry_request,
    encrypted_extensions,
    certificate_request,
    certificate,  // the extensions of one CertificateEntry
    new_session_ticket,
};

// KeyShareEntry (RFC 8446 4.2.8).
struct KeyShareEntry {
    uint16_t group = 0;
    Bytes key_exchange;  // 1..2^16-1 bytes
    bool operator==(const KeyShareEntry&) const = default;
};

// PskIdentity (RFC 8446 4.2.11).
struct PskIdentity {
    Bytes identity;  // 1..2^16-1 bytes: a ticket, or the label of an external PSK
    uint32_t obfuscated_ticket_age = 0;
    bool operator==(const PskIdentity&) const = default;
};

// The pre_shared_key extension of a ClientHello (RFC 8446 4.2.11): one
// binder (32..255 bytes) per identity, in the same order.
struct OfferedPsks {
    std::vector<PskIdentity> identities;
    std::vector<Bytes> binders;
    bool operator==(const OfferedPsks&) const = default;
};

// use_srtp (RFC 5764 4.1.1): the client's profiles in its order, or the one
// profile a server chose; the MKI (0..255 bytes) either way.
struct UseSrtp {
    std::vector<uint16_t> profiles;  // at least one
    Bytes mki;
    bool operator==(const UseSrtp&) const = default;
};

// CertificateType (RFC 7250 3, IANA "TLS Certificate Types"): the values
// client_certificate_type and server_certificate_type carry. Kept as plain
// bytes in Extensions, since a peer may list types we do not know.
constexpr uint8_t kCertificateTypeX509 = 0;
constexpr uint8_t kCertificateTypeRawPublicKey = 2;

// Extensions we understand. Absent optional = extension not present.
// Unknown extensions are skipped and their types listed; a repeated
// extension type is forbidden (illegal_parameter), and so is an extension we
// know in a message that RFC 8446 4.2 does not allow it in.
struct Extensions {
    std::optional<std::string> server_name;      // host_name; ""= empty ext (ServerHello, EncryptedExtensions)
    std::optional<std::vector<uint16_t>> supported_groups;
    std::optional<std::vector<uint8_t>> ec_point_formats;
    std::optional<std::vector<uint16_t>> signature_algorithms;
    std::optional<std::vector<uint16_t>> signature_algorithms_cert;
    std::optional<std::vector<std::string>> alpn;  // ServerHello, EncryptedExtensions: exactly one
    bool extended_master_secret = false;
    std::optional<Bytes> renegotiation_info;       // renegotiated_connection
    std::optional<UseSrtp> use_srtp;
    // record_size_limit (RFC 8449 4): the largest record plaintext the
    // sender accepts; below 64 is refused (illegal_parameter).
    std::optional<uint16_t> record_size_limit;
    // max_fragment_length (RFC 6066 4): 1..4 for 2^9..2^12 bytes; any other
    // value is refused (illegal_parameter).
    std::optional<uint8_t> max_fragment_length;
    // client_certificate_type and server_certificate_type (RFC 7250 4.1):
    // the types a ClientHello accepts, in its order of preference (1..255
    // of them), or the one type a ServerHello (DTLS 1.2) or
    // EncryptedExtensions (DTLS 1.3) chose.
    std::optional<std::vector<uint8_t>> client_certificate_types;
    std::optional<std::vector<uint8_t>> server_certificate_types;
    // SessionTicket (RFC 5077 3.2, DTLS 1.2): the ticket a ClientHello
    // returns (empty to ask for one), or empty in a ServerHello that will
    // send a NewSessionTicket.
    std::optional<Bytes> session_ticket;
    // connection_id (RFC 9146 3): the CID the sender wants to receive,
    // 0..255 bytes (empty: it wants none). ClientHello and DTLS 1.2
    // ServerHello.
    std::optional<Bytes> connection_id;
    // rrc (RFC 9853 3, 10.2): empty; ClientHello and ServerHello.
    bool rrc = false;

    // supported_versions: the client's list, or the one version a
    // ServerHello or HelloRetryRequest selects.
    std::optional<std::vector<uint16_t>> supported_versions;
    // key_share: the client's shares (possibly none), or the one share of a
    // ServerHello...
    std::optional<std::vector<KeyShareEntry>> key_shares;
    // ...or the group a HelloRetryRequest asks for.
    std::optional<uint16_t> key_share_selected_group;
    // cookie (ClientHello, HelloRetryRequest): not the legacy_cookie field of
    // a DTLS ClientHello.
    std::optional<Bytes> cookie;
    std::optional<std::vector<uint8_t>> psk_key_exchange_modes;
    // pre_shared_key: the client's offer, always the last extension of a
    // ClientHello...
    std::optional<OfferedPsks> offered_psks;
    // ...or the index of the identity a ServerHello accepts.
    std::optional<uint16_t> selected_psk_identity;
    // early_data: empty in a ClientHello and EncryptedExtensions; in a
    // NewSessionTicket it carries max_early_data_size (and early_data is
    // then true as well).
    bool early_data = false;
    std::optional<uint32_t> max_early_data_size;

    std::vector<uint16_t> unknown;                 // types we skipped, in order
};

}  // namespace dtls::messages
