#include "record/dtls12_header.hpp"

namespace dtls::record {

bool read_dtls12_record(wire::Reader& r, Dtls12Header& header, std::span<const uint8_t>& body) {
    wire::Reader probe = r;
    uint8_t type;
    Dtls12Header h;
    if (!probe.u8(type) || !probe.u16(h.version) || !probe.u16(h.epoch) || !probe.u48(h.sequence) ||
        !probe.vec16(body)) {
        return false;
    }
    h.type = static_cast<ContentType>(type);
    h.length = static_cast<uint16_t>(body.size());
    header = h;
    r = probe;
    return true;
}

bool write_dtls12_header(const Dtls12Header& header, wire::Writer& w) {
    if (header.sequence > kMaxSequence) return false;
    // Assembled on the stack and appended once: this runs for every record.
    const uint8_t bytes[kDtls12HeaderLength] = {
        static_cast<uint8_t>(header.type),           static_cast<uint8_t>(header.version >> 8),
        static_cast<uint8_t>(header.version),        static_cast<uint8_t>(header.epoch >> 8),
        static_cast<uint8_t>(header.epoch),          static_cast<uint8_t>(header.sequence >> 40),
        static_cast<uint8_t>(header.sequence >> 32), static_cast<uint8_t>(header.sequence >> 24),
        static_cast<uint8_t>(header.sequence >> 16), static_cast<uint8_t>(header.sequence >> 8),
        static_cast<uint8_t>(header.sequence),       static_cast<uint8_t>(header.length >> 8),
        static_cast<uint8_t>(header.length),
    };
    w.bytes(bytes);
    return true;
}

}  // namespace dtls::record
