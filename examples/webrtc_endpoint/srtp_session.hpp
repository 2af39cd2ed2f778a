// libsrtp2 sessions keyed from a DTLS-SRTP handshake: one to protect what we
// send, one to unprotect what the browser sends (RTP and, multiplexed on
// the same port, RTCP).
#pragma once

#include <srtp2/srtp.h>

#include <cstdint>
#include <string>
#include <vector>

#include "dtls/srtp.hpp"

namespace webrtc_example {

class SrtpSession {
public:
    // Empty `error()` on success.
    SrtpSession(const dtls::SrtpKeys& keys, dtls::Role our_role);
    ~SrtpSession();
    SrtpSession(const SrtpSession&) = delete;
    SrtpSession& operator=(const SrtpSession&) = delete;

    const std::string& error() const { return error_; }

    // In place; false if libsrtp refuses (authentication failure, replay).
    bool unprotect(std::vector<uint8_t>& packet);
    bool protect_rtp(std::vector<uint8_t>& packet);

private:
    srtp_t inbound_ = nullptr;
    srtp_t outbound_ = nullptr;
    std::string error_;
};

// RFC 5761 4: in a multiplexed stream, RTCP packet types 192..223 sit where
// RTP has its marker bit and payload type.
bool is_rtcp(const std::vector<uint8_t>& packet);

}  // namespace webrtc_example
