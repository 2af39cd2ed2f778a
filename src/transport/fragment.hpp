// The 12-byte DTLS handshake header (RFC 6347 4.2.2, unchanged in RFC 9147
// 5.2) that precedes every handshake fragment on the wire.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "messages/messages.hpp"
#include "wire/reader.hpp"
#include "wire/writer.hpp"

namespace dtls::transport {

using messages::HandshakeType;

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

// False (the writer failed) if a length or offset exceeds 24 bits.
bool write_fragment_header(const FragmentHeader& header, wire::Writer& w);

}  // namespace dtls::transport
