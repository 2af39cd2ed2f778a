// What every record format shares: the content types (RFC 6347 4.1, RFC 9146
// 4, RFC 9147 4 and 7, RFC 9853 4), record numbers, and the size limits.
#pragma once

#include <cstddef>
#include <cstdint>

namespace dtls::record {

// The values a record's type byte can take. A byte outside this list is kept
// as it arrived (the enum has a fixed underlying type) and is dropped by the
// layer that reads it.
enum class ContentType : uint8_t {
    change_cipher_spec = 20,
    alert = 21,
    handshake = 22,
    application_data = 23,
    tls12_cid = 25,  // RFC 9146: a protected DTLS 1.2 record that carries a connection ID
    ack = 26,        // RFC 9147 7: DTLS 1.3 acknowledgements
    return_routability_check = 27,  // RFC 9853 4: path_challenge, path_response, path_drop
};

const char* to_string(ContentType type);

// A record's full number: its epoch and its sequence number within the epoch
// (RFC 9147 7 acknowledges records by this pair).
struct RecordNumber {
    uint64_t epoch = 0;
    uint64_t sequence = 0;
    bool operator==(const RecordNumber&) const = default;
};

constexpr size_t kMaxPlaintextLength = 16384;
// RFC 6347 4.1 allows a protected body up to 2^14 + 2048 bytes.
constexpr size_t kMaxCiphertextLength = 16384 + 2048;
// Sequence numbers are 48 bits on the wire in every DTLS 1.2 header.
constexpr uint64_t kMaxSequence = (uint64_t{1} << 48) - 1;

constexpr uint16_t kVersionDtls12 = 0xFEFD;
constexpr uint16_t kVersionDtls10 = 0xFEFF;

// Whether a version number (of a record or a hello) is a DTLS one: every
// DTLS version has 0xFE as its first byte, and they count down from 0xFEFF
// (1.0) through 0xFEFD (1.2) to 0xFEFC (1.3).
constexpr bool is_dtls_version(uint16_t version) { return (version >> 8) == 0xFE; }

}  // namespace dtls::record
