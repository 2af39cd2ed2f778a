// Hex text to bytes and back, for the known-answer values of the TLS 1.3
// tests.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dtls::tls13::testing {

// Whitespace is skipped, so values may be split as the RFC prints them.
inline std::vector<uint8_t> from_hex(std::string_view hex) {
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::vector<uint8_t> out;
    int high = -1;
    for (char c : hex) {
        const int v = nibble(c);
        if (v < 0) continue;
        if (high < 0) {
            high = v;
        } else {
            out.push_back(static_cast<uint8_t>(high << 4 | v));
            high = -1;
        }
    }
    return out;
}

inline std::string to_hex(std::span<const uint8_t> bytes) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (uint8_t b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

inline std::span<const uint8_t> bytes_of(std::string_view text) {
    return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

// The concatenation of several byte strings given in hex: handshake messages
// into the transcript they make.
inline std::vector<uint8_t> concat_hex(std::initializer_list<std::string_view> parts) {
    std::vector<uint8_t> out;
    for (std::string_view part : parts) {
        const std::vector<uint8_t> bytes = from_hex(part);
        out.insert(out.end(), bytes.begin(), bytes.end());
    }
    return out;
}

}  // namespace dtls::tls13::testing
