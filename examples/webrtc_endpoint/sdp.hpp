// The few SDP (RFC 8866, RFC 8829) lines this example reads from a browser's
// offer, and the answer it writes: an audio section and a data channel
// section (RFC 8841), bundled, ICE-lite with one host candidate, our
// certificate fingerprint and DTLS role.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace webrtc_example {

struct Offer {
    std::string ice_ufrag;
    std::string ice_password;
    std::vector<std::string> fingerprints;  // "sha-256 AB:..."
    std::string mid;                        // of the audio section
    int opus_payload_type = -1;             // from a=rtpmap:<pt> opus/48000/2
    std::string data_mid;                   // of the data channel section
    int sctp_port = -1;                     // its a=sctp-port
    bool data_first = false;                // the data section comes before the audio one
};

// Empty when a line we need is missing (the reason in `error`).
std::optional<Offer> parse_offer(const std::string& sdp, std::string& error);

struct Answer {
    std::string ice_ufrag;
    std::string ice_password;
    std::string fingerprint;  // ours
    bool dtls_client = false; // a=setup:active (we start the handshake) or passive
    std::string address;      // our host candidate
    int port = 0;
    uint32_t ssrc = 0;        // of the audio we send
    int sctp_port = 5000;     // ours (RFC 8841 5)
};

std::string write_answer(const Offer& offer, const Answer& answer);

}  // namespace webrtc_example
