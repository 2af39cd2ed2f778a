// The handshake messages only DTLS 1.3 has, and the DTLS 1.3 forms of
// Certificate and CertificateRequest (RFC 8446 4.3, 4.4.2, 4.6.1, 4.6.3; RFC
// 9147 5 changes none of their bodies). ClientHello, ServerHello (with the
// HelloRetryRequest, see hello_retry_request.hpp), CertificateVerify and
// Finished are shared with DTLS 1.2 and live in messages.hpp; the ACK, which
// is a record of its own, is in ack.hpp. Decoders and encoders behave as
// those of messages.hpp.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "dtls/errors.hpp"
#include "messages/extensions.hpp"
#include "messages/messages.hpp"
#include "wire/writer.hpp"

namespace dtls::messages {

// RFC 8446 4.3.1. The extensions block is mandatory here, possibly empty.
struct EncryptedExtensions {
    Extensions extensions;
};

// One certificate of a TLS 1.3 Certificate message (RFC 8446 4.4.2), X.509
// only: raw public keys (RFC 7250) are not supported.
struct CertificateEntry {
    Bytes cert_data;        // DER, 1..2^24-1 bytes
    Extensions extensions;  // per-certificate (status_request, SCT): all unknown to us
};

struct Certificate13 {
    Bytes request_context;                 // empty, except in answer to a post-handshake request
    std::vector<CertificateEntry> entries;  // leaf first; may be empty (a client without one)
};

// RFC 8446 4.3.2. signature_algorithms must be among the extensions.
struct CertificateRequest13 {
    Bytes request_context;
    Extensions extensions;
};

// RFC 8446 4.6.1.
struct NewSessionTicket13 {
    uint32_t ticket_lifetime = 0;  // seconds; RFC 8446 caps it at 7 days, a limit the client applies
    uint32_t ticket_age_add = 0;
    Bytes ticket_nonce;            // 0..255 bytes
    Bytes ticket;                  // 1..2^16-1 bytes
    Extensions extensions;         // early_data with max_early_data_size, or unknown ones
};

// RFC 8446 4.6.3.
enum class KeyUpdateRequest : uint8_t {
    update_not_requested = 0,
    update_requested = 1,
};

struct KeyUpdate {
    KeyUpdateRequest request_update = KeyUpdateRequest::update_not_requested;
};

Result<EncryptedExtensions> decode_encrypted_extensions(std::span<const uint8_t> body);
Result<Certificate13> decode_certificate13(std::span<const uint8_t> body);
Result<CertificateRequest13> decode_certificate_request13(std::span<const uint8_t> body);
Result<NewSessionTicket13> decode_new_session_ticket13(std::span<const uint8_t> body);
Result<KeyUpdate> decode_key_update(std::span<const uint8_t> body);

[[nodiscard]] bool encode(const EncryptedExtensions& m, wire::Writer& w);
[[nodiscard]] bool encode(const Certificate13& m, wire::Writer& w);
[[nodiscard]] bool encode(const CertificateRequest13& m, wire::Writer& w);
[[nodiscard]] bool encode(const NewSessionTicket13& m, wire::Writer& w);
[[nodiscard]] bool encode(const KeyUpdate& m, wire::Writer& w);

}  // namespace dtls::messages
