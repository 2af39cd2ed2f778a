/// @file
/// Telling DTLS apart from STUN, RTP and the rest on one UDP socket, as a
/// WebRTC endpoint must (RFC 7983 7, updating RFC 5764 5.1.2).
#pragma once

#include <cstdint>
#include <span>

namespace dtls {

/// What a datagram on a multiplexed socket carries, by its first byte.
enum class DatagramKind {
    stun,          ///< 0..3: STUN (RFC 8489), ICE connectivity checks
    zrtp,          ///< 16..19: ZRTP (RFC 6189)
    dtls,          ///< 20..63: a DTLS record: hand it to the connection
    turn_channel,  ///< 64..79: TURN ChannelData (RFC 8656)
    rtp_rtcp,      ///< 128..191: RTP or RTCP (SRTP or SRTCP once keyed)
    unknown,       ///< empty, or any other first byte: RFC 7983 says to drop it
};

/// The kind of `datagram` by its first byte (RFC 7983 7). Looks at nothing
/// else: a datagram classified dtls may still be garbage, which the
/// connection drops.
DatagramKind classify_datagram(std::span<const uint8_t> datagram);

/// The kind's name ("stun", "dtls", ...).
const char* to_string(DatagramKind kind);

}  // namespace dtls
