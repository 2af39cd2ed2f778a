// The ACK of DTLS 1.3 (RFC 9147 7): the records of the current flight an
// endpoint has received, by epoch and sequence number. It is not a handshake
// message but a record of its own content type (26), so it never enters the
// transcript; its body is coded here with the other handshake-layer
// structures.
#pragma once

#include <span>
#include <vector>

#include "dtls/errors.hpp"
#include "record/content_type.hpp"
#include "wire/writer.hpp"

namespace dtls::messages {

// struct { RecordNumber record_numbers<0..2^16-1>; } ACK, each RecordNumber
// { uint64 epoch; uint64 sequence_number; }. The sender lists them in
// increasing order; the decoder keeps the order it finds.
struct Ack {
    std::vector<record::RecordNumber> records;
};

Result<Ack> decode_ack(std::span<const uint8_t> body);
[[nodiscard]] bool encode(const Ack& m, wire::Writer& w);

}  // namespace dtls::messages
