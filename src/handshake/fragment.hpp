// The 12-byte DTLS handshake header (RFC 6347 4.2.2) that precedes every
// handshake fragment, and the full-message form used in the transcript.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "handshake/messages.hpp"
#include "wire/reader.hpp"

namespace dtls::handshake {

constexpr size_t kHandshakeHeaderLength = 12;
// Largest handshake message body we accept (a long certificate chain fits).
constexpr uint32_t kMaxMessageLength = 64 * 1024;

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

void write_fragment_header(const FragmentHeader& header, wire::Writer& w);

// The message as it enters the transcript: a header with offset 0 and
// fragment_length == length, then the body.
void append_transcript_form(HandshakeType type, uint16_t message_seq, std::span<const uint8_t> body,
                            std::vector<uint8_t>& out);

}  // namespace dtls::handshake
