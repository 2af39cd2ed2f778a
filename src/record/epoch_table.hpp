// Per-epoch record state for both directions of one connection: for each
// epoch its keys, and for writing the next sequence number, for reading the
// replay window. Epoch 0 is plaintext and always present. Other epochs are
// installed with their keys when the handshake asks, and become current
// ("active") when it says so: DTLS 1.2 installs epoch 1 and activates reading
// it on ChangeCipherSpec; DTLS 1.3 installs and activates each epoch as its
// keys are derived.
//
// Each protected epoch is protected the DTLS 1.2 way (13-byte header) or the
// DTLS 1.3 way (unified header, encrypted record number), as its keys say.
//
// Writing keeps older epochs, because a retransmitted flight can mix them
// (DTLS 1.2: ClientKeyExchange in epoch 0, Finished in epoch 1). Reading
// opens the current epoch, delivers epoch 0 so that a peer's retransmitted
// plaintext flight is still noticed, and reports records of the next epoch
// as "future" so the caller can hold them until that epoch is activated. A
// DTLS 1.3 record names only the low two bits of its epoch and of its
// sequence number the low 8 or 16: the table finds the epoch among those it
// holds and reconstructs the sequence number (RFC 9147 4.2.2).
//
// Besides epoch 0, at most kMaxProtectedEpochs epochs are held per
// direction; installing another drops the oldest protected one.
//
// Each protected epoch may carry usage limits (usage_limits.hpp): sealing
// stops at its record limit, and a read epoch whose key has seen its limit
// of records that fail to authenticate is forgotten, or, if it is the
// current read epoch, reported as exhausted so the connection closes.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "record/content_type.hpp"
#include "record/datagram_reader.hpp"
#include "record/protection.hpp"
#include "record/replay_window.hpp"
#include "record/usage_limits.hpp"

namespace dtls::record {

class EpochTable {
public:
    static constexpr size_t kMaxProtectedEpochs = 2;

    EpochTable();

    // --- Writing ------------------------------------------------------------

    // Keys for sending in `epoch` (> 0), which starts at sequence number 0.
    void install_write(uint64_t epoch, Protection protection, UsageLimits limits = {});
    // How DTLS 1.3 records are written (sequence number length, length
    // field); their CID is set_dtls13_connection_ids()'s.
    void set_dtls13_header(const Dtls13Protection::HeaderOptions& options) { dtls13_header_ = options; }
    // DTLS 1.3 connection IDs (RFC 9147 9): `peer` goes into the records we
    // send, `ours` must be in those we receive in epoch 2 and later (a
    // record with another CID, or none, is dropped). Empty: not used in
    // that direction. Kept here, so the header never points elsewhere.
    void set_dtls13_connection_ids(std::span<const uint8_t> peer, std::span<const uint8_t> ours);
    // A DTLS 1.3 record that carries a CID other than ours: it belongs to
    // another association, and RFC 9147 4 has the rest of its datagram
    // discarded (the framing of what follows is the other association's).
    bool carries_another_cid(const FramedRecord& record) const {
        return record.format == HeaderFormat::unified && !record.cid.empty() &&
               !std::equal(record.cid.begin(), record.cid.end(), dtls13_our_cid_.begin(), dtls13_our_cid_.end());
    }
    // Records sent outside flights (alerts, application data) use `epoch`
    // from now on. False if it has no keys.
    bool activate_write(uint64_t epoch);
    uint64_t write_epoch() const { return write_epoch_; }
    // Bytes a record in `epoch` adds to its plaintext, header included.
    size_t overhead(uint64_t epoch) const;
    // The most content one record of `epoch` carries: 2^14, or one less
    // where the content type byte counts against it (RFC 9146 5's
    // DTLSInnerPlaintext of at most 2^14 bytes).
    size_t max_content(uint64_t epoch) const;
    // Appends one record and returns its number; nothing (and `out` as it
    // was) if the epoch has no keys, its sequence numbers are exhausted or
    // the cipher fails. The connection must then stop sending in it.
    // `ends_datagram`: nothing follows the record in `out`, so a DTLS 1.3
    // record may leave out its length (omit_final_length).
    std::optional<RecordNumber> seal(uint64_t epoch, ContentType type, std::span<const uint8_t> plaintext,
                                     std::vector<uint8_t>& out, bool ends_datagram = false);
    // Whether a DTLS 1.3 record that ends its datagram is sent without its
    // length field (RFC 9147 4).
    void omit_final_length(bool omit) { omit_final_length_ = omit; }
    // The next epoch 0 record goes out with this sequence number instead (a
    // stateless HelloVerifyRequest echoes the ClientHello's, RFC 6347 4.2.1,
    // so the connection continues from there). Epoch 0 only: a protected
    // epoch's sequence numbers are nonces.
    void set_next_plaintext_sequence(uint64_t sequence);
    // The sequence number the next epoch 0 record goes out with.
    uint64_t next_plaintext_sequence() const { return plaintext_sequence_; }

    // --- Reading ------------------------------------------------------------

    // Whether DTLS 1.3 records may come (the connection offers or uses DTLS
    // 1.3). Until then a unified-header record is dropped rather than held
    // for an epoch that can never open.
    void expect_dtls13(bool expected) { dtls13_expected_ = expected; }

    // Keys for opening `epoch` (> 0); they take effect when it is activated.
    void install_read(uint64_t epoch, Protection protection, UsageLimits limits = {});
    // Opens `epoch` from now on. False if it has no keys.
    bool activate_read(uint64_t epoch);
    uint64_t read_epoch() const { return read_epoch_; }

    enum class Disposition {
        deliver,    // `out` holds the record
        future,     // the epoch after the current one: hold it until activated
        drop,       // see drop_reason()
        exhausted,  // dropped, and the current read key has now failed as often as its limit allows
    };
    struct Opened {
        ContentType type{};
        RecordNumber number;
        std::span<uint8_t> plaintext;  // inside the record's body
    };
    // Classifies a framed record and, for a protected epoch, decrypts it in
    // place. The replay window moves only for records that authenticate.
    Disposition open(const FramedRecord& record, Opened& out);
    // Why the last open() dropped its record (for traces).
    const char* drop_reason() const { return drop_reason_; }

    // --- Key usage ----------------------------------------------------------

    struct KeyUsage {
        uint64_t used = 0;   // records sealed (write) or failed to authenticate (read)
        uint64_t limit = UsageLimits::kUnlimited;
    };
    // The current write epoch's records and record limit; the current read
    // epoch's authentication failures and failure limit. Epoch 0: unlimited.
    KeyUsage write_usage() const;
    KeyUsage read_usage() const;

private:
    struct WriteEpoch {
        uint64_t epoch = 0;
        uint64_t next_sequence = 0;            // also the number of records sealed
        std::optional<Protection> protection;  // empty: a free slot
        uint64_t record_limit = UsageLimits::kUnlimited;
    };
    struct ReadEpoch {
        uint64_t epoch = 0;
        std::optional<Protection> protection;  // empty: a free slot
        ReplayWindow window;
        uint64_t failures = 0;  // records that did not authenticate
        uint64_t failure_limit = UsageLimits::kUnlimited;
    };

    // Protected epochs only; the current epoch of each direction is found
    // without a search.
    WriteEpoch* find_write(uint64_t epoch);
    const WriteEpoch* find_write(uint64_t epoch) const;
    ReadEpoch* find_read(uint64_t epoch);
    int slot_of_write(uint64_t epoch) const;
    int slot_of_read(uint64_t epoch) const;
    Disposition drop(const char* why);
    Disposition authentication_failed(ReadEpoch& r);
    Disposition open_dtls12(const FramedRecord& record, Opened& out);
    Disposition open_unified(const FramedRecord& record, Opened& out);
    Disposition open_cid(const FramedRecord& record, Opened& out);

    // Protected epochs in installation order, oldest first.
    std::array<WriteEpoch, kMaxProtectedEpochs> write_;
    std::array<ReadEpoch, kMaxProtectedEpochs> read_;
    uint64_t plaintext_sequence_ = 0;  // epoch 0's next sequence number
    uint64_t write_epoch_ = 0;
    uint64_t read_epoch_ = 0;
    int write_slot_ = -1;  // of write_epoch_ in write_, when it is protected
    int read_slot_ = -1;   // of read_epoch_ in read_, likewise
    Dtls13Protection::HeaderOptions dtls13_header_;
    std::vector<uint8_t> dtls13_peer_cid_;
    std::vector<uint8_t> dtls13_our_cid_;
    bool omit_final_length_ = false;
    bool dtls13_expected_ = false;
    const char* drop_reason_ = "";
};

}  // namespace dtls::record
