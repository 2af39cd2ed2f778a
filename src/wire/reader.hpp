// A bounds-checked cursor over received bytes. Every length-prefixed field in
// the engine is read through this type, so offset arithmetic lives only here.
// The reads are defined here, inline: they run several times per record.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace dtls::wire {

// A big-endian unsigned integer of N bytes from the start of `bytes`, which
// the caller has checked holds at least N.
template <size_t N>
constexpr uint64_t load_be(std::span<const uint8_t> bytes) {
    uint64_t v = 0;
    for (size_t i = 0; i < N; ++i) v = (v << 8) | bytes[i];
    return v;
}

class Reader {
public:
    explicit Reader(std::span<const uint8_t> bytes) : rest_(bytes) {}

    // Each read returns false (and leaves `out` untouched) when too few
    // bytes remain; a failed read never advances the cursor.
    bool u8(uint8_t& out) { return read_be<1>(out); }
    bool u16(uint16_t& out) { return read_be<2>(out); }
    bool u24(uint32_t& out) { return read_be<3>(out); }
    bool u32(uint32_t& out) { return read_be<4>(out); }
    bool u48(uint64_t& out) { return read_be<6>(out); }
    bool u64(uint64_t& out) { return read_be<8>(out); }
    bool bytes(size_t n, std::span<const uint8_t>& out) {
        if (rest_.size() < n) return false;
        out = rest_.first(n);
        rest_ = rest_.subspan(n);
        return true;
    }
    bool skip(size_t n) {
        std::span<const uint8_t> ignored;
        return bytes(n, ignored);
    }

    // A vector with an N-byte length prefix; `out` covers exactly its body.
    bool vec8(std::span<const uint8_t>& out) { return read_vec<1>(out); }
    bool vec16(std::span<const uint8_t>& out) { return read_vec<2>(out); }
    bool vec24(std::span<const uint8_t>& out) { return read_vec<3>(out); }
    bool vec8(Reader& out) { return read_vec<1>(out); }
    bool vec16(Reader& out) { return read_vec<2>(out); }
    bool vec24(Reader& out) { return read_vec<3>(out); }

    bool empty() const { return rest_.empty(); }
    size_t remaining() const { return rest_.size(); }
    std::span<const uint8_t> rest() const { return rest_; }

private:
    template <size_t N, class T>
    bool read_be(T& out) {
        if (rest_.size() < N) return false;
        out = static_cast<T>(load_be<N>(rest_));
        rest_ = rest_.subspan(N);
        return true;
    }

    template <size_t N>
    bool read_vec(std::span<const uint8_t>& out) {
        if (rest_.size() < N) return false;
        const uint64_t length = load_be<N>(rest_);
        if (rest_.size() - N < length) return false;
        out = rest_.subspan(N, length);
        rest_ = rest_.subspan(N + length);
        return true;
    }

    template <size_t N>
    bool read_vec(Reader& out) {
        std::span<const uint8_t> body;
        if (!read_vec<N>(body)) return false;
        out = Reader(body);
        return true;
    }

    std::span<const uint8_t> rest_;
};

}  // namespace dtls::wire
