#include "record/epoch_table.hpp"

#include <algorithm>

#include "record/dtls12_header.hpp"

namespace dtls::record {

namespace {

// Places an epoch's state in the first free slot (or the one that already
// holds that epoch), or, when all are taken, drops the oldest.
template <class Slots, class Entry>
void install(Slots& slots, Entry entry) {
    for (auto& slot : slots) {
        if (!slot.protection || slot.epoch == entry.epoch) {
            slot = std::move(entry);
            return;
        }
    }
    std::move(slots.begin() + 1, slots.end(), slots.begin());
    slots.back() = std::move(entry);
}

}  // namespace

EpochTable::EpochTable() = default;

int EpochTable::slot_of_write(uint64_t epoch) const {
    for (size_t i = 0; i < write_.size(); ++i) {
        if (write_[i].protection && write_[i].epoch == epoch) return static_cast<int>(i);
    }
    return -1;
}

int EpochTable::slot_of_read(uint64_t epoch) const {
    for (size_t i = 0; i < read_.size(); ++i) {
        if (read_[i].protection && read_[i].epoch == epoch) return static_cast<int>(i);
    }
    return -1;
}

EpochTable::WriteEpoch* EpochTable::find_write(uint64_t epoch) {
    if (epoch == write_epoch_ && write_slot_ >= 0) return &write_[static_cast<size_t>(write_slot_)];
    const int slot = slot_of_write(epoch);
    return slot < 0 ? nullptr : &write_[static_cast<size_t>(slot)];
}

const EpochTable::WriteEpoch* EpochTable::find_write(uint64_t epoch) const {
    return const_cast<EpochTable*>(this)->find_write(epoch);
}

EpochTable::ReadEpoch* EpochTable::find_read(uint64_t epoch) {
    if (epoch == read_epoch_ && read_slot_ >= 0) return &read_[static_cast<size_t>(read_slot_)];
    const int slot = slot_of_read(epoch);
    return slot < 0 ? nullptr : &read_[static_cast<size_t>(slot)];
}

void EpochTable::install_write(uint64_t epoch, RecordProtection protection) {
    if (epoch == 0) return;
    install(write_, WriteEpoch{epoch, 0, std::move(protection)});
    write_slot_ = write_epoch_ == 0 ? -1 : slot_of_write(write_epoch_);  // installing may move the slots
}

bool EpochTable::activate_write(uint64_t epoch) {
    const int slot = epoch == 0 ? -1 : slot_of_write(epoch);
    if (epoch != 0 && slot < 0) return false;
    write_epoch_ = epoch;
    write_slot_ = slot;
    return true;
}

size_t EpochTable::overhead(uint64_t epoch) const {
    const WriteEpoch* w = epoch == 0 ? nullptr : find_write(epoch);
    if (!w) return kDtls12HeaderLength;
    return kDtls12HeaderLength + w->protection->overhead();
}

std::optional<RecordNumber> EpochTable::seal(uint64_t epoch, ContentType type, std::span<const uint8_t> plaintext,
                                             std::vector<uint8_t>& out) {
    // DTLS 1.2 headers carry a 16-bit epoch.
    if (epoch > 0xFFFF) return std::nullopt;
    const auto epoch16 = static_cast<uint16_t>(epoch);
    if (epoch == 0) {
        if (plaintext_sequence_ > kMaxSequence || plaintext.size() > kMaxPlaintextLength) return std::nullopt;
        const uint64_t sequence = plaintext_sequence_++;
        wire::Writer writer(out);
        write_dtls12_header({type, kVersionDtls12, 0, sequence, static_cast<uint16_t>(plaintext.size())}, writer);
        writer.bytes(plaintext);
        return RecordNumber{0, sequence};
    }
    WriteEpoch* w = find_write(epoch);
    if (!w || w->next_sequence > kMaxSequence) return std::nullopt;
    const uint64_t sequence = w->next_sequence;
    if (!w->protection->seal(type, kVersionDtls12, epoch16, sequence, plaintext, out)) return std::nullopt;
    ++w->next_sequence;
    return RecordNumber{epoch, sequence};
}

void EpochTable::set_next_plaintext_sequence(uint64_t sequence) { plaintext_sequence_ = sequence; }

void EpochTable::install_read(uint64_t epoch, RecordProtection protection) {
    if (epoch == 0) return;
    install(read_, ReadEpoch{epoch, std::move(protection), {}});
    read_slot_ = read_epoch_ == 0 ? -1 : slot_of_read(read_epoch_);  // installing may move the slots
}

bool EpochTable::activate_read(uint64_t epoch) {
    const int slot = epoch == 0 ? -1 : slot_of_read(epoch);
    if (epoch != 0 && slot < 0) return false;
    read_epoch_ = epoch;
    read_slot_ = slot;
    return true;
}

EpochTable::Disposition EpochTable::drop(const char* why) {
    drop_reason_ = why;
    return Disposition::drop;
}

EpochTable::Disposition EpochTable::open(const FramedRecord& record, Opened& out) {
    switch (record.format) {
        case HeaderFormat::dtls12: break;
        case HeaderFormat::dtls12_cid: return drop("tls12_cid record: no connection ID was negotiated");
        case HeaderFormat::unified: return drop("DTLS 1.3 record: DTLS 1.3 is not negotiated");
    }
    if (record.type == ContentType::tls12_cid) return drop("tls12_cid record: no connection ID was negotiated");
    if (record.version != kVersionDtls12 && record.version != kVersionDtls10) return drop("unknown record version");
    const RecordNumber number{record.epoch, record.sequence};
    if (record.epoch == 0) {
        // Plaintext records cannot be authenticated, so they never move a
        // replay window; the handshake layer discards duplicates by
        // message_seq.
        if (record.body.size() > kMaxPlaintextLength) return drop("plaintext record too long");
        out = {record.type, number, record.body};
        return Disposition::deliver;
    }
    // The next epoch may arrive before the message that opens it (reordering);
    // any other is unknown. (DTLS 1.3, which skips epoch 1, will widen this.)
    if (record.epoch == read_epoch_ + 1) return Disposition::future;
    if (record.epoch != read_epoch_) return drop("unknown epoch");
    ReadEpoch* r = find_read(record.epoch);
    if (!r) return drop("unknown epoch");
    if (!r->window.is_fresh(record.sequence)) return drop("replayed or too old");
    auto opened = r->protection->open(record.type, record.version, static_cast<uint16_t>(record.epoch),
                                      record.sequence, record.body);
    if (!opened) return drop("does not authenticate");
    if (opened->size() > kMaxPlaintextLength) return drop("plaintext too long");
    r->window.mark(record.sequence);
    out = {record.type, number, *opened};
    return Disposition::deliver;
}

}  // namespace dtls::record
