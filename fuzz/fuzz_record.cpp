// Record framing and decryption with real keys: every record of a fuzzer
// datagram is framed by read_record and opened by the record layer; and any
// plaintext sealed under the same keys opens to itself, exactly once.
//
// Input: selector byte (which AEAD), then a datagram.
#include <cstdlib>
#include <cstring>
#include <vector>

#include "record_keys.hpp"

using namespace dtls;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    const uint8_t selector = data[0];
    std::vector<uint8_t> datagram(data + 1, data + size);

    // 1. Whatever arrives: frame, open, and check what comes out.
    record::RecordLayer reader = fuzz::record_layer_with_keys(selector);
    wire::Reader r(datagram);
    while (!r.empty()) {
        record::RecordHeader header;
        std::span<const uint8_t> fragment;
        if (!record::read_record(r, header, fragment)) break;
        if (fragment.size() != header.length || header.length > record::kMaxCiphertextLength) std::abort();
        const size_t offset = static_cast<size_t>(fragment.data() - datagram.data());
        std::span<uint8_t> body = std::span<uint8_t>(datagram).subspan(offset, fragment.size());
        std::span<uint8_t> plaintext;
        if (reader.open(header, body, plaintext) == record::RecordLayer::Disposition::deliver) {
            // The plaintext is a view inside the record body, never longer.
            if (plaintext.size() > record::kMaxPlaintextLength) std::abort();
            if (plaintext.data() < body.data() || plaintext.data() + plaintext.size() > body.data() + body.size()) {
                std::abort();
            }
        }
    }

    // 2. Round trip: the datagram's bytes as a plaintext, sealed and opened.
    const size_t length = std::min(size - 1, record::kMaxPlaintextLength);
    record::RecordLayer writer = fuzz::record_layer_with_keys(selector);
    record::RecordLayer opener = fuzz::record_layer_with_keys(selector);
    std::vector<uint8_t> sealed;
    if (!writer.seal(1, record::ContentType::application_data, std::span(data + 1, length), sealed)) std::abort();
    wire::Reader sr(sealed);
    record::RecordHeader header;
    std::span<const uint8_t> fragment;
    if (!record::read_record(sr, header, fragment) || !sr.empty()) std::abort();
    std::vector<uint8_t> copy(sealed);
    std::span<uint8_t> body = std::span<uint8_t>(copy).subspan(record::kHeaderLength);
    std::span<uint8_t> plaintext;
    if (opener.open(header, body, plaintext) != record::RecordLayer::Disposition::deliver) std::abort();
    if (plaintext.size() != length || (length != 0 && std::memcmp(plaintext.data(), data + 1, length) != 0)) {
        std::abort();
    }
    // The same record again is a replay.
    std::vector<uint8_t> again(sealed);
    body = std::span<uint8_t>(again).subspan(record::kHeaderLength);
    if (opener.open(header, body, plaintext) != record::RecordLayer::Disposition::drop) std::abort();
    return 0;
}
