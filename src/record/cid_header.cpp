#include "record/cid_header.hpp"

namespace dtls::record {

bool read_cid_record(wire::Reader& r, size_t cid_length, CidHeader& header, std::span<const uint8_t>& body) {
    if (cid_length == 0 || cid_length > kMaxCidLength) return false;
    wire::Reader probe = r;
    uint8_t type;
    CidHeader h;
    if (!probe.u8(type) || type != static_cast<uint8_t>(ContentType::tls12_cid) || !probe.u16(h.version) ||
        !probe.u16(h.epoch) || !probe.u48(h.sequence) || !probe.bytes(cid_length, h.cid) || !probe.vec16(body)) {
        return false;
    }
    h.length = static_cast<uint16_t>(body.size());
    header = h;
    r = probe;
    return true;
}

bool write_cid_header(const CidHeader& header, wire::Writer& w) {
    if (header.cid.empty() || header.cid.size() > kMaxCidLength || header.sequence > kMaxSequence) return false;
    w.u8(static_cast<uint8_t>(ContentType::tls12_cid));
    w.u16(header.version);
    w.u16(header.epoch);
    w.u48(header.sequence);
    w.bytes(header.cid);
    w.u16(header.length);
    return true;
}

}  // namespace dtls::record
