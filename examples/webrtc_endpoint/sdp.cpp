#include "sdp.hpp"

#include <charconv>
#include <sstream>

namespace webrtc_example {

namespace {

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// The decimal number that starts `text`, if it is one within [low, high]: the
// offer is the browser's text, so a bad number is a refusal, not a throw.
int number_at(const std::string& text, int low, int high) {
    int value = -1;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    (void)end;
    return error == std::errc() && value >= low && value <= high ? value : -1;
}

}  // namespace

std::optional<Offer> parse_offer(const std::string& sdp, std::string& error) {
    Offer offer;
    std::istringstream lines(sdp);
    std::string line;
    bool in_audio = false, in_data = false;
    while (std::getline(lines, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (starts_with(line, "m=")) {
            in_audio = starts_with(line, "m=audio ");
            in_data = starts_with(line, "m=application ") && line.find("webrtc-datachannel") != std::string::npos;
            if (in_data && offer.mid.empty()) offer.data_first = true;
        }
        if (in_data && starts_with(line, "a=mid:") && offer.data_mid.empty()) offer.data_mid = line.substr(6);
        if (in_data && starts_with(line, "a=sctp-port:")) offer.sctp_port = number_at(line.substr(12), 1, 65535);
        // The ICE and DTLS attributes may be at session or media level;
        // with BUNDLE every section repeats the same values.
        if (starts_with(line, "a=ice-ufrag:") && offer.ice_ufrag.empty()) offer.ice_ufrag = line.substr(12);
        if (starts_with(line, "a=ice-pwd:") && offer.ice_password.empty()) offer.ice_password = line.substr(10);
        if (starts_with(line, "a=fingerprint:")) {
            std::string f = line.substr(14);
            bool seen = false;
            for (const std::string& g : offer.fingerprints) seen = seen || g == f;
            if (!seen) offer.fingerprints.push_back(f);
        }
        if (in_audio && starts_with(line, "a=mid:") && offer.mid.empty()) offer.mid = line.substr(6);
        if (in_audio && starts_with(line, "a=rtpmap:") && line.find(" opus/48000/2") != std::string::npos &&
            offer.opus_payload_type < 0) {
            offer.opus_payload_type = number_at(line.substr(9), 0, 127);  // RTP's 7-bit payload type
        }
    }
    if (offer.ice_ufrag.empty() || offer.ice_password.empty()) error = "the offer has no ICE credentials";
    else if (offer.fingerprints.empty()) error = "the offer has no a=fingerprint";
    else if (offer.mid.empty()) error = "the offer has no audio section with a mid";
    else if (offer.opus_payload_type < 0) error = "the offer's audio section has no Opus";
    else if (offer.data_mid.empty() || offer.sctp_port <= 0) error = "the offer has no data channel section";
    else return offer;
    return std::nullopt;
}

namespace {

// What every bundled section repeats: the address, ICE and DTLS attributes.
void transport_lines(std::ostringstream& s, const Answer& a, const std::string& mid) {
    s << "c=IN IP4 " << a.address << "\r\n"
      << "a=candidate:1 1 udp 2130706431 " << a.address << " " << a.port << " typ host\r\n"
      << "a=end-of-candidates\r\n"
      << "a=ice-ufrag:" << a.ice_ufrag << "\r\n"
      << "a=ice-pwd:" << a.ice_password << "\r\n"
      << "a=fingerprint:" << a.fingerprint << "\r\n"
      // RFC 8842: the answerer to actpass picks; active starts the handshake.
      << "a=setup:" << (a.dtls_client ? "active" : "passive") << "\r\n"
      << "a=mid:" << mid << "\r\n";
}

void audio_section(std::ostringstream& s, const Offer& offer, const Answer& a) {
    const std::string pt = std::to_string(offer.opus_payload_type);
    s << "m=audio " << a.port << " UDP/TLS/RTP/SAVPF " << pt << "\r\n";
    transport_lines(s, a, offer.mid);
    s << "a=sendrecv\r\n"
      << "a=rtcp-mux\r\n"
      << "a=rtpmap:" << pt << " opus/48000/2\r\n"
      << "a=ssrc:" << a.ssrc << " cname:dtls-example\r\n"
      << "a=ssrc:" << a.ssrc << " msid:dtls audio\r\n";
}

void data_section(std::ostringstream& s, const Offer& offer, const Answer& a) {
    s << "m=application " << a.port << " UDP/DTLS/SCTP webrtc-datachannel\r\n";
    transport_lines(s, a, offer.data_mid);
    s << "a=sctp-port:" << a.sctp_port << "\r\n"
      << "a=max-message-size:65536\r\n";
}

}  // namespace

std::string write_answer(const Offer& offer, const Answer& a) {
    std::ostringstream s;
    // The answer's sections follow the offer's order (RFC 8829 5.3.1).
    const std::string& first = offer.data_first ? offer.data_mid : offer.mid;
    const std::string& second = offer.data_first ? offer.mid : offer.data_mid;
    s << "v=0\r\n"
      << "o=- 1 1 IN IP4 " << a.address << "\r\n"
      << "s=-\r\n"
      << "t=0 0\r\n"
      << "a=ice-lite\r\n"
      << "a=group:BUNDLE " << first << " " << second << "\r\n"
      << "a=msid-semantic: WMS dtls\r\n";
    if (offer.data_first) {
        data_section(s, offer, a);
        audio_section(s, offer, a);
    } else {
        audio_section(s, offer, a);
        data_section(s, offer, a);
    }
    return s.str();
}

}  // namespace webrtc_example
