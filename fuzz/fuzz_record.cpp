// Record framing and decryption with real keys: every record of a fuzzer
// datagram is framed by the datagram reader (all three header formats, with
// a CID length the input chooses) and opened by the epoch table; and any
// plaintext sealed under the same keys opens to itself, exactly once.
//
// Input: selector byte (which AEAD, DTLS 1.2 or 1.3 records (bit 3); its high
// bits choose the CID length),
// then a datagram.
#include <cstdlib>
#include <cstring>
#include <vector>

#include "record/datagram_reader.hpp"
#include "record_keys.hpp"

using namespace dtls;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    const uint8_t selector = data[0];
    const size_t cid_length = selector >> 5;  // 0..7
    std::vector<uint8_t> datagram(data + 1, data + size);

    // 1. Whatever arrives: frame, open, and check what comes out.
    record::EpochTable reader = fuzz::epoch_table_with_keys(selector);
    record::DatagramReader framer(datagram, cid_length);
    for (;;) {
        record::FramedRecord framed;
        const record::DatagramReader::Next next = framer.next(framed);
        if (next == record::DatagramReader::Next::end) break;
        if (next == record::DatagramReader::Next::dropped) continue;
        // Header and body are views inside the datagram, in order.
        if (framed.header.data() < datagram.data() || framed.header.data() + framed.header.size() != framed.body.data() ||
            framed.body.data() + framed.body.size() > datagram.data() + datagram.size() ||
            framed.body.size() > record::kMaxCiphertextLength) {
            std::abort();
        }
        if (framed.format == record::HeaderFormat::dtls12_cid && framed.cid.size() != cid_length) std::abort();
        record::EpochTable::Opened opened;
        if (reader.open(framed, opened) == record::EpochTable::Disposition::deliver) {
            // The plaintext is a view inside the record body, never longer.
            if (opened.plaintext.size() > record::kMaxPlaintextLength) std::abort();
            if (opened.plaintext.data() < framed.body.data() ||
                opened.plaintext.data() + opened.plaintext.size() > framed.body.data() + framed.body.size()) {
                std::abort();
            }
        }
    }

    // 2. Round trip: the datagram's bytes as a plaintext, sealed and opened.
    const size_t length = std::min(size - 1, record::kMaxPlaintextLength);
    record::EpochTable writer = fuzz::epoch_table_with_keys(selector);
    record::EpochTable opener = fuzz::epoch_table_with_keys(selector);
    std::vector<uint8_t> sealed;
    if (!writer.seal(fuzz::epoch_of(selector), record::ContentType::application_data, std::span(data + 1, length), sealed)) std::abort();
    auto open_once = [&](std::vector<uint8_t> copy, record::EpochTable::Opened& opened) {
        record::DatagramReader one(copy, 0);
        record::FramedRecord framed;
        if (one.next(framed) != record::DatagramReader::Next::record) std::abort();
        if (one.next(framed) != record::DatagramReader::Next::end) std::abort();
        const record::EpochTable::Disposition d = opener.open(framed, opened);
        if (d == record::EpochTable::Disposition::deliver &&
            (opened.plaintext.size() != length ||
             (length != 0 && std::memcmp(opened.plaintext.data(), data + 1, length) != 0))) {
            std::abort();
        }
        return d;
    };
    record::EpochTable::Opened opened;
    if (open_once(sealed, opened) != record::EpochTable::Disposition::deliver) std::abort();
    // The same record again is a replay.
    if (open_once(sealed, opened) != record::EpochTable::Disposition::drop) std::abort();
    return 0;
}
