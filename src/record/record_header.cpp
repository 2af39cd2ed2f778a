#include "record/record_header.hpp"

namespace dtls::record {

bool is_known_content_type(uint8_t type) {
    return type >= static_cast<uint8_t>(ContentType::change_cipher_spec) &&
           type <= static_cast<uint8_t>(ContentType::application_data);
}

bool read_record(wire::Reader& r, RecordHeader& header, std::span<const uint8_t>& fragment) {
    wire::Reader probe = r;
    uint8_t type;
    RecordHeader h;
    if (!probe.u8(type) || !probe.u16(h.version) || !probe.u16(h.epoch) || !probe.u48(h.sequence) ||
        !probe.vec16(fragment)) {
        return false;
    }
    if (!is_known_content_type(type) || fragment.size() > kMaxCiphertextLength) return false;
    h.type = static_cast<ContentType>(type);
    h.length = static_cast<uint16_t>(fragment.size());
    header = h;
    r = probe;
    return true;
}

void write_record_header(const RecordHeader& header, wire::Writer& w) {
    // Assembled on the stack and appended once: this runs for every record.
    const uint8_t bytes[kHeaderLength] = {
        static_cast<uint8_t>(header.type),        static_cast<uint8_t>(header.version >> 8),
        static_cast<uint8_t>(header.version),     static_cast<uint8_t>(header.epoch >> 8),
        static_cast<uint8_t>(header.epoch),       static_cast<uint8_t>(header.sequence >> 40),
        static_cast<uint8_t>(header.sequence >> 32), static_cast<uint8_t>(header.sequence >> 24),
        static_cast<uint8_t>(header.sequence >> 16), static_cast<uint8_t>(header.sequence >> 8),
        static_cast<uint8_t>(header.sequence),    static_cast<uint8_t>(header.length >> 8),
        static_cast<uint8_t>(header.length),
    };
    w.bytes(bytes);
}

}  // namespace dtls::record
