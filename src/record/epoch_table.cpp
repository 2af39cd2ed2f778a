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

void EpochTable::install_write(uint64_t epoch, Protection protection, UsageLimits limits) {
    if (epoch == 0) return;
    install(write_, WriteEpoch{epoch, 0, std::move(protection), limits.records});
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
    if (const auto* dtls12 = std::get_if<RecordProtection>(&*w->protection)) {
        return kDtls12HeaderLength + dtls12->overhead();
    }
    if (const auto* cid = std::get_if<CidProtection>(&*w->protection)) return cid->overhead();
    Dtls13Protection::HeaderOptions header = dtls13_header_;
    header.cid = dtls13_peer_cid_;
    return std::get<Dtls13Protection>(*w->protection).overhead(header);
}

size_t EpochTable::max_content(uint64_t epoch) const {
    const WriteEpoch* w = epoch == 0 ? nullptr : find_write(epoch);
    if (w && std::holds_alternative<CidProtection>(*w->protection)) return kMaxPlaintextLength - 1;
    return kMaxPlaintextLength;
}

std::optional<RecordNumber> EpochTable::seal(uint64_t epoch, ContentType type, std::span<const uint8_t> plaintext,
                                             std::vector<uint8_t>& out, bool ends_datagram) {
    if (epoch == 0) {
        if (plaintext_sequence_ > kMaxSequence || plaintext.size() > kMaxPlaintextLength) return std::nullopt;
        const uint64_t sequence = plaintext_sequence_++;
        wire::Writer writer(out);
        write_dtls12_header({type, kVersionDtls12, 0, sequence, static_cast<uint16_t>(plaintext.size())}, writer);
        writer.bytes(plaintext);
        return RecordNumber{0, sequence};
    }
    WriteEpoch* w = find_write(epoch);
    if (!w || w->next_sequence > kMaxSequence || w->next_sequence >= w->record_limit) return std::nullopt;
    const uint64_t sequence = w->next_sequence;
    if (auto* dtls12 = std::get_if<RecordProtection>(&*w->protection)) {
        // DTLS 1.2 headers carry a 16-bit epoch.
        if (epoch > 0xFFFF ||
            !dtls12->seal(type, kVersionDtls12, static_cast<uint16_t>(epoch), sequence, plaintext, out)) {
            return std::nullopt;
        }
    } else if (auto* cid = std::get_if<CidProtection>(&*w->protection)) {
        if (epoch > 0xFFFF || !cid->seal(type, static_cast<uint16_t>(epoch), sequence, plaintext, out)) {
            return std::nullopt;
        }
    } else {
        Dtls13Protection::HeaderOptions header = dtls13_header_;
        header.cid = dtls13_peer_cid_;
        if (ends_datagram && omit_final_length_) header.with_length = false;
        if (!std::get<Dtls13Protection>(*w->protection).seal(epoch, sequence, type, plaintext, header, out)) {
            return std::nullopt;
        }
    }
    ++w->next_sequence;
    return RecordNumber{epoch, sequence};
}

void EpochTable::set_dtls13_connection_ids(std::span<const uint8_t> peer, std::span<const uint8_t> ours) {
    dtls13_peer_cid_.assign(peer.begin(), peer.end());
    dtls13_our_cid_.assign(ours.begin(), ours.end());
}

void EpochTable::set_next_plaintext_sequence(uint64_t sequence) { plaintext_sequence_ = sequence; }

void EpochTable::install_read(uint64_t epoch, Protection protection, UsageLimits limits) {
    if (epoch == 0) return;
    install(read_, ReadEpoch{epoch, std::move(protection), {}, 0, limits.failures});
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

EpochTable::KeyUsage EpochTable::write_usage() const {
    const WriteEpoch* w = write_epoch_ == 0 ? nullptr : find_write(write_epoch_);
    return w ? KeyUsage{w->next_sequence, w->record_limit} : KeyUsage{};
}

EpochTable::KeyUsage EpochTable::read_usage() const {
    if (read_epoch_ == 0 || read_slot_ < 0) return {};
    const ReadEpoch& r = read_[static_cast<size_t>(read_slot_)];
    return {r.failures, r.failure_limit};
}

// RFC 9147 4.5.3: every record that fails to authenticate counts against
// its key. At the limit the current key ends the connection; an older one
// (kept for late records after a key update) is simply forgotten.
EpochTable::Disposition EpochTable::authentication_failed(ReadEpoch& r) {
    drop_reason_ = "does not authenticate";
    if (++r.failures < r.failure_limit) return Disposition::drop;
    if (r.epoch == read_epoch_) return Disposition::exhausted;
    drop_reason_ = "does not authenticate (its epoch's keys are now forgotten: too many failures)";
    r.protection.reset();  // frees its slot; the other slots do not move
    return Disposition::drop;
}

EpochTable::Disposition EpochTable::open(const FramedRecord& record, Opened& out) {
    switch (record.format) {
        case HeaderFormat::dtls12: return open_dtls12(record, out);
        case HeaderFormat::unified: return open_unified(record, out);
        case HeaderFormat::dtls12_cid: return open_cid(record, out);
    }
    return drop("unknown record format");
}

// RFC 9146 4: a tls12_cid record is always protected, and carries the CID
// we issued; its epoch must expect one.
EpochTable::Disposition EpochTable::open_cid(const FramedRecord& record, Opened& out) {
    if (record.version != kVersionDtls12) return drop("unknown record version");
    if (record.epoch == 0) return drop("tls12_cid record in epoch 0 (plaintext never carries a CID)");
    if (record.epoch == read_epoch_ + 1) return Disposition::future;
    if (record.epoch != read_epoch_) return drop("unknown epoch");
    ReadEpoch* r = find_read(record.epoch);
    if (!r) return drop("unknown epoch");
    auto* protection = std::get_if<CidProtection>(&*r->protection);
    if (!protection) return drop("tls12_cid record: no connection ID was negotiated for this direction");
    if (!std::equal(record.cid.begin(), record.cid.end(), protection->cid().begin(), protection->cid().end())) {
        return drop("tls12_cid record with a connection ID that is not ours");
    }
    if (!r->window.is_fresh(record.sequence)) return drop("replayed or too old");
    auto opened = protection->open(record.version, static_cast<uint16_t>(record.epoch), record.sequence, record.cid,
                                   record.body);
    if (!opened) return authentication_failed(*r);
    if (opened->type == ContentType::tls12_cid) return drop("tls12_cid as the inner content type");
    r->window.mark(record.sequence);
    out = {opened->type, RecordNumber{record.epoch, record.sequence}, opened->content};
    return Disposition::deliver;
}

EpochTable::Disposition EpochTable::open_dtls12(const FramedRecord& record, Opened& out) {
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
    // any other is unknown.
    if (record.epoch == read_epoch_ + 1) return Disposition::future;
    if (record.epoch != read_epoch_) return drop("unknown epoch");
    ReadEpoch* r = find_read(record.epoch);
    if (!r) return drop("unknown epoch");
    // RFC 9146 3: where we asked for a CID, a record without one is invalid.
    if (std::holds_alternative<CidProtection>(*r->protection)) return drop("a record without our connection ID");
    auto* protection = std::get_if<RecordProtection>(&*r->protection);
    if (!protection) return drop("a DTLS 1.2 record in a DTLS 1.3 epoch");
    if (!r->window.is_fresh(record.sequence)) return drop("replayed or too old");
    auto opened = protection->open(record.type, record.version, static_cast<uint16_t>(record.epoch), record.sequence,
                                   record.body);
    if (!opened) return authentication_failed(*r);
    if (opened->size() > kMaxPlaintextLength) return drop("plaintext too long");
    r->window.mark(record.sequence);
    out = {record.type, number, *opened};
    return Disposition::deliver;
}

EpochTable::Disposition EpochTable::open_unified(const FramedRecord& record, Opened& out) {
    if (!dtls13_expected_) return drop("DTLS 1.3 record: DTLS 1.3 is not negotiated");
    // The epoch is known by its low two bits: the current read epoch if they
    // match, else the most recent other epoch held that matches (RFC 9147
    // 4.2.2). An epoch that is held but not yet active, or none that
    // matches, makes the record "future": its keys may come with a message
    // still to be read.
    ReadEpoch* r = nullptr;
    if (read_epoch_ != 0 && (read_epoch_ & 3) == record.epoch) r = find_read(read_epoch_);
    if (!r) {
        for (ReadEpoch& candidate : read_) {
            if (candidate.protection && (candidate.epoch & 3) == record.epoch && (!r || candidate.epoch > r->epoch)) {
                r = &candidate;
            }
        }
    }
    if (!r || r->epoch > read_epoch_) return Disposition::future;
    auto* protection = std::get_if<Dtls13Protection>(&*r->protection);
    if (!protection) return drop("DTLS 1.3 record: DTLS 1.3 is not negotiated");
    // RFC 9147 4 and 9: once CIDs are agreed (the ServerHello; epoch 1's
    // early data comes before it), every record carries ours. The framing
    // read exactly our length, so comparing the bytes is enough.
    if (!record.cid.empty() || (r->epoch >= 2 && !dtls13_our_cid_.empty())) {
        if (!std::equal(record.cid.begin(), record.cid.end(), dtls13_our_cid_.begin(), dtls13_our_cid_.end())) {
            return drop(record.cid.empty() ? "a record without our connection ID"
                                           : "a record with a connection ID that is not ours");
        }
    }

    UnifiedHeader parsed;
    parsed.cid = record.cid;
    parsed.long_sequence = (record.header[0] & 0x08) != 0;
    const std::optional<uint16_t> low = protection->unmask_sequence(record.header, parsed, record.body);
    if (!low) return drop("record too short for its record number mask");
    const uint64_t sequence = reconstruct_sequence(r->window.highest(), *low, parsed.long_sequence ? 16 : 8);
    if (sequence > kMaxSequence) return drop("sequence number out of range");
    if (!r->window.is_fresh(sequence)) return drop("replayed or too old");
    auto opened = protection->open(record.header, sequence, record.body);
    if (!opened) return authentication_failed(*r);
    if (opened->content.size() > kMaxPlaintextLength) return drop("plaintext too long");
    r->window.mark(sequence);
    out = {opened->type, RecordNumber{r->epoch, sequence}, opened->content};
    return Disposition::deliver;
}

}  // namespace dtls::record
