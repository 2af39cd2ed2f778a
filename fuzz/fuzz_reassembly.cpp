// Fragment reassembly from sequences of fragments, honest and forged. The
// reassembler must keep its memory budget after every fragment, deliver
// messages strictly in message_seq order, never deliver more than the size
// limit, and deliver an honestly fragmented message byte for byte, however
// its fragments were cut, reordered or duplicated.
//
// Input: a list of fragments. Each starts with a flags byte:
//   even: honest, a slice of reference message (u8 % 4) at (u16 offset, u16 length)
//   odd:  forged, a 12-byte handshake header and up to (u8) bytes, read
//         through read_fragment as the engine does
#include <array>
#include <cstdlib>
#include <vector>

#include "transport/fragment.hpp"
#include "transport/reassembler.hpp"

using namespace dtls;
using namespace dtls::transport;

namespace {

struct Reference {
    HandshakeType type;
    uint32_t length;
};
// Messages 0..3 as a peer's flight would carry them; the third is larger
// than one record, the fourth empty.
constexpr std::array<Reference, 4> kReferences{{
    {HandshakeType::server_hello, 90},
    {HandshakeType::certificate, 700},
    {HandshakeType::server_key_exchange, 20000},
    {HandshakeType::server_hello_done, 0},
}};

uint8_t reference_byte(size_t message, size_t at) { return static_cast<uint8_t>(message * 31 + at * 7 + (at >> 8)); }

struct Input {
    std::span<const uint8_t> rest;
    uint8_t u8() {
        if (rest.empty()) return 0;
        uint8_t v = rest[0];
        rest = rest.subspan(1);
        return v;
    }
    uint16_t u16() { return static_cast<uint16_t>(u8() << 8 | u8()); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const ReassemblyLimits limits;
    Reassembler reassembler(limits);
    Input in{std::span(data, size)};
    std::array<bool, 256> forged_into{};  // a forged fragment was accepted for this message_seq
    uint16_t expected_seq = 0;

    for (int fragments = 0; !in.rest.empty() && fragments < 512; ++fragments) {
        const uint8_t flags = in.u8();
        if (flags % 2 == 0) {
            const size_t m = in.u8() % kReferences.size();
            const Reference& ref = kReferences[m];
            const uint32_t offset = ref.length == 0 ? 0 : in.u16() % ref.length;
            const uint32_t length = std::min<uint32_t>(in.u16(), ref.length - offset);
            std::vector<uint8_t> bytes(length);
            for (uint32_t i = 0; i < length; ++i) bytes[i] = reference_byte(m, offset + i);
            FragmentHeader h{ref.type, ref.length, static_cast<uint16_t>(m), offset, length};
            (void)reassembler.add(h, bytes);
        } else {
            std::vector<uint8_t> record;
            const size_t n = std::min<size_t>(kHandshakeHeaderLength + in.u8(), in.rest.size());
            record.assign(in.rest.begin(), in.rest.begin() + static_cast<ptrdiff_t>(n));
            in.rest = in.rest.subspan(n);
            wire::Reader r(record);
            FragmentHeader h;
            std::span<const uint8_t> fragment;
            if (read_fragment(r, h, fragment) &&
                reassembler.add(h, fragment) == Reassembler::Verdict::accepted && h.message_seq < forged_into.size()) {
                forged_into[h.message_seq] = true;
            }
        }
        if (reassembler.buffered_bytes() > limits.max_buffered_bytes) std::abort();

        while (auto message = reassembler.next()) {
            if (message->seq != expected_seq || reassembler.next_seq() != expected_seq + 1) std::abort();
            if (message->body.size() > limits.max_message_length) std::abort();
            if (message->seq < kReferences.size() && !forged_into[message->seq]) {
                const Reference& ref = kReferences[message->seq];
                if (message->type != ref.type || message->body.size() != ref.length) std::abort();
                for (size_t i = 0; i < message->body.size(); ++i) {
                    if (message->body[i] != reference_byte(message->seq, i)) std::abort();
                }
            }
            ++expected_seq;
        }
    }
    return 0;
}
