// A minimal CoAP message codec (RFC 7252 section 3): enough for a GET and its
// answer. It does no networking and knows no resource; main.cpp does that.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace coap {

enum class Type : uint8_t { confirmable = 0, non_confirmable = 1, acknowledgement = 2, reset = 3 };

// Codes are class.detail, packed as (class << 5) | detail (section 3).
constexpr uint8_t code(unsigned cls, unsigned detail) { return static_cast<uint8_t>((cls << 5) | detail); }
constexpr uint8_t empty = code(0, 0);
constexpr uint8_t get = code(0, 1);
constexpr uint8_t content = code(2, 5);
constexpr uint8_t bad_request = code(4, 0);
constexpr uint8_t bad_option = code(4, 2);
constexpr uint8_t not_found = code(4, 4);
constexpr uint8_t method_not_allowed = code(4, 5);

// Option numbers used here (section 5.10).
constexpr uint16_t option_uri_host = 3;
constexpr uint16_t option_uri_port = 7;
constexpr uint16_t option_uri_path = 11;
constexpr uint16_t option_content_format = 12;
constexpr uint16_t option_uri_query = 15;
constexpr uint16_t option_accept = 17;
constexpr uint16_t option_block2 = 23;

// Odd option numbers are critical: a request carrying one the server does
// not know must be refused, not silently half-understood (section 5.4.1).
constexpr bool critical(uint16_t number) { return (number & 1) != 0; }
constexpr uint16_t text_plain = 0;  // Content-Format "text/plain; charset=utf-8" (section 12.3)

struct Option {
    uint16_t number = 0;
    std::vector<uint8_t> value;
};

struct Message {
    Type type = Type::confirmable;
    uint8_t code = empty;
    uint16_t message_id = 0;
    std::vector<uint8_t> token;   // 0 to 8 bytes
    std::vector<Option> options;  // kept in ascending number order by encode()
    std::vector<uint8_t> payload;

    // The Uri-Path options joined with '/', without a leading '/'.
    std::string path() const;
    // The first option with that number, if any.
    const Option* find(uint16_t number) const;
};

// "2.05" for a code.
std::string code_string(uint8_t code);

// An unsigned option value in the fewest bytes (section 3.2: zero is empty).
std::vector<uint8_t> uint_value(uint32_t value);

// nullopt for a message format error (section 3): wrong version, a token
// length of 9 to 15, a reserved nibble 15 in an option, an option running
// past the end, or a payload marker with no payload after it.
std::optional<Message> parse(std::span<const uint8_t> datagram);

std::vector<uint8_t> encode(Message message);

}  // namespace coap
