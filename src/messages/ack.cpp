// The ACK body codec (RFC 9147 7); see ack.hpp.
#include "messages/ack.hpp"

#include "messages/codec.hpp"

namespace dtls::messages {

namespace {

constexpr size_t kRecordNumberLength = 16;  // uint64 epoch, uint64 sequence_number

}  // namespace

Result<Ack> decode_ack(std::span<const uint8_t> body) {
    constexpr std::string_view kName = "ACK";
    wire::Reader r(body);
    wire::Reader list{std::span<const uint8_t>{}};
    if (!r.vec16(list)) return malformed(kName, "truncated record_numbers");
    if (!r.empty()) return malformed(kName, "trailing bytes");
    if (list.remaining() % kRecordNumberLength != 0) {
        return malformed(kName, "record_numbers is not a whole number of RecordNumbers");
    }
    Ack m;
    m.records.reserve(list.remaining() / kRecordNumberLength);
    while (!list.empty()) {
        record::RecordNumber number;
        if (!list.u64(number.epoch) || !list.u64(number.sequence)) return malformed(kName, "truncated RecordNumber");
        m.records.push_back(number);
    }
    return m;
}

bool encode(const Ack& m, wire::Writer& w) {
    w.vec16([&] {
        for (const record::RecordNumber& number : m.records) {
            w.u64(number.epoch);
            w.u64(number.sequence);
        }
    });
    return w.ok();
}

}  // namespace dtls::messages
