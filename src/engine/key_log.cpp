#include "engine/key_log.hpp"

namespace dtls::engine {

namespace {

void append_hex(std::string& out, std::span<const uint8_t> bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    for (uint8_t b : bytes) {
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 0x0F]);
    }
}

}  // namespace

std::string key_log_line(std::string_view label, std::span<const uint8_t> client_random,
                         std::span<const uint8_t> secret) {
    std::string line;
    line.reserve(label.size() + 2 + 2 * (client_random.size() + secret.size()));
    line.append(label);
    line.push_back(' ');
    append_hex(line, client_random);
    line.push_back(' ');
    append_hex(line, secret);
    return line;
}

}  // namespace dtls::engine
