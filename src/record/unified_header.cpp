#include "record/unified_header.hpp"

namespace dtls::record {

namespace {
constexpr uint8_t kFixedBits = 0x20;
constexpr uint8_t kCidBit = 0x10;
constexpr uint8_t kSequenceBit = 0x08;
constexpr uint8_t kLengthBit = 0x04;
constexpr uint8_t kEpochBits = 0x03;
}  // namespace

size_t unified_header_length(const UnifiedHeader& header) {
    return 1 + header.cid.size() + (header.long_sequence ? 2 : 1) + (header.has_length ? 2 : 0);
}

bool read_unified_record(wire::Reader& r, size_t cid_length, UnifiedHeader& header, std::span<const uint8_t>& body) {
    wire::Reader probe = r;
    uint8_t first;
    if (!probe.u8(first) || !is_unified_header(first)) return false;
    UnifiedHeader h;
    h.epoch_bits = first & kEpochBits;
    h.long_sequence = (first & kSequenceBit) != 0;
    h.has_length = (first & kLengthBit) != 0;
    if ((first & kCidBit) != 0) {
        if (cid_length == 0 || !probe.bytes(cid_length, h.cid)) return false;
    }
    if (h.long_sequence) {
        if (!probe.u16(h.sequence_bits)) return false;
    } else {
        uint8_t low;
        if (!probe.u8(low)) return false;
        h.sequence_bits = low;
    }
    if (h.has_length) {
        if (!probe.vec16(body)) return false;
    } else {
        body = probe.rest();
        probe.skip(body.size());
    }
    header = h;
    r = probe;
    return true;
}

bool write_unified_header(const UnifiedHeader& header, uint16_t body_length, wire::Writer& w) {
    if (header.epoch_bits > kEpochBits || (!header.long_sequence && header.sequence_bits > 0xFF)) return false;
    uint8_t first = kFixedBits | header.epoch_bits;
    if (!header.cid.empty()) first |= kCidBit;
    if (header.long_sequence) first |= kSequenceBit;
    if (header.has_length) first |= kLengthBit;
    w.u8(first);
    w.bytes(header.cid);
    if (header.long_sequence) {
        w.u16(header.sequence_bits);
    } else {
        w.u8(static_cast<uint8_t>(header.sequence_bits));
    }
    if (header.has_length) w.u16(body_length);
    return true;
}

}  // namespace dtls::record
