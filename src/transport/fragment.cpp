// The DTLS handshake header (RFC 6347 4.2.2):
//   msg_type(1) length(3) message_seq(2) fragment_offset(3) fragment_length(3)
// followed by fragment_length bytes of the message body.
#include "transport/fragment.hpp"

#include "wire/writer.hpp"

namespace dtls::transport {

bool read_fragment(wire::Reader& r, FragmentHeader& header, std::span<const uint8_t>& fragment) {
    // Read from a copy so that a rejected fragment leaves `r` where it was.
    wire::Reader probe = r;
    uint8_t type;
    FragmentHeader h;
    std::span<const uint8_t> bytes;
    if (!probe.u8(type) || !probe.u24(h.length) || !probe.u16(h.message_seq) || !probe.u24(h.fragment_offset) ||
        !probe.u24(h.fragment_length) || !probe.bytes(h.fragment_length, bytes)) {
        return false;
    }
    // Both fields are 24-bit, so the sum cannot overflow 32 bits.
    if (h.fragment_offset + h.fragment_length > h.length) return false;
    h.type = static_cast<HandshakeType>(type);
    header = h;
    fragment = bytes;
    r = probe;
    return true;
}

bool write_fragment_header(const FragmentHeader& header, wire::Writer& w) {
    w.u8(static_cast<uint8_t>(header.type));
    w.u24(header.length);
    w.u16(header.message_seq);
    w.u24(header.fragment_offset);
    w.u24(header.fragment_length);
    return w.ok();
}

}  // namespace dtls::transport
