// The DTLS 1.3 unified header of protected records (RFC 9147 4, figure 3):
//
//   first byte 0 0 1 C S L E E
//   [connection ID, when C is set; its length is the one the receiver issued]
//   sequence number, the low 8 bits (S clear) or 16 bits (S set)
//   [length, 16 bits, when L is set; without it the record runs to the end
//    of the datagram]
//
// The sequence number bits are read and written as they are on the wire,
// where they are encrypted (RFC 9147 4.2.3); removing the mask is the job of
// whoever holds the epoch's keys.
#pragma once

#include <cstdint>
#include <span>

#include "wire/reader.hpp"
#include "wire/writer.hpp"

namespace dtls::record {

// Whether a record's first byte starts a unified header (001xxxxx: 32..63).
constexpr bool is_unified_header(uint8_t first_byte) { return (first_byte & 0xE0) == 0x20; }

struct UnifiedHeader {
    uint8_t epoch_bits = 0;         // the low two bits of the epoch
    std::span<const uint8_t> cid;   // empty when the C bit is clear
    bool long_sequence = true;      // S: 16 sequence bits rather than 8
    uint16_t sequence_bits = 0;     // as on the wire (masked)
    bool has_length = true;         // L
};

// The header's size on the wire.
size_t unified_header_length(const UnifiedHeader& header);

// Reads one unified header and its body. `cid_length` is the length of the
// CIDs this receiver issued (0 when it issued none): a header with the C bit
// set cannot be framed without it. Without the L bit the body is everything
// left in `r`. False (and `r` unchanged) if the first byte is not a unified
// header byte, the C bit is set with `cid_length` 0, or the bytes end first.
bool read_unified_record(wire::Reader& r, size_t cid_length, UnifiedHeader& header, std::span<const uint8_t>& body);

// Appends the header; `body_length` fills the length field when the L bit is
// set. False if the epoch bits or sequence bits do not fit their fields.
bool write_unified_header(const UnifiedHeader& header, uint16_t body_length, wire::Writer& w);

}  // namespace dtls::record
