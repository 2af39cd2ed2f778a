#include "frontdoor/hello_assembly.hpp"

#include <algorithm>

namespace dtls::frontdoor {

std::optional<HelloAssembly::Whole> HelloAssembly::add(std::span<const uint8_t> peer_address,
                                                       const transport::FragmentHeader& header,
                                                       std::span<const uint8_t> fragment, uint64_t record_sequence,
                                                       std::span<const uint8_t> datagram, Instant now) {
    if (header.length == 0 || header.length > kMaxHelloLength ||
        header.fragment_offset + header.fragment_length > header.length || fragment.size() != header.fragment_length) {
        return std::nullopt;
    }
    const std::string address(peer_address.begin(), peer_address.end());
    std::lock_guard lock(mutex_);
    std::erase_if(partials_, [&](const Partial& p) { return now - p.started >= kLifetime; });
    auto it = std::find_if(partials_.begin(), partials_.end(), [&](const Partial& p) {
        return p.address == address && p.message_seq == header.message_seq;
    });
    if (it != partials_.end() && it->whole.body.size() != header.length) {
        // Not the hello we were collecting (a restarted client, or noise):
        // start again with this one.
        partials_.erase(it);
        it = partials_.end();
    }
    if (it == partials_.end()) {
        if (partials_.size() == kMaxHellos) partials_.erase(partials_.begin());
        Partial p;
        p.address = address;
        p.message_seq = header.message_seq;
        p.started = now;
        p.whole.body.assign(header.length, 0);
        p.whole.message_seq = header.message_seq;
        p.have.assign(header.length, false);
        partials_.push_back(std::move(p));
        it = partials_.end() - 1;
    }
    Partial& p = *it;
    uint32_t added = 0;
    for (uint32_t i = 0; i < header.fragment_length; ++i) {
        const uint32_t at = header.fragment_offset + i;
        if (p.have[at]) continue;
        p.have[at] = true;
        p.whole.body[at] = fragment[i];
        ++added;
    }
    if (added == 0) return std::nullopt;  // a duplicate: nothing new to keep
    if (p.whole.datagrams.size() == kMaxDatagrams || p.whole.bytes_received + datagram.size() > kMaxCarriedBytes) {
        partials_.erase(it);  // more pieces, or bytes, than any genuine hello needs
        return std::nullopt;
    }
    p.have_count += added;
    p.whole.datagrams.emplace_back(datagram.begin(), datagram.end());
    p.whole.bytes_received += datagram.size();
    p.whole.record_sequence = std::max(p.whole.record_sequence, record_sequence);
    if (p.have_count != header.length) return std::nullopt;
    Whole whole = std::move(p.whole);
    partials_.erase(it);
    return whole;
}

size_t HelloAssembly::pending() const {
    std::lock_guard lock(mutex_);
    return partials_.size();
}

}  // namespace dtls::frontdoor
