// Codecs for the DTLS 1.3 message bodies of tls13_messages.hpp, field by
// field as RFC 8446 4.3.1, 4.3.2, 4.4.2, 4.6.1 and 4.6.3 lay them out. Each
// decoder reads every field through wire::Reader and rejects trailing bytes.
#include "messages/tls13_messages.hpp"

#include "messages/codec.hpp"

namespace dtls::messages {

// --- EncryptedExtensions ------------------------------------------------------

Result<EncryptedExtensions> decode_encrypted_extensions(std::span<const uint8_t> body) {
    constexpr std::string_view kName = "EncryptedExtensions";
    wire::Reader r(body);
    EncryptedExtensions m;
    if (Status s = decode_extensions_block(r, ExtensionContext::encrypted_extensions, kName, m.extensions); !s) {
        return s.error();
    }
    if (!r.empty()) return malformed(kName, "trailing bytes");
    // RFC 7301 3.1: the server's protocol_name_list holds exactly one name
    // (reported as for a DTLS 1.2 ServerHello).
    if (m.extensions.alpn && m.extensions.alpn->size() != 1) return malformed(kName, "ALPN must name one protocol");
    return m;
}

bool encode(const EncryptedExtensions& m, wire::Writer& w) {
    return encode_extensions_block(m.extensions, ExtensionContext::encrypted_extensions, w) && w.ok();
}

// --- Certificate --------------------------------------------------------------
// opaque certificate_request_context<0..2^8-1>;
// CertificateEntry certificate_list<0..2^24-1>, each
//   { opaque cert_data<1..2^24-1>; Extension extensions<0..2^16-1>; }.

Result<Certificate13> decode_certificate13(std::span<const uint8_t> body) {
    constexpr std::string_view kName = "Certificate";
    wire::Reader r(body);
    Certificate13 m;
    std::span<const uint8_t> context;
    wire::Reader list{std::span<const uint8_t>{}};
    if (!r.vec8(context)) return malformed(kName, "bad certificate_request_context");
    if (!r.vec24(list)) return malformed(kName, "bad certificate_list");
    while (!list.empty()) {
        CertificateEntry entry;
        std::span<const uint8_t> cert;
        if (!list.vec24(cert) || cert.empty()) return malformed(kName, "bad cert_data");
        if (Status s = decode_extensions_block(list, ExtensionContext::certificate, kName, entry.extensions); !s) {
            return s.error();
        }
        entry.cert_data = to_bytes(cert);
        m.entries.push_back(std::move(entry));
    }
    if (!r.empty()) return malformed(kName, "trailing bytes");
    m.request_context = to_bytes(context);
    return m;
}

bool encode(const Certificate13& m, wire::Writer& w) {
    bool expressible = true;
    w.vec8(m.request_context);
    w.vec24([&] {
        for (const CertificateEntry& entry : m.entries) {
            w.vec24(entry.cert_data);
            expressible = encode_extensions_block(entry.extensions, ExtensionContext::certificate, w) && expressible;
        }
    });
    return expressible && w.ok();
}

// --- CertificateRequest -------------------------------------------------------
// opaque certificate_request_context<0..2^8-1>; Extension extensions<2..2^16-1>.

Result<CertificateRequest13> decode_certificate_request13(std::span<const uint8_t> body) {
    constexpr std::string_view kName = "CertificateRequest";
    wire::Reader r(body);
    CertificateRequest13 m;
    std::span<const uint8_t> context;
    if (!r.vec8(context)) return malformed(kName, "bad certificate_request_context");
    if (Status s = decode_extensions_block(r, ExtensionContext::certificate_request, kName, m.extensions); !s) {
        return s.error();
    }
    if (!r.empty()) return malformed(kName, "trailing bytes");
    // RFC 8446 4.3.2: signature_algorithms MUST be specified. Its alert,
    // missing_extension, has no Fault yet; of the two a decoder reports, the
    // message parses, so its absence is a forbidden value rather than bytes
    // that do not parse (illegal_parameter, not decode_error).
    if (!m.extensions.signature_algorithms) return forbidden(kName, "signature_algorithms is missing");
    m.request_context = to_bytes(context);
    return m;
}

bool encode(const CertificateRequest13& m, wire::Writer& w) {
    w.vec8(m.request_context);
    return encode_extensions_block(m.extensions, ExtensionContext::certificate_request, w) && w.ok();
}

// --- NewSessionTicket ---------------------------------------------------------
// uint32 ticket_lifetime; uint32 ticket_age_add; opaque ticket_nonce<0..255>;
// opaque ticket<1..2^16-1>; Extension extensions<0..2^16-2>.

Result<NewSessionTicket13> decode_new_session_ticket13(std::span<const uint8_t> body) {
    constexpr std::string_view kName = "NewSessionTicket";
    wire::Reader r(body);
    NewSessionTicket13 m;
    std::span<const uint8_t> nonce;
    std::span<const uint8_t> ticket;
    if (!r.u32(m.ticket_lifetime) || !r.u32(m.ticket_age_add)) return malformed(kName, "truncated");
    if (!r.vec8(nonce)) return malformed(kName, "bad ticket_nonce");
    if (!r.vec16(ticket) || ticket.empty()) return malformed(kName, "bad ticket");
    if (Status s = decode_extensions_block(r, ExtensionContext::new_session_ticket, kName, m.extensions); !s) {
        return s.error();
    }
    if (!r.empty()) return malformed(kName, "trailing bytes");
    m.ticket_nonce = to_bytes(nonce);
    m.ticket = to_bytes(ticket);
    return m;
}

bool encode(const NewSessionTicket13& m, wire::Writer& w) {
    w.u32(m.ticket_lifetime);
    w.u32(m.ticket_age_add);
    w.vec8(m.ticket_nonce);
    w.vec16(m.ticket);
    return encode_extensions_block(m.extensions, ExtensionContext::new_session_ticket, w) && w.ok();
}

// --- KeyUpdate ----------------------------------------------------------------
// KeyUpdateRequest request_update, one byte. RFC 8446 4.6.3: any value other
// than the two defined MUST be answered with illegal_parameter.

Result<KeyUpdate> decode_key_update(std::span<const uint8_t> body) {
    constexpr std::string_view kName = "KeyUpdate";
    wire::Reader r(body);
    uint8_t request;
    if (!r.u8(request)) return malformed(kName, "truncated");
    if (!r.empty()) return malformed(kName, "trailing bytes");
    if (request != static_cast<uint8_t>(KeyUpdateRequest::update_not_requested) &&
        request != static_cast<uint8_t>(KeyUpdateRequest::update_requested)) {
        return forbidden(kName, "request_update is neither update_not_requested nor update_requested");
    }
    return KeyUpdate{static_cast<KeyUpdateRequest>(request)};
}

bool encode(const KeyUpdate& m, wire::Writer& w) {
    w.u8(static_cast<uint8_t>(m.request_update));
    return w.ok();
}

}  // namespace dtls::messages
