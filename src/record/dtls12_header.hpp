// The 13-byte record header of DTLS 1.2 (RFC 6347 4.1), which DTLS 1.3 also
// uses for its plaintext records (RFC 9147 4, DTLSPlaintext):
//
//   type(1) version(2) epoch(2) sequence_number(6) length(2)
#pragma once

#include <cstdint>
#include <span>

#include "record/content_type.hpp"
#include "wire/reader.hpp"
#include "wire/writer.hpp"

namespace dtls::record {

constexpr size_t kDtls12HeaderLength = 13;

struct Dtls12Header {
    ContentType type{};
    uint16_t version = kVersionDtls12;
    uint16_t epoch = 0;
    uint64_t sequence = 0;  // 48 bits
    uint16_t length = 0;
};

// Reads one header and the `length` bytes of body after it. False (and `r`
// unchanged) if the bytes end first. The values are not judged here.
bool read_dtls12_record(wire::Reader& r, Dtls12Header& header, std::span<const uint8_t>& body);

// Appends the header; false if a field does not fit its width (a sequence
// number over 48 bits).
bool write_dtls12_header(const Dtls12Header& header, wire::Writer& w);

}  // namespace dtls::record
