#include "record/datagram_reader.hpp"

#include "record/cid_header.hpp"
#include "record/dtls12_header.hpp"
#include "record/unified_header.hpp"

namespace dtls::record {

namespace {

constexpr uint8_t kFirstDtls12Type = 20;  // change_cipher_spec
constexpr uint8_t kLastDtls12Type = 26;   // ack

}  // namespace

DatagramReader::DatagramReader(std::span<uint8_t> datagram, size_t cid_length)
    : datagram_(datagram), reader_(datagram), cid_length_(cid_length) {}

std::span<uint8_t> DatagramReader::mutable_span(std::span<const uint8_t> part) const {
    const auto offset = static_cast<size_t>(part.data() - datagram_.data());
    return datagram_.subspan(offset, part.size());
}

DatagramReader::Next DatagramReader::next(FramedRecord& out) {
    why_ = "";
    if (reader_.empty()) return Next::end;
    const std::span<const uint8_t> start = reader_.rest();
    const uint8_t first = start[0];
    FramedRecord record;
    std::span<const uint8_t> body;

    if (first == static_cast<uint8_t>(ContentType::tls12_cid) && cid_length_ != 0) {
        CidHeader h;
        if (!read_cid_record(reader_, cid_length_, h, body)) {
            why_ = "truncated tls12_cid record";
            return Next::end;
        }
        record.format = HeaderFormat::dtls12_cid;
        record.type = ContentType::tls12_cid;
        record.version = h.version;
        record.epoch = h.epoch;
        record.sequence = h.sequence;
        record.cid = h.cid;
    } else if (first >= kFirstDtls12Type && first <= kLastDtls12Type) {
        // tls12_cid when this side issued no CID has no CID field: framed as
        // a plain header, and refused by whoever opens it.
        Dtls12Header h;
        if (!read_dtls12_record(reader_, h, body)) {
            why_ = "truncated record";
            return Next::end;
        }
        record.format = HeaderFormat::dtls12;
        record.type = h.type;
        record.version = h.version;
        record.epoch = h.epoch;
        record.sequence = h.sequence;
    } else if (is_unified_header(first)) {
        UnifiedHeader h;
        if (!read_unified_record(reader_, cid_length_, h, body)) {
            why_ = cid_length_ == 0 && (first & 0x10) != 0 ? "unified header with a connection ID we did not issue"
                                                           : "truncated unified header";
            return Next::end;
        }
        record.format = HeaderFormat::unified;
        record.epoch = h.epoch_bits;
        record.sequence = h.sequence_bits;
        record.cid = h.cid;
    } else {
        why_ = "unknown record header";
        return Next::end;
    }

    const size_t header_length = start.size() - reader_.remaining() - body.size();
    record.header = mutable_span(start.first(header_length));
    record.body = mutable_span(body);
    if (body.size() > kMaxCiphertextLength) {
        why_ = "record longer than 2^14 + 2048 bytes";
        return Next::dropped;
    }
    out = record;
    return Next::record;
}

}  // namespace dtls::record
