// The 12-byte DTLS handshake header (RFC 6347 4.2.2, unchanged in RFC 9147
// 5.2) that precedes every handshake fragment on the wire.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "messages/messages.hpp"
#include "record/dtls12_header.hpp"
#include "wire/reader.hpp"
#include "wire/writer.hpp"

namespace dtls::transport {

using messages::HandshakeType;

constexpr size_t kHandshakeHeaderLength = 12;
// Largest handshake message body we accept: a long certificate chain fits,
// and so does a ClientKeyExchange with the longest PSK identity (2^16-1
// bytes) and an ECDHE point.
constexpr uint32_t kMaxMessageLength = 64 * 1024 + 512;

struct FragmentHeader {
    HandshakeType type{};
    uint32_t length = 0;           // whole message body
    uint16_t message_seq = 0;
    uint32_t fragment_offset = 0;
    uint32_t fragment_length = 0;
};

// Reads one header and its fragment bytes. False if the bytes are too few
// or offset + fragment_length exceeds length.
bool read_fragment(wire::Reader& r, FragmentHeader& header, std::span<const uint8_t>& fragment);

// False (the writer failed) if a length or offset exceeds 24 bits.
bool write_fragment_header(const FragmentHeader& header, wire::Writer& w);

// Replaces `out` with one plaintext (epoch 0) record holding one whole
// handshake message of `body_length` bytes, which `write_body(wire::Writer&)`
// appends: how the front door's stateless answers (HelloVerifyRequest,
// HelloRetryRequest) are written, straight into the caller's buffer. False,
// with `out` empty, if a length does not fit or write_body fails.
template <class WriteBody>
bool write_plaintext_message(uint64_t record_sequence, HandshakeType type, uint16_t message_seq, uint32_t body_length,
                             WriteBody&& write_body, std::vector<uint8_t>& out) {
    out.clear();
    wire::Writer w(out);
    const size_t record_length = kHandshakeHeaderLength + body_length;
    const bool ok = record_length <= 0xFFFF &&
                    record::write_dtls12_header({record::ContentType::handshake, record::kVersionDtls12, 0,
                                                 record_sequence, static_cast<uint16_t>(record_length)},
                                                w) &&
                    write_fragment_header({type, body_length, message_seq, 0, body_length}, w) && write_body(w) &&
                    out.size() == record::kDtls12HeaderLength + record_length;
    if (!ok) out.clear();
    return ok;
}

}  // namespace dtls::transport
