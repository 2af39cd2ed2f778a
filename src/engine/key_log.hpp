// One line of the NSS key log format, which Wireshark and tshark read:
// "<LABEL> <client random in hex> <secret in hex>". DTLS 1.2 logs its master
// secret as CLIENT_RANDOM; DTLS 1.3 logs each traffic secret under its own
// label (CLIENT_HANDSHAKE_TRAFFIC_SECRET, ...).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace dtls::engine {

std::string key_log_line(std::string_view label, std::span<const uint8_t> client_random,
                         std::span<const uint8_t> secret);

}  // namespace dtls::engine
