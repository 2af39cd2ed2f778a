// Demultiplexing one UDP socket by the first byte of each datagram (RFC 7983
// 7, the updated RFC 5764 5.1.2 algorithm).
#include "dtls/demux.hpp"

namespace dtls {

DatagramKind classify_datagram(std::span<const uint8_t> datagram) {
    if (datagram.empty()) {
        return DatagramKind::unknown;
    }
    const uint8_t b = datagram.front();
    if (b <= 3) return DatagramKind::stun;
    if (b >= 16 && b <= 19) return DatagramKind::zrtp;
    if (b >= 20 && b <= 63) return DatagramKind::dtls;
    if (b >= 64 && b <= 79) return DatagramKind::turn_channel;
    if (b >= 128 && b <= 191) return DatagramKind::rtp_rtcp;
    return DatagramKind::unknown;  // 4..15, 80..127, 192..255: to be dropped
}

const char* to_string(DatagramKind kind) {
    switch (kind) {
        case DatagramKind::stun: return "stun";
        case DatagramKind::zrtp: return "zrtp";
        case DatagramKind::dtls: return "dtls";
        case DatagramKind::turn_channel: return "turn_channel";
        case DatagramKind::rtp_rtcp: return "rtp_rtcp";
        case DatagramKind::unknown: return "unknown";
    }
    return "unknown";
}

}  // namespace dtls
