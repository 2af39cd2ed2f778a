// What the engine takes from the configuration: the MTU, the timers, the
// trace callback and the DTLS 1.3 record options. One Settings is shared by
// every connection of a Client, Server or Endpoint.
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

#include "dtls/config.hpp"

namespace dtls::engine {

struct Settings {
    size_t mtu = Config::default_mtu;
    // RFC 6347 4.2.4: the timer starts at `initial`, doubles on each expiry
    // up to `max`, and the handshake fails after `max_retransmits`.
    Duration initial_retransmit_timeout = std::chrono::seconds(1);
    Duration max_retransmit_timeout = std::chrono::seconds(60);
    unsigned max_retransmits = 8;
    bool retransmit_timeout_from_round_trip = true;  // see Config
    Duration handshake_timeout = std::chrono::seconds(300);
    std::function<void(std::string_view line)> trace;
    bool dtls13_short_sequence_numbers = false;  // see Config
    bool dtls13_omit_length = false;
    // DTLS 1.3: records sent with one key before a KeyUpdate of our own (0:
    // half the suite's limit; never more than that).
    uint64_t dtls13_key_update_records = 0;
    // Timer retransmissions of one flight at one MTU before the next are
    // sent smaller (0: never); see Config::pmtu_backoff_after.
    unsigned pmtu_backoff_after = 2;
};

}  // namespace dtls::engine
