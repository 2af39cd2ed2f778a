// Handshake reassembly with bounded memory. Two historical DTLS bugs shape
// the checks below: trusting a fragment's header over its actual bytes
// (OpenSSL CVE-2014-0195) and buffering whatever a peer announces without a
// limit (CVE-2016-2179). Every message is checked against the window, the
// size limit and the byte budget before any storage is allocated for it.
#include "transport/reassembler.hpp"

#include <algorithm>

namespace dtls::transport {

Reassembler::Verdict Reassembler::add(const FragmentHeader& header, std::span<const uint8_t> fragment) {
    // The header must describe exactly the bytes we were handed and fit in
    // the message it claims to belong to.
    const uint64_t fragment_end = uint64_t{header.fragment_offset} + header.fragment_length;
    if (fragment.size() != header.fragment_length || fragment_end > header.length) return Verdict::dropped;

    if (header.message_seq < next_seq_) return Verdict::old;
    if (header.message_seq - next_seq_ >= limits_.max_future_messages) return Verdict::dropped;
    if (header.length > limits_.max_message_length) return Verdict::dropped;

    Partial* partial = find(header.message_seq);
    if (partial != nullptr && (partial->type != header.type || partial->length != header.length)) {
        // Two fragments disagree about one message; at most one is genuine.
        // A complete message stands. An incomplete one gives way, so a single
        // spoofed plaintext fragment cannot lock out the real message: if the
        // newcomer is the fake, the peer's retransmission replaces it in turn.
        if (partial->complete()) return Verdict::dropped;
        erase(header.message_seq);
        partial = nullptr;
    }
    bool created = false;
    if (partial == nullptr) {
        // An empty fragment of a non-empty message tells us nothing worth
        // reserving budget for.
        if (header.fragment_length == 0 && header.length != 0) return Verdict::duplicate;
        if (!make_room(header.message_seq, header.length)) return Verdict::dropped;
        partial = &insert(header);
        created = true;
    }

    const bool added = merge(*partial, header.fragment_offset, fragment);
    // A new zero-length message (ServerHelloDone) adds no bytes but is news.
    return added || created ? Verdict::accepted : Verdict::duplicate;
}

std::optional<Message> Reassembler::next() {
    if (partials_.empty()) return std::nullopt;
    Partial& first = partials_.front();
    if (first.seq != next_seq_ || !first.complete()) return std::nullopt;
    Message message{first.type, first.seq, std::move(first.body)};
    partials_.erase(partials_.begin());
    ++next_seq_;
    return message;
}

size_t Reassembler::buffered_bytes() const {
    size_t total = 0;
    for (const Partial& partial : partials_) total += partial.length;
    return total;
}

void Reassembler::clear() { partials_ = std::vector<Partial>(); }  // frees the storage, as clear() would not

void Reassembler::erase(uint16_t seq) {
    std::erase_if(partials_, [seq](const Partial& p) { return p.seq == seq; });
}

bool Reassembler::make_room(uint16_t seq, uint32_t length) {
    // Messages are needed in order, so later ones make way for earlier ones:
    // fake far-future messages cannot starve the one we wait for.
    while (buffered_bytes() + length > limits_.max_buffered_bytes) {
        if (partials_.empty() || partials_.back().seq <= seq) return false;
        partials_.pop_back();
    }
    return true;
}

Reassembler::Partial* Reassembler::find(uint16_t seq) {
    return const_cast<Partial*>(static_cast<const Reassembler*>(this)->find(seq));
}

const Reassembler::Partial* Reassembler::find(uint16_t seq) const {
    for (const Partial& partial : partials_) {
        if (partial.seq == seq) return &partial;
    }
    return nullptr;
}

bool Reassembler::leaves_gap(const FragmentHeader& header) const {
    if (header.message_seq != next_seq_) return header.message_seq > next_seq_;
    if (header.fragment_offset == 0) return false;
    const Partial* partial = find(next_seq_);
    if (partial == nullptr || partial->length < header.fragment_offset) return true;
    for (uint32_t i = 0; i < header.fragment_offset; ++i) {
        if (!partial->have[i]) return true;
    }
    return false;
}

Reassembler::Partial& Reassembler::insert(const FragmentHeader& header) {
    Partial partial;
    partial.type = header.type;
    partial.seq = header.message_seq;
    partial.length = header.length;
    partial.body.resize(header.length);
    partial.have.resize(header.length);
    auto at = std::lower_bound(partials_.begin(), partials_.end(), header.message_seq,
                               [](const Partial& p, uint16_t seq) { return p.seq < seq; });
    return *partials_.insert(at, std::move(partial));
}

bool Reassembler::merge(Partial& partial, uint32_t offset, std::span<const uint8_t> fragment) {
    // Overlapping bytes keep the value that arrived first.
    bool added = false;
    for (size_t i = 0; i < fragment.size(); ++i) {
        const size_t at = offset + i;
        if (partial.have[at]) continue;
        partial.have[at] = true;
        partial.body[at] = fragment[i];
        ++partial.have_count;
        added = true;
    }
    return added;
}

}  // namespace dtls::transport
