#include "record/dtls12_header.hpp"

namespace dtls::record {

bool read_dtls12_record(wire::Reader& r, Dtls12Header& header, std::span<const uint8_t>& body) {
    // The fixed 13 bytes are taken at once and decoded by position; only
    // the length is read as a prefix. This runs for every record received.
    wire::Reader probe = r;
    std::span<const uint8_t> fixed;
    if (!probe.bytes(kDtls12HeaderLength - 2, fixed) || !probe.vec16(body)) return false;
    header.type = static_cast<ContentType>(fixed[0]);
    header.version = static_cast<uint16_t>(wire::load_be<2>(fixed.subspan(1)));
    header.epoch = static_cast<uint16_t>(wire::load_be<2>(fixed.subspan(3)));
    header.sequence = wire::load_be<6>(fixed.subspan(5));
    header.length = static_cast<uint16_t>(body.size());
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
