// The DTLS 1.2 record header with a connection ID (RFC 9146 4): the DTLS 1.2
// header with the outer type tls12_cid(25) and the CID between the sequence
// number and the length:
//
//   tls12_cid(1) version(2) epoch(2) sequence_number(6) cid(cid_length) length(2)
//
// The CID's length is not on the wire: the receiver knows the length of the
// CIDs it issued, so it is a parameter here.
#pragma once

#include <cstdint>
#include <span>

#include "record/content_type.hpp"
#include "wire/reader.hpp"
#include "wire/writer.hpp"

namespace dtls::record {

// RFC 9146 3: a CID is 0..255 bytes; the record format carries one only when
// it is at least 1 byte long.
constexpr size_t kMaxCidLength = 255;

struct CidHeader {
    uint16_t version = kVersionDtls12;
    uint16_t epoch = 0;
    uint64_t sequence = 0;          // 48 bits
    std::span<const uint8_t> cid;   // cid_length bytes
    uint16_t length = 0;
};

constexpr size_t cid_header_length(size_t cid_length) { return 13 + cid_length; }

// Reads a tls12_cid header (the type byte included, which must be 25) whose
// CID is `cid_length` bytes, and the body after it. False (and `r`
// unchanged) if the bytes end first, the type is not tls12_cid or
// `cid_length` is 0 or over kMaxCidLength.
bool read_cid_record(wire::Reader& r, size_t cid_length, CidHeader& header, std::span<const uint8_t>& body);

// False if the CID is empty or too long, or the sequence number exceeds 48 bits.
bool write_cid_header(const CidHeader& header, wire::Writer& w);

}  // namespace dtls::record
