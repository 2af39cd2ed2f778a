// A flight is data: the list of messages one side sends before waiting for
// the peer. It is serialised into datagrams on demand, one per call, at
// whatever the MTU is at that moment, so the first transmission, every
// retransmission and an MTU change all take the same path.
//
// When asked to (track_records), the writer remembers which record carried
// which part of which message, so that an acknowledgement of records (DTLS
// 1.3 ACK, RFC 9147 7) retires exactly those parts: a later retransmission
// sends only what is still unacknowledged. DTLS 1.2 has no acknowledgements,
// keeps no such log and always resends whole flights.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "messages/messages.hpp"
#include "record/content_type.hpp"
#include "record/epoch_table.hpp"

namespace dtls::transport {

using messages::HandshakeType;

struct FlightMessage {
    record::ContentType content = record::ContentType::handshake;  // or change_cipher_spec
    uint64_t epoch = 0;
    HandshakeType type{};  // handshake messages only
    uint16_t seq = 0;
    Bytes body;
};

struct Flight {
    std::string name;  // by content, e.g. "ServerHello..ServerHelloDone"
    std::vector<FlightMessage> messages;
};

// One record the writer sent: which bytes of which message it carried.
struct SentFragment {
    record::RecordNumber record;
    uint32_t message = 0;  // index into the flight
    uint32_t offset = 0;
    uint32_t length = 0;
};

// Walks a flight, producing datagrams that each fit the MTU. Records are
// packed together while they fit; a handshake message larger than the space
// left is fragmented.
class FlightWriter {
public:
    // The sent-record log keeps at most this many records (the oldest go
    // first); an acknowledgement of a forgotten record retires nothing.
    static constexpr size_t kMaxSentRecords = 256;

    // Whether to log the records sent, for acknowledgements (off until set).
    void track_records(bool on) { track_records_ = on; }
    // The most plaintext a record may carry: handshake messages are
    // fragmented to fit it. The peer's record_size_limit (RFC 8449 4) binds
    // protected records only; a max_fragment_length (RFC 6066 4) binds every
    // record from the ServerHello on, plaintext ones too.
    void limit_records(size_t max_protected, size_t max_plaintext) {
        max_protected_plaintext_ = max_protected;
        max_epoch0_plaintext_ = max_plaintext;
    }

    // Starts sending a new flight from its first byte, forgetting the
    // previous flight's records and acknowledgements.
    void start(const Flight* flight);
    // Sends the current flight again from the start, skipping what was
    // acknowledged.
    void restart();
    void stop() { sending_ = false; }
    bool active() const { return sending_; }

    // Appends the next datagram to `out` (which the caller clears) and returns
    // true, or returns false when the flight has been sent completely (or a
    // record could not be sealed).
    bool next_datagram(size_t mtu, record::EpochTable& records, std::vector<uint8_t>& out);

    // Every record sent for the current flight, in order, across
    // retransmissions (bounded by kMaxSentRecords); empty unless tracking.
    std::span<const SentFragment> sent() const { return sent_; }
    // The peer acknowledged this record: the bytes it carried need not be
    // sent again. Unknown records are ignored.
    void acknowledge(record::RecordNumber record);
    // Whether every byte of every message has been acknowledged.
    bool fully_acknowledged() const;

private:
    // Acknowledged byte ranges [first, second) of one message, sorted and
    // merged; `whole` marks a message with no bytes (or a ChangeCipherSpec)
    // as acknowledged.
    struct Acknowledged {
        std::vector<std::pair<uint32_t, uint32_t>> ranges;
        bool whole = false;
    };

    bool message_done(size_t index) const;
    // The first unacknowledged byte of message `index` at or after `from`,
    // and the end of the unacknowledged run that starts there.
    std::pair<size_t, size_t> next_run(size_t index, size_t from) const;
    void log(record::RecordNumber record, size_t message, size_t offset, size_t length);

    const Flight* flight_ = nullptr;
    bool sending_ = false;
    bool track_records_ = false;
    size_t max_protected_plaintext_ = SIZE_MAX;
    size_t max_epoch0_plaintext_ = SIZE_MAX;
    size_t message_ = 0;  // index of the message being sent
    size_t offset_ = 0;   // bytes of its body already sent
    std::vector<SentFragment> sent_;
    std::vector<Acknowledged> acknowledged_;  // one per message, once anything is acknowledged
};

}  // namespace dtls::transport
