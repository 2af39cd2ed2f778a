// The return_routability_check messages of RFC 9853 4: path_challenge,
// path_response and path_drop, each a message type and an 8-byte cookie.
// They travel in protected records of their own content type (27), like
// ACKs, so they never enter a handshake transcript; the body is coded here.
// The record carries no length for the message, so one record is one
// message.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>

#include "dtls/errors.hpp"

namespace dtls::messages {

// enum { path_challenge(0), path_response(1), path_drop(2), (255) } rrc_msg_type.
enum class RrcType : uint8_t {
    path_challenge = 0,
    path_response = 1,
    path_drop = 2,
};

using RrcCookie = std::array<uint8_t, 8>;  // uint64 Cookie: 64 bits of entropy

struct RrcMessage {
    RrcType type = RrcType::path_challenge;
    RrcCookie cookie{};
};

// The body of a record: a message of a type we know, nothing for an unknown
// type (RFC 9853 4: parsed and ignored, whatever follows it), or an error
// (decode_error) for an empty body or a known type whose cookie is not
// exactly 8 bytes.
Result<std::optional<RrcMessage>> decode_rrc(std::span<const uint8_t> body);

constexpr size_t kRrcMessageLength = 1 + 8;
std::array<uint8_t, kRrcMessageLength> encode_rrc(const RrcMessage& m);

}  // namespace dtls::messages
