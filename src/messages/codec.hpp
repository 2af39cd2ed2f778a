// Private to src/messages: pieces shared by the message codecs
// (messages.cpp, tls13_messages.cpp, ack.cpp) and the extensions codec
// (extensions.cpp, tls13_extension_bodies.cpp). Not part of the layer's
// interface; the state machines use the other headers only.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dtls/errors.hpp"
#include "messages/messages.hpp"
#include "wire/reader.hpp"
#include "wire/writer.hpp"

namespace dtls::messages {

// The one way a decoder reports a fault: "<Message>: <what>". malformed is
// for bytes that do not parse; forbidden for a well-formed field holding a
// value the protocol forbids.
inline Error decode_failure(Fault fault, std::string_view message, std::string_view what) {
    std::string reason(message);
    reason += ": ";
    reason += what;
    return Error::from(fault, std::move(reason));
}

inline Error malformed(std::string_view message, std::string_view what) {
    return decode_failure(Fault::malformed_message, message, what);
}

inline Error forbidden(std::string_view message, std::string_view what) {
    return decode_failure(Fault::forbidden_value, message, what);
}

inline Bytes to_bytes(std::span<const uint8_t> b) { return Bytes(b.begin(), b.end()); }

// A vec16 of uint16 values that must hold at least one (<2..2^16-2>): false
// when truncated, empty or of odd length.
inline bool read_u16_list(wire::Reader& r, std::vector<uint16_t>& out) {
    wire::Reader list{std::span<const uint8_t>{}};
    if (!r.vec16(list) || list.empty() || list.remaining() % 2 != 0) return false;
    std::vector<uint16_t> values;
    values.reserve(list.remaining() / 2);
    uint16_t v;
    while (list.u16(v)) values.push_back(v);
    out = std::move(values);
    return true;
}

// A vec8 of bytes that must hold at least one (<1..2^8-1>).
inline bool read_u8_list(wire::Reader& r, std::vector<uint8_t>& out) {
    std::span<const uint8_t> list;
    if (!r.vec8(list) || list.empty()) return false;
    out = to_bytes(list);
    return true;
}

inline void write_u16_list(wire::Writer& w, const std::vector<uint16_t>& values) {
    w.vec16([&] {
        for (uint16_t v : values) w.u16(v);
    });
}

// The type code of pre_shared_key (RFC 8446 4.2), which must end a
// ClientHello: the extensions codec and binders_offset() both look for it.
constexpr uint16_t kPreSharedKeyExtension = 41;

// The extensions block of a message, read as `context` defines it. A
// ClientHello, ServerHello or HelloRetryRequest may end without one (RFC
// 5246 7.4.1.2): no bytes left then means no extensions. In the DTLS 1.3
// messages the block is a mandatory vec16, possibly empty. Exactly one block
// is read; the caller still checks for trailing bytes. `message` names the
// message in errors.
Status decode_extensions_block(wire::Reader& r, ExtensionContext context, std::string_view message,
                               Extensions& out);

// Writes the extensions that are present, in the table's fixed order
// (pre_shared_key last). In a hello, nothing at all (not even an empty block)
// when none is; in the other messages an empty block. False when a present
// extension has no form in this context (one not allowed in the message, a
// ServerHello with two key shares); a field too long for its length prefix
// fails the writer (see wire::Writer::ok).
[[nodiscard]] bool encode_extensions_block(const Extensions& extensions, ExtensionContext context, wire::Writer& w);

}  // namespace dtls::messages
