// The hello extensions we understand, as one table: each row knows its type,
// whether it is present in an Extensions value, how to read its body and how
// to write it. Adding an extension is adding a row.
#include <algorithm>
#include <bitset>
#include <string>

#include "messages/codec.hpp"

namespace dtls::messages {

namespace {

constexpr uint8_t kHostNameType = 0;  // RFC 6066 3: the only NameType defined

// Each reader returns false for a malformed body; the table loop also
// rejects a body the reader did not consume completely.
bool read_server_name(wire::Reader& body, Extensions& out) {
    // A server acknowledging SNI sends the extension with an empty body.
    if (body.empty()) {
        out.server_name = std::string();
        return true;
    }
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

void write_server_name(const Extensions& in, wire::Writer& w) {
    const std::string& host = *in.server_name;
    if (host.empty()) return;
    w.vec16([&] {
        w.u8(kHostNameType);
        w.vec16([&] {
            for (char c : host) w.u8(static_cast<uint8_t>(c));
        });
    });
}

bool read_supported_groups(wire::Reader& body, Extensions& out) {
    return read_u16_list(body, out.supported_groups.emplace());
}

void write_supported_groups(const Extensions& in, wire::Writer& w) { write_u16_list(w, *in.supported_groups); }

bool read_ec_point_formats(wire::Reader& body, Extensions& out) {
    return read_u8_list(body, out.ec_point_formats.emplace());
}

void write_ec_point_formats(const Extensions& in, wire::Writer& w) { w.vec8(*in.ec_point_formats); }

bool read_signature_algorithms(wire::Reader& body, Extensions& out) {
    return read_u16_list(body, out.signature_algorithms.emplace());
}

void write_signature_algorithms(const Extensions& in, wire::Writer& w) {
    write_u16_list(w, *in.signature_algorithms);
}

// RFC 7301 3.1: ProtocolName protocol_name_list<2..2^16-1>, each
// ProtocolName<1..2^8-1>.
bool read_alpn(wire::Reader& body, Extensions& out) {
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

void write_alpn(const Extensions& in, wire::Writer& w) {
    w.vec16([&] {
        for (const std::string& name : *in.alpn) {
            w.vec8([&] {
                for (char c : name) w.u8(static_cast<uint8_t>(c));
            });
        }
    });
}

// RFC 7627 5.1: the body is empty; the table loop rejects anything else.
bool read_extended_master_secret(wire::Reader&, Extensions& out) {
    out.extended_master_secret = true;
    return true;
}

void write_extended_master_secret(const Extensions&, wire::Writer&) {}

// RFC 5746 3.2: opaque renegotiated_connection<0..255>.
bool read_renegotiation_info(wire::Reader& body, Extensions& out) {
    std::span<const uint8_t> connection;
    if (!body.vec8(connection)) return false;
    out.renegotiation_info = to_bytes(connection);
    return true;
}

void write_renegotiation_info(const Extensions& in, wire::Writer& w) { w.vec8(*in.renegotiation_info); }

struct ExtensionCodec {
    uint16_t type;
    const char* name;
    bool (*present)(const Extensions&);
    bool (*read)(wire::Reader& body, Extensions& out);
    void (*write)(const Extensions& in, wire::Writer& w);
};

// Encoding follows this order.
constexpr ExtensionCodec kExtensionCodecs[] = {
    {0, "server_name", [](const Extensions& e) { return e.server_name.has_value(); }, read_server_name,
     write_server_name},
    {10, "supported_groups", [](const Extensions& e) { return e.supported_groups.has_value(); },
     read_supported_groups, write_supported_groups},
    {11, "ec_point_formats", [](const Extensions& e) { return e.ec_point_formats.has_value(); },
     read_ec_point_formats, write_ec_point_formats},
    {13, "signature_algorithms", [](const Extensions& e) { return e.signature_algorithms.has_value(); },
     read_signature_algorithms, write_signature_algorithms},
    {16, "application_layer_protocol_negotiation", [](const Extensions& e) { return e.alpn.has_value(); },
     read_alpn, write_alpn},
    {23, "extended_master_secret", [](const Extensions& e) { return e.extended_master_secret; },
     read_extended_master_secret, write_extended_master_secret},
    {0xff01, "renegotiation_info", [](const Extensions& e) { return e.renegotiation_info.has_value(); },
     read_renegotiation_info, write_renegotiation_info},
};

const ExtensionCodec* find_codec(uint16_t type) {
    for (const ExtensionCodec& codec : kExtensionCodecs) {
        if (codec.type == type) return &codec;
    }
    return nullptr;
}

}  // namespace

Status decode_extensions_block(wire::Reader& r, std::string_view message, Extensions& out) {
    out = Extensions{};
    if (r.empty()) return Ok{};
    wire::Reader block{std::span<const uint8_t>{}};
    if (!r.vec16(block)) return malformed(message, "truncated extensions");

    // RFC 5246 7.4.1.4: no two extensions of the same type, known or not. A
    // bitset keeps the check linear however many extensions a peer sends.
    std::bitset<65536> seen;
    while (!block.empty()) {
        uint16_t type;
        wire::Reader body{std::span<const uint8_t>{}};
        if (!block.u16(type) || !block.vec16(body)) return malformed(message, "truncated extension");
        if (seen.test(type)) return forbidden(message, "duplicate extension " + std::to_string(type));
        seen.set(type);

        const ExtensionCodec* codec = find_codec(type);
        if (codec == nullptr) {
            out.unknown.push_back(type);
            continue;
        }
        if (!codec->read(body, out) || !body.empty()) {
            return malformed(message, std::string("malformed extension ") + codec->name);
        }
    }
    return Ok{};
}

void encode_extensions_block(const Extensions& extensions, wire::Writer& w) {
    auto present = [&](const ExtensionCodec& codec) { return codec.present(extensions); };
    if (std::none_of(std::begin(kExtensionCodecs), std::end(kExtensionCodecs), present)) return;
    w.vec16([&] {
        for (const ExtensionCodec& codec : kExtensionCodecs) {
            if (!present(codec)) continue;
            w.u16(codec.type);
            w.vec16([&] { codec.write(extensions, w); });
        }
    });
}

}  // namespace dtls::messages
