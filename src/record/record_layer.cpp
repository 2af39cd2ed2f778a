#include "record/record_layer.hpp"

#include "wire/writer.hpp"

namespace dtls::record {

void RecordLayer::set_write_keys(RecordProtection protection) { write1_.emplace(std::move(protection)); }

void RecordLayer::set_read_keys(RecordProtection protection) { read1_.emplace(std::move(protection)); }

size_t RecordLayer::record_overhead(uint16_t epoch) const {
    if (epoch == 0 || !write1_) return kHeaderLength;
    return kHeaderLength + write1_->overhead();
}

void RecordLayer::set_next_plaintext_sequence(uint64_t sequence) { write_sequence_[0] = sequence; }

bool RecordLayer::seal(uint16_t epoch, ContentType type, std::span<const uint8_t> plaintext,
                       std::vector<uint8_t>& out) {
    if (epoch > 1 || (epoch == 1 && !write1_) || write_sequence_[epoch] > kMaxSequence) return false;
    const uint64_t sequence = write_sequence_[epoch]++;
    if (epoch == 0) {
        wire::Writer w(out);
        write_record_header({type, kVersionDtls12, 0, sequence, static_cast<uint16_t>(plaintext.size())}, w);
        w.bytes(plaintext);
        return true;
    }
    write1_->seal(type, kVersionDtls12, epoch, sequence, plaintext, out);
    return true;
}

RecordLayer::Disposition RecordLayer::open(const RecordHeader& header, std::span<uint8_t> fragment,
                                           std::span<uint8_t>& plaintext) {
    auto drop = [this](const char* why) {
        drop_reason_ = why;
        return Disposition::drop;
    };
    if (header.version != kVersionDtls12 && header.version != kVersionDtls10) return drop("unknown record version");
    if (header.epoch == 0) {
        // Plaintext records cannot be authenticated, so they never move a
        // replay window; the handshake layer discards duplicates by
        // message_seq.
        if (fragment.size() > kMaxPlaintextLength) return drop("plaintext record too long");
        plaintext = fragment;
        return Disposition::deliver;
    }
    if (header.epoch != 1) return drop("unknown epoch");
    if (read_epoch_ == 0) return Disposition::future;
    if (!window1_.is_fresh(header.sequence)) return drop("replayed or too old");
    auto opened = read1_->open(header, fragment);
    if (!opened) return drop("does not authenticate");
    if (opened->size() > kMaxPlaintextLength) return drop("plaintext too long");
    window1_.mark(header.sequence);
    plaintext = *opened;
    return Disposition::deliver;
}

}  // namespace dtls::record
