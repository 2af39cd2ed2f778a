#include "record/datagram_reader.hpp"

#include "record/cid_header.hpp"
#include "record/dtls12_header.hpp"
#include "record/unified_header.hpp"

namespace dtls::record {

namespace {

constexpr uint8_t kFirstDtls12Type = 20;  // change_cipher_spec
constexpr uint8_t kLastDtls12Type = 27;   // return_routability_check (RFC 9853)

}  // namespace

DatagramReader::DatagramReader(std::span<uint8_t> datagram, size_t cid_length)
    : datagram_(datagram), reader_(datagram), cid_length_(cid_length) {}

DatagramReader::Next DatagramReader::next(FramedRecord& out) {
    why_ = "";
    if (reader_.empty()) return Next::end;
    const std::span<const uint8_t> start = reader_.rest();
    const uint8_t first = start[0];
    std::span<const uint8_t> body;
    out.cid = {};

    if (first == static_cast<uint8_t>(ContentType::tls12_cid) && cid_length_ != 0) {
        CidHeader h;
        if (!read_cid_record(reader_, cid_length_, h, body)) {
            why_ = "truncated tls12_cid record";
            return Next::end;
        }
        out.format = HeaderFormat::dtls12_cid;
        out.type = ContentType::tls12_cid;
        out.version = h.version;
        out.epoch = h.epoch;
        out.sequence = h.sequence;
        out.cid = h.cid;
    } else if (first >= kFirstDtls12Type && first <= kLastDtls12Type) {
        // tls12_cid when this side issued no CID has no CID field: framed as
        // a plain header, and refused by whoever opens it.
        Dtls12Header h;
        if (!read_dtls12_record(reader_, h, body)) {
            why_ = "truncated record";
            return Next::end;
        }
        out.format = HeaderFormat::dtls12;
        out.type = h.type;
        out.version = h.version;
        out.epoch = h.epoch;
        out.sequence = h.sequence;
    } else if (is_unified_header(first)) {
        UnifiedHeader h;
        if (!read_unified_record(reader_, cid_length_, h, body)) {
            why_ = cid_length_ == 0 && (first & 0x10) != 0 ? "unified header with a connection ID we did not issue"
                                                           : "truncated unified header";
            return Next::end;
        }
        out.format = HeaderFormat::unified;
        out.type = ContentType{};
        out.version = 0;
        out.epoch = h.epoch_bits;
        out.sequence = h.sequence_bits;
        out.cid = h.cid;
    } else {
        why_ = "unknown record header";
        return Next::end;
    }

    // The header runs from where the record started to where its body does.
    const auto offset = static_cast<size_t>(start.data() - datagram_.data());
    const auto header_length = static_cast<size_t>(body.data() - start.data());
    out.header = datagram_.subspan(offset, header_length);
    out.body = datagram_.subspan(offset + header_length, body.size());
    if (body.size() > kMaxCiphertextLength) {
        why_ = "record longer than 2^14 + 2048 bytes";
        return Next::dropped;
    }
    return Next::record;
}

}  // namespace dtls::record
