#include "server_stats.hpp"

namespace dtls_tool {

std::string ServerStats::line(size_t open_connections) const {
    auto n = [](uint64_t value) { return std::to_string(value); };
    return "stats: connections " + std::to_string(open_connections) + " open, " + n(accepted) + " accepted, " +
           n(idle_closed) + " idle-closed; handshakes " + n(handshakes_done) + " done, " + n(handshakes_failed) +
           " failed; cookies sent " + n(cookies_sent) + "; in " + n(datagrams_in) + " datagrams " + n(bytes_in) +
           " bytes; out " + n(datagrams_out) + " datagrams " + n(bytes_out) + " bytes; drops: not-hello " +
           n(dropped_not_hello) + ", full " + n(dropped_full) + ", records " + n(dropped_records) + ", send-buffer " +
           n(dropped_send_buffer) + ", receive-buffer " + n(dropped_receive_buffer) + ", unknown-cid " +
           n(dropped_unknown_cid);
}

}  // namespace dtls_tool
