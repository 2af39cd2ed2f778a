// The DTLS 1.2 record header (RFC 6347 4.1) and the record content types.
#pragma once

#include <cstdint>
#include <span>

#include "wire/reader.hpp"
#include "wire/writer.hpp"

namespace dtls::record {

enum class ContentType : uint8_t {
    change_cipher_spec = 20,
    alert = 21,
    handshake = 22,
    application_data = 23,
};

constexpr size_t kHeaderLength = 13;
constexpr size_t kMaxPlaintextLength = 16384;
// RFC 6347 4.1 allows ciphertext up to 2^14 + 2048.
constexpr size_t kMaxCiphertextLength = 16384 + 2048;
constexpr uint64_t kMaxSequence = (uint64_t{1} << 48) - 1;

constexpr uint16_t kVersionDtls12 = 0xFEFD;
constexpr uint16_t kVersionDtls10 = 0xFEFF;

struct RecordHeader {
    ContentType type{};
    uint16_t version = kVersionDtls12;
    uint16_t epoch = 0;
    uint64_t sequence = 0;  // 48 bits
    uint16_t length = 0;
};

bool is_known_content_type(uint8_t type);

// Reads one record. False (a malformed datagram tail that must be dropped)
// if the header is short, the type is unknown, the length exceeds
// kMaxCiphertextLength, or fewer than `length` bytes follow.
bool read_record(wire::Reader& r, RecordHeader& header, std::span<const uint8_t>& fragment);

void write_record_header(const RecordHeader& header, wire::Writer& w);

}  // namespace dtls::record
