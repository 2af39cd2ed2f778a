#include "coap.hpp"

#include <algorithm>
#include <cstdio>

namespace coap {

namespace {

constexpr uint8_t payload_marker = 0xFF;

// Reads an option delta or length whose 4-bit nibble is `nibble`: 0-12 as is,
// 13 adds one byte (value + 13), 14 adds two (value + 269), 15 is reserved.
bool read_extended(uint8_t nibble, std::span<const uint8_t> in, size_t& at, uint32_t& out) {
    if (nibble < 13) {
        out = nibble;
        return true;
    }
    if (nibble == 13) {
        if (at + 1 > in.size()) return false;
        out = 13u + in[at];
        at += 1;
        return true;
    }
    if (nibble == 14) {
        if (at + 2 > in.size()) return false;
        out = 269u + ((uint32_t{in[at]} << 8) | in[at + 1]);
        at += 2;
        return true;
    }
    return false;  // 15: reserved for the payload marker, a format error here
}

// The 4-bit nibble for a delta or length `value` (0-12 as is, 13 and 14 for
// the one- and two-byte extended forms).
uint8_t nibble_of(uint32_t value) { return value < 13 ? static_cast<uint8_t>(value) : value < 269 ? 13 : 14; }

// The extended bytes that follow the option header for `value`, if any.
// (push_back one byte at a time: GCC 12 misreports a bounds overread for
// inserting a small std::vector here.)
void append_extended(uint32_t value, std::vector<uint8_t>& out) {
    if (value < 13) return;
    if (value < 269) {
        out.push_back(static_cast<uint8_t>(value - 13));
        return;
    }
    out.push_back(static_cast<uint8_t>((value - 269) >> 8));
    out.push_back(static_cast<uint8_t>(value - 269));
}

}  // namespace

std::string Message::path() const {
    std::string out;
    for (const Option& option : options) {
        if (option.number != option_uri_path) continue;
        if (!out.empty()) out += '/';
        out.append(option.value.begin(), option.value.end());
    }
    return out;
}

const Option* Message::find(uint16_t number) const {
    for (const Option& option : options) {
        if (option.number == number) return &option;
    }
    return nullptr;
}

std::string code_string(uint8_t code) {
    char text[8];
    std::snprintf(text, sizeof text, "%u.%02u", code >> 5, code & 0x1Fu);
    return text;
}

std::vector<uint8_t> uint_value(uint32_t value) {
    std::vector<uint8_t> out;
    for (int shift = 24; shift >= 0; shift -= 8) {
        if (!out.empty() || (value >> shift) != 0) out.push_back(static_cast<uint8_t>(value >> shift));
    }
    return out;
}

std::optional<Message> parse(std::span<const uint8_t> in) {
    if (in.size() < 4 || (in[0] >> 6) != 1) return std::nullopt;  // version must be 1
    Message message;
    message.type = static_cast<Type>((in[0] >> 4) & 0x3);
    size_t token_length = in[0] & 0x0F;
    if (token_length > 8 || 4 + token_length > in.size()) return std::nullopt;
    message.code = in[1];
    message.message_id = static_cast<uint16_t>((in[2] << 8) | in[3]);
    message.token.assign(in.begin() + 4, in.begin() + 4 + static_cast<std::ptrdiff_t>(token_length));
    // An empty message (code 0.00) is the header alone (section 4.1).
    if (message.code == empty && (token_length != 0 || in.size() != 4)) return std::nullopt;

    size_t at = 4 + token_length;
    uint32_t number = 0;
    while (at < in.size()) {
        uint8_t first = in[at++];
        if (first == payload_marker) {
            // A marker followed by nothing is a format error (section 3).
            if (at == in.size()) return std::nullopt;
            message.payload.assign(in.begin() + static_cast<std::ptrdiff_t>(at), in.end());
            break;
        }
        uint32_t delta = 0, length = 0;
        if (!read_extended(first >> 4, in, at, delta) || !read_extended(first & 0x0F, in, at, length)) {
            return std::nullopt;
        }
        number += delta;
        if (number > 0xFFFF || length > in.size() - at) return std::nullopt;
        Option option;
        option.number = static_cast<uint16_t>(number);
        option.value.assign(in.begin() + static_cast<std::ptrdiff_t>(at),
                            in.begin() + static_cast<std::ptrdiff_t>(at + length));
        at += length;
        message.options.push_back(std::move(option));
    }
    return message;
}

std::vector<uint8_t> encode(Message message) {
    std::vector<uint8_t> out;
    out.push_back(static_cast<uint8_t>((1u << 6) | (static_cast<unsigned>(message.type) << 4) |
                                       (message.token.size() & 0x0F)));
    out.push_back(message.code);
    out.push_back(static_cast<uint8_t>(message.message_id >> 8));
    out.push_back(static_cast<uint8_t>(message.message_id));
    for (uint8_t byte : message.token) out.push_back(byte);
    // Deltas are from the previous option's number, so options go out in
    // ascending order; stable, because repeated options (Uri-Path) keep
    // their order.
    std::stable_sort(message.options.begin(), message.options.end(),
                     [](const Option& a, const Option& b) { return a.number < b.number; });
    uint16_t previous = 0;
    for (const Option& option : message.options) {
        const uint32_t delta = option.number - previous;
        const auto length = static_cast<uint32_t>(option.value.size());
        out.push_back(static_cast<uint8_t>((nibble_of(delta) << 4) | nibble_of(length)));
        append_extended(delta, out);  // the delta's extended bytes come before the length's
        append_extended(length, out);
        for (uint8_t byte : option.value) out.push_back(byte);
        previous = option.number;
    }
    if (!message.payload.empty()) {
        out.push_back(payload_marker);
        for (uint8_t byte : message.payload) out.push_back(byte);
    }
    return out;
}

}  // namespace coap
