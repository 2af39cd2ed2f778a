// Epoch and sequence-number state for both directions of one connection.
//
// DTLS 1.2 without renegotiation has two epochs: 0 (plaintext) and 1
// (protected by the negotiated keys). Writing keeps both, because a
// retransmitted flight can mix them (ClientKeyExchange in epoch 0, Finished in
// epoch 1). Reading switches to epoch 1 on ChangeCipherSpec; epoch 0 records
// are still parsed afterwards only so a retransmitted peer flight is noticed.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "record/record_header.hpp"
#include "record/record_protection.hpp"
#include "record/replay_window.hpp"

namespace dtls::record {

class RecordLayer {
public:
    enum class Disposition {
        deliver,  // `plaintext` holds the record body
        future,   // epoch 1 before ChangeCipherSpec: the caller may buffer it
        drop,     // unknown epoch, replayed, or fails to authenticate
    };

    // Write side.
    void set_write_keys(RecordProtection protection);  // epoch 1
    uint16_t write_epoch() const { return write_epoch_; }
    void begin_write_epoch1() { write_epoch_ = 1; }
    // Bytes a record in `epoch` adds on top of its plaintext, header included.
    size_t record_overhead(uint16_t epoch) const;
    // Appends one record. False if the epoch has no keys or its sequence
    // numbers are exhausted (the connection must then stop sending).
    bool seal(uint16_t epoch, ContentType type, std::span<const uint8_t> plaintext, std::vector<uint8_t>& out);
    // Sends the next epoch 0 record with this sequence number instead (a
    // stateless HelloVerifyRequest echoes the ClientHello's, RFC 6347
    // 4.2.1). Never for epoch 1, whose sequence numbers are AEAD nonces.
    void set_next_plaintext_sequence(uint64_t sequence);

    // Read side.
    void set_read_keys(RecordProtection protection);  // epoch 1, used after activate
    bool has_read_keys() const { return read1_.has_value(); }
    void activate_read_epoch1() { read_epoch_ = 1; }
    uint16_t read_epoch() const { return read_epoch_; }

    // Classifies and (for epoch 1) decrypts in place. The replay window is
    // moved only by records that authenticate.
    Disposition open(const RecordHeader& header, std::span<uint8_t> fragment, std::span<uint8_t>& plaintext);
    // Why the last open() dropped its record (for traces).
    const char* drop_reason() const { return drop_reason_; }

private:
    uint16_t write_epoch_ = 0;
    uint64_t write_sequence_[2] = {0, 0};
    std::optional<RecordProtection> write1_;

    uint16_t read_epoch_ = 0;
    std::optional<RecordProtection> read1_;
    ReplayWindow window1_;
    const char* drop_reason_ = "";
};

}  // namespace dtls::record
