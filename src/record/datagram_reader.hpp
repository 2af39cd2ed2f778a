// Splits a received datagram into records. The first byte of each record
// says which header it has (RFC 9147 4.1, RFC 9146 4):
//
//   20..24, 26   the 13-byte DTLS 1.2 header (DTLSPlaintext in DTLS 1.3)
//   25           tls12_cid: the DTLS 1.2 header with a connection ID
//   32..63       the DTLS 1.3 unified header
//
// A record whose header reads but which cannot be used (too long) is dropped
// alone and the next one is read, since its length is known. Any other first
// byte, or a header cut short, leaves the rest of the datagram unframeable:
// its length is unknown, so it is dropped.
#pragma once

#include <cstdint>
#include <span>

#include "record/content_type.hpp"
#include "wire/reader.hpp"

namespace dtls::record {

enum class HeaderFormat { dtls12, dtls12_cid, unified };

struct FramedRecord {
    HeaderFormat format = HeaderFormat::dtls12;
    ContentType type{};            // the type byte (tls12_cid for that format; unset for unified)
    uint16_t version = 0;          // DTLS 1.2 formats only
    uint64_t epoch = 0;            // DTLS 1.2 formats: the 16-bit epoch; unified: its low two bits
    uint64_t sequence = 0;         // DTLS 1.2 formats: 48 bits; unified: the low 8 or 16 bits, masked
    std::span<const uint8_t> cid;  // empty if the record has none
    std::span<uint8_t> header;     // the header's bytes as received
    std::span<uint8_t> body;       // what follows the header; opened in place
};

class DatagramReader {
public:
    // `cid_length` is the length of the connection IDs this side issued (0:
    // none), which records carrying one need in order to be framed.
    DatagramReader(std::span<uint8_t> datagram, size_t cid_length);

    enum class Next {
        record,   // `out` holds the next record
        dropped,  // one record could not be used and was skipped (see why())
        end,      // nothing more can be read (why() is empty at the clean end)
    };
    Next next(FramedRecord& out);
    // A DTLS 1.3 handshake agrees CIDs in its ServerHello, and the records
    // after it in the same datagram already carry one: the length can
    // change between records.
    void set_cid_length(size_t cid_length) { cid_length_ = cid_length; }

    // Why the last next() dropped a record or stopped early.
    const char* why() const { return why_; }

private:
    std::span<uint8_t> datagram_;
    wire::Reader reader_;
    size_t cid_length_;
    const char* why_ = "";
};

}  // namespace dtls::record
