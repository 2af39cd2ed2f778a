// The extensions we understand, as one table: each row knows its type, the
// messages it may appear in (RFC 8446 4.2's table, plus the DTLS 1.2 hello
// extensions in both hellos), whether it is present in an Extensions value,
// how to read its body and how to write it. Adding an extension is adding a
// row. The bodies of the TLS 1.3 extensions are in tls13_extension_bodies.cpp.
#include <algorithm>
#include <bitset>
#include <string>

#include "messages/codec.hpp"
#include "messages/tls13_extension_bodies.hpp"

namespace dtls::messages {

namespace {

constexpr uint8_t kHostNameType = 0;  // RFC 6066 3: the only NameType defined

// Each reader returns false for a malformed body (the table loop also
// rejects a body the reader did not consume completely); each writer returns
// false when the value has no form in the context.
bool read_server_name(wire::Reader& body, ExtensionContext context, Extensions& out) {
    // A server acknowledging SNI sends the extension with an empty body; in
    // EncryptedExtensions that is its only form (RFC 6066 3, RFC 8446 4.3.1).
    if (body.empty()) {
        out.server_name = std::string();
        return true;
    }
    if (context == ExtensionContext::encrypted_extensions) return false;
    // We accept exactly one entry, a host_name: no other name type exists and
    // RFC 6066 forbids two names of the same type.
    wire::Reader list{std::span<const uint8_t>{}};
    uint8_t name_type;
    std::span<const uint8_t> host;
    if (!body.vec16(list) || !list.u8(name_type) || name_type != kHostNameType || !list.vec16(host) ||
        host.empty() || !list.empty()) {
        return false;
    }
    out.server_name = std::string(host.begin(), host.end());
    return true;
}

bool write_server_name(const Extensions& in, ExtensionContext context, wire::Writer& w) {
    const std::string& host = *in.server_name;
    if (host.empty()) return true;
    if (context == ExtensionContext::encrypted_extensions) return false;
    w.vec16([&] {
        w.u8(kHostNameType);
        w.vec16([&] {
            for (char c : host) w.u8(static_cast<uint8_t>(c));
        });
    });
    return true;
}

bool read_supported_groups(wire::Reader& body, ExtensionContext, Extensions& out) {
    return read_u16_list(body, out.supported_groups.emplace());
}

bool write_supported_groups(const Extensions& in, ExtensionContext, wire::Writer& w) {
    write_u16_list(w, *in.supported_groups);
    return true;
}

bool read_ec_point_formats(wire::Reader& body, ExtensionContext, Extensions& out) {
    return read_u8_list(body, out.ec_point_formats.emplace());
}

bool write_ec_point_formats(const Extensions& in, ExtensionContext, wire::Writer& w) {
    w.vec8(*in.ec_point_formats);
    return true;
}

bool read_signature_algorithms(wire::Reader& body, ExtensionContext, Extensions& out) {
    return read_u16_list(body, out.signature_algorithms.emplace());
}

bool write_signature_algorithms(const Extensions& in, ExtensionContext, wire::Writer& w) {
    write_u16_list(w, *in.signature_algorithms);
    return true;
}

// RFC 8446 4.2.3: the same body as signature_algorithms.
bool read_signature_algorithms_cert(wire::Reader& body, ExtensionContext, Extensions& out) {
    return read_u16_list(body, out.signature_algorithms_cert.emplace());
}

bool write_signature_algorithms_cert(const Extensions& in, ExtensionContext, wire::Writer& w) {
    write_u16_list(w, *in.signature_algorithms_cert);
    return true;
}

// RFC 7301 3.1: ProtocolName protocol_name_list<2..2^16-1>, each
// ProtocolName<1..2^8-1>.
bool read_alpn(wire::Reader& body, ExtensionContext, Extensions& out) {
    wire::Reader list{std::span<const uint8_t>{}};
    if (!body.vec16(list) || list.empty()) return false;
    std::vector<std::string> names;
    while (!list.empty()) {
        std::span<const uint8_t> name;
        if (!list.vec8(name) || name.empty()) return false;
        names.emplace_back(name.begin(), name.end());
    }
    out.alpn = std::move(names);
    return true;
}

bool write_alpn(const Extensions& in, ExtensionContext, wire::Writer& w) {
    w.vec16([&] {
        for (const std::string& name : *in.alpn) {
            w.vec8([&] {
                for (char c : name) w.u8(static_cast<uint8_t>(c));
            });
        }
    });
    return true;
}

// RFC 7627 5.1: the body is empty; the table loop rejects anything else.
bool read_extended_master_secret(wire::Reader&, ExtensionContext, Extensions& out) {
    out.extended_master_secret = true;
    return true;
}

bool write_extended_master_secret(const Extensions&, ExtensionContext, wire::Writer&) { return true; }

// RFC 5077 3.2: the ticket is the whole body, without a length of its own.
bool read_session_ticket(wire::Reader& body, ExtensionContext, Extensions& out) {
    out.session_ticket = to_bytes(body.rest());
    return body.skip(body.remaining());
}

bool write_session_ticket(const Extensions& in, ExtensionContext, wire::Writer& w) {
    w.bytes(*in.session_ticket);
    return true;
}

const char* check_session_ticket(const Extensions& in, ExtensionContext context) {
    return context == ExtensionContext::server_hello && !in.session_ticket->empty()
               ? "SessionTicket in a ServerHello is not empty (RFC 5077 3.2)"
               : nullptr;
}

// RFC 5746 3.2: opaque renegotiated_connection<0..255>.
bool read_renegotiation_info(wire::Reader& body, ExtensionContext, Extensions& out) {
    std::span<const uint8_t> connection;
    if (!body.vec8(connection)) return false;
    out.renegotiation_info = to_bytes(connection);
    return true;
}

bool write_renegotiation_info(const Extensions& in, ExtensionContext, wire::Writer& w) {
    w.vec8(*in.renegotiation_info);
    return true;
}

// RFC 5764 4.1.1: SRTPProtectionProfile SRTPProtectionProfiles<2..2^16-1>,
// then opaque srtp_mki<0..255>. That a server's answer holds exactly one
// profile is the client's check, which knows it is reading an answer.
bool read_use_srtp(wire::Reader& body, ExtensionContext, Extensions& out) {
    UseSrtp srtp;
    std::span<const uint8_t> mki;
    if (!read_u16_list(body, srtp.profiles) || !body.vec8(mki)) return false;
    srtp.mki = to_bytes(mki);
    out.use_srtp = std::move(srtp);
    return true;
}

bool write_use_srtp(const Extensions& in, ExtensionContext, wire::Writer& w) {
    write_u16_list(w, in.use_srtp->profiles);
    w.vec8(in.use_srtp->mki);
    return true;
}

// RFC 8449 4: uint16 RecordSizeLimit.
bool read_record_size_limit(wire::Reader& body, ExtensionContext, Extensions& out) {
    uint16_t limit;
    if (!body.u16(limit)) return false;
    out.record_size_limit = limit;
    return true;
}

bool write_record_size_limit(const Extensions& in, ExtensionContext, wire::Writer& w) {
    w.u16(*in.record_size_limit);
    return true;
}

// RFC 8449 4: a limit below 64 MUST be treated as a fatal illegal_parameter.
const char* check_record_size_limit(const Extensions& in, ExtensionContext) {
    return *in.record_size_limit < 64 ? "record_size_limit below 64 (RFC 8449 4)" : nullptr;
}

// RFC 6066 4: enum { 2^9(1), 2^10(2), 2^11(3), 2^12(4), (255) } MaxFragmentLength.
bool read_max_fragment_length(wire::Reader& body, ExtensionContext, Extensions& out) {
    uint8_t code;
    if (!body.u8(code)) return false;
    out.max_fragment_length = code;
    return true;
}

bool write_max_fragment_length(const Extensions& in, ExtensionContext, wire::Writer& w) {
    w.u8(*in.max_fragment_length);
    return true;
}

// RFC 6066 4: a value other than the four defined is illegal_parameter.
const char* check_max_fragment_length(const Extensions& in, ExtensionContext) {
    const uint8_t code = *in.max_fragment_length;
    return code < 1 || code > 4 ? "max_fragment_length is not one of 1..4 (RFC 6066 4)" : nullptr;
}

// RFC 7250 4.1: a ClientHello lists CertificateType <1..2^8-1>; the answer
// (ServerHello or EncryptedExtensions) is one bare CertificateType. The two
// extensions share the body, so one pair of functions serves both, given
// which field it fills.
bool read_certificate_types(wire::Reader& body, ExtensionContext context, std::optional<std::vector<uint8_t>>& out) {
    if (context != ExtensionContext::client_hello) {
        uint8_t chosen;
        if (!body.u8(chosen)) return false;
        out = std::vector<uint8_t>{chosen};
        return true;
    }
    return read_u8_list(body, out.emplace());
}

bool write_certificate_types(const std::vector<uint8_t>& types, ExtensionContext context, wire::Writer& w) {
    if (context != ExtensionContext::client_hello) {
        // An answer names exactly one type; anything else has no encoding.
        if (types.size() != 1) return false;
        w.u8(types.front());
        return true;
    }
    // An empty list has no encoding either (the vector is <1..2^8-1>).
    if (types.empty()) return false;
    w.vec8(types);
    return true;
}

bool read_client_certificate_type(wire::Reader& body, ExtensionContext context, Extensions& out) {
    return read_certificate_types(body, context, out.client_certificate_types);
}

bool write_client_certificate_type(const Extensions& in, ExtensionContext context, wire::Writer& w) {
    return write_certificate_types(*in.client_certificate_types, context, w);
}

bool read_server_certificate_type(wire::Reader& body, ExtensionContext context, Extensions& out) {
    return read_certificate_types(body, context, out.server_certificate_types);
}

bool write_server_certificate_type(const Extensions& in, ExtensionContext context, wire::Writer& w) {
    return write_certificate_types(*in.server_certificate_types, context, w);
}

// RFC 9146 3: struct { opaque cid<0..2^8-1>; } ConnectionId.
bool read_connection_id(wire::Reader& body, ExtensionContext, Extensions& out) {
    std::span<const uint8_t> cid;
    if (!body.vec8(cid)) return false;
    out.connection_id = to_bytes(cid);
    return true;
}

bool write_connection_id(const Extensions& in, ExtensionContext, wire::Writer& w) {
    if (in.connection_id->size() > 255) return false;
    w.vec8(*in.connection_id);
    return true;
}

// RFC 9853 3: the extension_data of rrc is empty.
bool read_rrc(wire::Reader&, ExtensionContext, Extensions& out) {
    out.rrc = true;
    return true;
}

bool write_rrc(const Extensions&, ExtensionContext, wire::Writer&) { return true; }

// The messages an extension may appear in, as a set of bits named as in RFC
// 8446 4.2's table.
constexpr uint8_t bit(ExtensionContext context) { return static_cast<uint8_t>(1u << static_cast<unsigned>(context)); }
constexpr uint8_t kCH = bit(ExtensionContext::client_hello);
constexpr uint8_t kSH = bit(ExtensionContext::server_hello);
constexpr uint8_t kHRR = bit(ExtensionContext::hello_retry_request);
constexpr uint8_t kEE = bit(ExtensionContext::encrypted_extensions);
constexpr uint8_t kCR = bit(ExtensionContext::certificate_request);
constexpr uint8_t kNST = bit(ExtensionContext::new_session_ticket);

struct ExtensionCodec {
    uint16_t type;
    const char* name;
    uint8_t allowed_in;
    bool (*present)(const Extensions&);
    bool (*read)(wire::Reader& body, ExtensionContext context, Extensions& out);
    bool (*write)(const Extensions& in, ExtensionContext context, wire::Writer& w);
    const char* (*check)(const Extensions& in, ExtensionContext context);  // nullptr: nothing to check
};

// Encoding follows this order. pre_shared_key is last because a ClientHello
// must end with it (RFC 8446 4.2.11); key_share, cookie and
// supported_versions come in the order of the RFC 8448 traces. A ServerHello
// is the same message in DTLS 1.2 and 1.3, so it admits the DTLS 1.2 hello
// extensions (the 1.2 client refuses the ones it did not ask for) as well as
// the three RFC 8446 allows. The certificate context admits none of ours:
// every extension a CertificateEntry may carry (status_request,
// signed_certificate_timestamp) is unknown here, skipped and listed.
constexpr ExtensionCodec kExtensionCodecs[] = {
    {0, "server_name", kCH | kSH | kEE, [](const Extensions& e) { return e.server_name.has_value(); },
     read_server_name, write_server_name, nullptr},
    {1, "max_fragment_length", kCH | kSH | kEE,
     [](const Extensions& e) { return e.max_fragment_length.has_value(); }, read_max_fragment_length,
     write_max_fragment_length, check_max_fragment_length},
    {10, "supported_groups", kCH | kSH | kEE, [](const Extensions& e) { return e.supported_groups.has_value(); },
     read_supported_groups, write_supported_groups, nullptr},
    {11, "ec_point_formats", kCH | kSH, [](const Extensions& e) { return e.ec_point_formats.has_value(); },
     read_ec_point_formats, write_ec_point_formats, nullptr},
    {13, "signature_algorithms", kCH | kSH | kCR,
     [](const Extensions& e) { return e.signature_algorithms.has_value(); }, read_signature_algorithms,
     write_signature_algorithms, nullptr},
    {14, "use_srtp", kCH | kSH | kEE, [](const Extensions& e) { return e.use_srtp.has_value(); }, read_use_srtp,
     write_use_srtp, nullptr},
    {16, "application_layer_protocol_negotiation", kCH | kSH | kEE,
     [](const Extensions& e) { return e.alpn.has_value(); }, read_alpn, write_alpn, nullptr},
    // RFC 7250 4.1 and RFC 8446 4.2: ClientHello and the answer, which is
    // the ServerHello in DTLS 1.2 and EncryptedExtensions in DTLS 1.3.
    {19, "client_certificate_type", kCH | kSH | kEE,
     [](const Extensions& e) { return e.client_certificate_types.has_value(); }, read_client_certificate_type,
     write_client_certificate_type, nullptr},
    {20, "server_certificate_type", kCH | kSH | kEE,
     [](const Extensions& e) { return e.server_certificate_types.has_value(); }, read_server_certificate_type,
     write_server_certificate_type, nullptr},
    {23, "extended_master_secret", kCH | kSH, [](const Extensions& e) { return e.extended_master_secret; },
     read_extended_master_secret, write_extended_master_secret, nullptr},
    {28, "record_size_limit", kCH | kSH | kEE, [](const Extensions& e) { return e.record_size_limit.has_value(); },
     read_record_size_limit, write_record_size_limit, check_record_size_limit},
    {35, "session_ticket", kCH | kSH, [](const Extensions& e) { return e.session_ticket.has_value(); },
     read_session_ticket, write_session_ticket, check_session_ticket},
    // RFC 9146 3: ClientHello and the DTLS 1.2 ServerHello.
    {54, "connection_id", kCH | kSH, [](const Extensions& e) { return e.connection_id.has_value(); },
     read_connection_id, write_connection_id, nullptr},
    // RFC 9853 3 and 10.2: ClientHello and ServerHello, in DTLS 1.3 too
    // (its table says "CH, SH", and its figure 2 shows rrc in the ServerHello).
    {61, "rrc", kCH | kSH, [](const Extensions& e) { return e.rrc; }, read_rrc, write_rrc, nullptr},
    {51, "key_share", kCH | kSH | kHRR,
     [](const Extensions& e) { return e.key_shares.has_value() || e.key_share_selected_group.has_value(); },
     read_key_share, write_key_share, check_key_share},
    {42, "early_data", kCH | kEE | kNST,
     [](const Extensions& e) { return e.early_data || e.max_early_data_size.has_value(); }, read_early_data,
     write_early_data, nullptr},
    {44, "cookie", kCH | kHRR, [](const Extensions& e) { return e.cookie.has_value(); }, read_cookie, write_cookie,
     nullptr},
    {43, "supported_versions", kCH | kSH | kHRR,
     [](const Extensions& e) { return e.supported_versions.has_value(); }, read_supported_versions,
     write_supported_versions, nullptr},
    {50, "signature_algorithms_cert", kCH | kCR,
     [](const Extensions& e) { return e.signature_algorithms_cert.has_value(); }, read_signature_algorithms_cert,
     write_signature_algorithms_cert, nullptr},
    {45, "psk_key_exchange_modes", kCH,
     [](const Extensions& e) { return e.psk_key_exchange_modes.has_value(); }, read_psk_key_exchange_modes,
     write_psk_key_exchange_modes, nullptr},
    {0xff01, "renegotiation_info", kCH | kSH, [](const Extensions& e) { return e.renegotiation_info.has_value(); },
     read_renegotiation_info, write_renegotiation_info, nullptr},
    {kPreSharedKeyExtension, "pre_shared_key", kCH | kSH,
     [](const Extensions& e) { return e.offered_psks.has_value() || e.selected_psk_identity.has_value(); },
     read_pre_shared_key, write_pre_shared_key, check_pre_shared_key},
};

const ExtensionCodec* find_codec(uint16_t type) {
    for (const ExtensionCodec& codec : kExtensionCodecs) {
        if (codec.type == type) return &codec;
    }
    return nullptr;
}

bool allowed(const ExtensionCodec& codec, ExtensionContext context) { return (codec.allowed_in & bit(context)) != 0; }

// A hello may end before its extensions block (RFC 5246 7.4.1.2, kept for
// DTLS 1.2); every DTLS 1.3 message that has a block always sends it.
bool block_is_optional(ExtensionContext context) {
    return context == ExtensionContext::client_hello || context == ExtensionContext::server_hello ||
           context == ExtensionContext::hello_retry_request;
}

}  // namespace

Status decode_extensions_block(wire::Reader& r, ExtensionContext context, std::string_view message,
                               Extensions& out) {
    out = Extensions{};
    if (r.empty() && block_is_optional(context)) return Ok{};
    wire::Reader block{std::span<const uint8_t>{}};
    if (!r.vec16(block)) return malformed(message, "truncated extensions");

    // RFC 5246 7.4.1.4, RFC 8446 4.2: no two extensions of the same type,
    // known or not. A bitset keeps the check linear however many extensions
    // a peer sends.
    std::bitset<65536> seen;
    while (!block.empty()) {
        uint16_t type;
        wire::Reader body{std::span<const uint8_t>{}};
        if (!block.u16(type) || !block.vec16(body)) return malformed(message, "truncated extension");
        if (seen.test(type)) return forbidden(message, "duplicate extension " + std::to_string(type));
        seen.set(type);
        // RFC 8446 4.2.11: servers MUST check that pre_shared_key is the last
        // extension of a ClientHello (its binders cover everything before).
        if (context == ExtensionContext::client_hello && type == kPreSharedKeyExtension && !block.empty()) {
            return forbidden(message, "pre_shared_key is not the last extension");
        }

        const ExtensionCodec* codec = find_codec(type);
        if (codec == nullptr) {
            out.unknown.push_back(type);
            continue;
        }
        // RFC 8446 4.2: an extension we recognise in a message it is not
        // specified for MUST abort the handshake with illegal_parameter.
        if (!allowed(*codec, context)) {
            return forbidden(message, std::string("extension ") + codec->name + " is not allowed in this message");
        }
        if (!codec->read(body, context, out) || !body.empty()) {
            return malformed(message, std::string("malformed extension ") + codec->name);
        }
        if (codec->check != nullptr) {
            if (const char* problem = codec->check(out, context)) return forbidden(message, problem);
        }
    }
    return Ok{};
}

bool encode_extensions_block(const Extensions& extensions, ExtensionContext context, wire::Writer& w) {
    auto present = [&](const ExtensionCodec& codec) { return codec.present(extensions); };
    if (block_is_optional(context) &&
        std::none_of(std::begin(kExtensionCodecs), std::end(kExtensionCodecs), present)) {
        return true;
    }
    bool expressible = true;
    w.vec16([&] {
        for (const ExtensionCodec& codec : kExtensionCodecs) {
            if (!present(codec)) continue;
            if (!allowed(codec, context)) {
                expressible = false;
                continue;
            }
            w.u16(codec.type);
            w.vec16([&] { expressible = codec.write(extensions, context, w) && expressible; });
        }
    });
    return expressible;
}

}  // namespace dtls::messages
