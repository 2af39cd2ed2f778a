#include "transport/flight.hpp"

#include <algorithm>

#include "transport/fragment.hpp"
#include "wire/writer.hpp"

namespace dtls::transport {

void FlightWriter::start(const Flight* flight) {
    flight_ = flight;
    sent_.clear();
    acknowledged_.clear();
    restart();
}

void FlightWriter::restart() {
    sending_ = flight_ != nullptr;
    message_ = 0;
    offset_ = 0;
}

bool FlightWriter::message_done(size_t index) const {
    if (index >= acknowledged_.size()) return false;
    const Acknowledged& a = acknowledged_[index];
    if (a.whole) return true;
    const size_t length = flight_->messages[index].body.size();
    return length != 0 && a.ranges.size() == 1 && a.ranges[0].first == 0 && a.ranges[0].second >= length;
}

std::pair<size_t, size_t> FlightWriter::next_run(size_t index, size_t from) const {
    const size_t length = flight_->messages[index].body.size();
    if (index >= acknowledged_.size()) return {from, length};
    size_t start = from;
    for (const auto& [first, second] : acknowledged_[index].ranges) {
        if (second <= start) continue;
        if (first > start) return {start, first};
        start = second;
    }
    return {std::min(start, length), length};
}

void FlightWriter::log(record::RecordNumber record, size_t message, size_t offset, size_t length) {
    if (!track_records_) return;
    if (sent_.size() == kMaxSentRecords) sent_.erase(sent_.begin());
    sent_.push_back({record, static_cast<uint32_t>(message), static_cast<uint32_t>(offset),
                     static_cast<uint32_t>(length)});
}

bool FlightWriter::next_datagram(size_t mtu, record::EpochTable& records, std::vector<uint8_t>& out) {
    if (!sending_) return false;
    std::vector<uint8_t> payload;
    while (sending_ && message_ < flight_->messages.size()) {
        const FlightMessage& m = flight_->messages[message_];
        if (message_done(message_)) {
            ++message_;
            offset_ = 0;
            continue;
        }
        const size_t overhead = records.overhead(m.epoch);
        size_t room = mtu > out.size() + overhead ? mtu - out.size() - overhead : 0;
        room = std::min(room, m.epoch != 0 ? max_protected_plaintext_ : max_epoch0_plaintext_);

        payload.clear();
        size_t taken_from = 0, taken = 0;
        if (m.content != record::ContentType::handshake) {
            if (room < m.body.size()) break;
            payload = m.body;
        } else {
            auto [start, end] = next_run(message_, offset_);
            if (start == m.body.size() && !(m.body.empty() && start == 0 && offset_ == 0)) {
                ++message_;
                offset_ = 0;
                continue;
            }
            // Each record carries one fragment; start a new datagram rather
            // than send a fragment too small to be worth its headers, unless
            // this datagram is still empty (tiny MTUs must still progress).
            const size_t left = end - start;
            if (room <= kHandshakeHeaderLength) break;
            taken = std::min(left, room - kHandshakeHeaderLength);
            if (taken < left && taken < 32 && !out.empty()) break;
            taken_from = start;
            wire::Writer w(payload);
            if (!write_fragment_header({m.type, static_cast<uint32_t>(m.body.size()), m.seq,
                                        static_cast<uint32_t>(start), static_cast<uint32_t>(taken)},
                                       w)) {
                sending_ = false;
                return false;
            }
            w.bytes(std::span<const uint8_t>(m.body).subspan(start, taken));
            offset_ = start + taken;
        }
        std::optional<record::RecordNumber> number = records.seal(m.epoch, m.content, payload, out);
        if (!number) {
            sending_ = false;
            return false;
        }
        log(*number, message_, taken_from, taken);
        if (m.content != record::ContentType::handshake || offset_ >= m.body.size()) {
            ++message_;
            offset_ = 0;
        }
    }
    if (message_ >= flight_->messages.size()) sending_ = false;
    return !out.empty();
}

void FlightWriter::acknowledge(record::RecordNumber record) {
    if (!flight_) return;
    for (const SentFragment& f : sent_) {
        if (!(f.record == record)) continue;
        if (acknowledged_.size() < flight_->messages.size()) acknowledged_.resize(flight_->messages.size());
        Acknowledged& a = acknowledged_[f.message];
        if (f.length == 0) {
            a.whole = true;
            continue;
        }
        a.ranges.emplace_back(f.offset, f.offset + f.length);
        std::sort(a.ranges.begin(), a.ranges.end());
        std::vector<std::pair<uint32_t, uint32_t>> merged;
        for (const auto& range : a.ranges) {
            if (!merged.empty() && range.first <= merged.back().second) {
                merged.back().second = std::max(merged.back().second, range.second);
            } else {
                merged.push_back(range);
            }
        }
        a.ranges = std::move(merged);
    }
}

bool FlightWriter::fully_acknowledged() const {
    if (!flight_) return false;
    for (size_t i = 0; i < flight_->messages.size(); ++i) {
        if (!message_done(i)) return false;
    }
    return true;
}

}  // namespace dtls::transport
