#include "handshake/flight.hpp"

#include <algorithm>

#include "handshake/fragment.hpp"
#include "wire/writer.hpp"

namespace dtls::handshake {

void FlightWriter::start(const Flight* flight) {
    flight_ = flight;
    message_ = 0;
    offset_ = 0;
}

bool FlightWriter::next_datagram(size_t mtu, record::RecordLayer& records, std::vector<uint8_t>& out) {
    if (!flight_ || message_ >= flight_->messages.size()) {
        flight_ = nullptr;
        return false;
    }
    std::vector<uint8_t> payload;
    while (message_ < flight_->messages.size()) {
        const FlightMessage& m = flight_->messages[message_];
        const size_t overhead = records.record_overhead(m.epoch);
        const size_t room = mtu > out.size() + overhead ? mtu - out.size() - overhead : 0;

        payload.clear();
        if (m.content == record::ContentType::change_cipher_spec) {
            if (room < m.body.size()) break;
            payload = m.body;
        } else {
            // Each record carries one fragment; start a new datagram rather
            // than send a fragment too small to be worth its headers, unless
            // this datagram is still empty (tiny MTUs must still progress).
            const size_t left = m.body.size() - offset_;
            if (room <= kHandshakeHeaderLength) break;
            size_t take = std::min(left, room - kHandshakeHeaderLength);
            if (take < left && take < 32 && !out.empty()) break;
            wire::Writer w(payload);
            write_fragment_header({m.type, static_cast<uint32_t>(m.body.size()), m.seq,
                                   static_cast<uint32_t>(offset_), static_cast<uint32_t>(take)},
                                  w);
            w.bytes(std::span<const uint8_t>(m.body).subspan(offset_, take));
            offset_ += take;
        }
        if (!records.seal(m.epoch, m.content, payload, out)) return false;
        if (m.content == record::ContentType::change_cipher_spec || offset_ == m.body.size()) {
            ++message_;
            offset_ = 0;
        }
    }
    return !out.empty();
}

}  // namespace dtls::handshake
