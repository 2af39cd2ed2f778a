#include "messages/connection_id_messages.hpp"

#include "messages/codec.hpp"

namespace dtls::messages {

Result<NewConnectionId> decode_new_connection_id(std::span<const uint8_t> body) {
    constexpr std::string_view kName = "NewConnectionId";
    wire::Reader r(body);
    std::span<const uint8_t> list;
    uint8_t usage;
    if (!r.vec16(list) || !r.u8(usage)) return malformed(kName, "truncated");
    if (!r.empty()) return malformed(kName, "trailing bytes");
    NewConnectionId m;
    // The list is bounded by the message, itself bounded by the handshake
    // layer's largest message.
    wire::Reader cids(list);
    while (!cids.empty()) {
        std::span<const uint8_t> cid;
        if (!cids.vec8(cid)) return malformed(kName, "a CID overruns the list");
        if (cid.empty()) return forbidden(kName, "an empty CID");
        m.cids.push_back(to_bytes(cid));
    }
    if (usage != static_cast<uint8_t>(ConnectionIdUsage::cid_immediate) &&
        usage != static_cast<uint8_t>(ConnectionIdUsage::cid_spare)) {
        return forbidden(kName, "usage is neither cid_immediate nor cid_spare");
    }
    m.usage = static_cast<ConnectionIdUsage>(usage);
    if (m.usage == ConnectionIdUsage::cid_immediate && m.cids.empty()) {
        return forbidden(kName, "cid_immediate without a CID to use");
    }
    return m;
}

bool encode(const NewConnectionId& m, wire::Writer& w) {
    w.vec16([&] {
        for (const Bytes& cid : m.cids) w.vec8(cid);
    });
    w.u8(static_cast<uint8_t>(m.usage));
    return w.ok();
}

Result<RequestConnectionId> decode_request_connection_id(std::span<const uint8_t> body) {
    constexpr std::string_view kName = "RequestConnectionId";
    wire::Reader r(body);
    RequestConnectionId m;
    if (!r.u8(m.num_cids)) return malformed(kName, "truncated");
    if (!r.empty()) return malformed(kName, "trailing bytes");
    return m;
}

bool encode(const RequestConnectionId& m, wire::Writer& w) {
    w.u8(m.num_cids);
    return w.ok();
}

}  // namespace dtls::messages
