// Turns handshake fragments, in any order and with any overlap or
// duplication, into whole messages delivered strictly in message_seq order.
// Memory is bounded: messages beyond a small window of future sequence
// numbers, over the size limit, or past the byte budget are dropped (later
// messages are evicted first to make room for earlier ones).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "transport/fragment.hpp"

namespace dtls::transport {

struct ReassemblyLimits {
    uint32_t max_message_length = kMaxMessageLength;
    size_t max_buffered_bytes = 128 * 1024;  // all partial and waiting messages
    uint16_t max_future_messages = 8;        // window after next_seq
};

struct Message {
    HandshakeType type{};
    uint16_t seq = 0;
    Bytes body;
};

class Reassembler {
public:
    enum class Verdict {
        accepted,   // stored (or completed a message); poll next()
        old,        // seq below next_seq: the peer retransmitted a past message
        duplicate,  // only bytes we already had
        dropped,    // beyond the window or limits, or inconsistent with a
                    // complete message of the same seq (an incomplete one
                    // is replaced by the newcomer)
    };

    explicit Reassembler(ReassemblyLimits limits = {}) : limits_(limits) {}

    Verdict add(const FragmentHeader& header, std::span<const uint8_t> fragment);

    // The message with seq == next_seq if it is complete; advances next_seq.
    std::optional<Message> next();

    uint16_t next_seq() const { return next_seq_; }
    // Whether the fragment lies beyond a gap (RFC 9147 7.1 "out of order"):
    // a later message while the next one is incomplete, or a piece of the
    // next message whose preceding bytes have not all arrived.
    bool leaves_gap(const FragmentHeader& header) const;
    // Treats every message before `seq` as already received (a server
    // starts at the ClientHello its front door accepted).
    void skip_to(uint16_t seq) {
        clear();
        next_seq_ = seq;
    }
    size_t buffered_bytes() const;
    // Frees everything (after the handshake). next_seq() is kept, so a late
    // retransmission of a past message still reads as old.
    void clear();

private:
    // One message being collected. Its storage is allocated once, at the
    // declared length, which the limits have already checked.
    struct Partial {
        HandshakeType type{};
        uint16_t seq = 0;
        uint32_t length = 0;
        Bytes body;
        std::vector<bool> have;  // one flag per byte received (simple; bounded by max_message_length)
        uint32_t have_count = 0;

        bool complete() const { return have_count == length; }
    };

    Partial* find(uint16_t seq);
    const Partial* find(uint16_t seq) const;
    Partial& insert(const FragmentHeader& header);
    void erase(uint16_t seq);
    // Evicts stored messages after `seq` until `length` more bytes fit the
    // budget; false if they cannot.
    bool make_room(uint16_t seq, uint32_t length);
    // Copies the bytes not yet held; false if the fragment brought none.
    static bool merge(Partial& partial, uint32_t offset, std::span<const uint8_t> fragment);

    ReassemblyLimits limits_;
    uint16_t next_seq_ = 0;
    std::vector<Partial> partials_;  // sorted by seq, all within the window
};

}  // namespace dtls::transport
