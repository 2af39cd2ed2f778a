#include "wire/reader.hpp"

namespace dtls::wire {

namespace {
template <size_t N>
bool read_be(std::span<const uint8_t>& rest, uint64_t& out) {
    if (rest.size() < N) return false;
    uint64_t v = 0;
    for (size_t i = 0; i < N; ++i) v = (v << 8) | rest[i];
    out = v;
    rest = rest.subspan(N);
    return true;
}
}  // namespace

bool Reader::u8(uint8_t& out) {
    uint64_t v;
    if (!read_be<1>(rest_, v)) return false;
    out = static_cast<uint8_t>(v);
    return true;
}

bool Reader::u16(uint16_t& out) {
    uint64_t v;
    if (!read_be<2>(rest_, v)) return false;
    out = static_cast<uint16_t>(v);
    return true;
}

bool Reader::u24(uint32_t& out) {
    uint64_t v;
    if (!read_be<3>(rest_, v)) return false;
    out = static_cast<uint32_t>(v);
    return true;
}

bool Reader::u32(uint32_t& out) {
    uint64_t v;
    if (!read_be<4>(rest_, v)) return false;
    out = static_cast<uint32_t>(v);
    return true;
}

bool Reader::u48(uint64_t& out) { return read_be<6>(rest_, out); }
bool Reader::u64(uint64_t& out) { return read_be<8>(rest_, out); }

bool Reader::bytes(size_t n, std::span<const uint8_t>& out) {
    if (rest_.size() < n) return false;
    out = rest_.first(n);
    rest_ = rest_.subspan(n);
    return true;
}

bool Reader::skip(size_t n) {
    std::span<const uint8_t> ignored;
    return bytes(n, ignored);
}

namespace {
template <size_t N>
bool read_vec(std::span<const uint8_t>& rest, std::span<const uint8_t>& out) {
    std::span<const uint8_t> probe = rest;
    uint64_t len;
    if (!read_be<N>(probe, len) || probe.size() < len) return false;
    out = probe.first(len);
    rest = probe.subspan(len);
    return true;
}
}  // namespace

bool Reader::vec8(std::span<const uint8_t>& out) { return read_vec<1>(rest_, out); }
bool Reader::vec16(std::span<const uint8_t>& out) { return read_vec<2>(rest_, out); }
bool Reader::vec24(std::span<const uint8_t>& out) { return read_vec<3>(rest_, out); }

bool Reader::vec8(Reader& out) {
    std::span<const uint8_t> body;
    if (!vec8(body)) return false;
    out = Reader(body);
    return true;
}

bool Reader::vec16(Reader& out) {
    std::span<const uint8_t> body;
    if (!vec16(body)) return false;
    out = Reader(body);
    return true;
}

bool Reader::vec24(Reader& out) {
    std::span<const uint8_t> body;
    if (!vec24(body)) return false;
    out = Reader(body);
    return true;
}

}  // namespace dtls::wire
