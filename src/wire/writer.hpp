// Appends big-endian fields to a byte vector. Length-prefixed vectors are
// written with vec8/vec16/vec24 taking a callback that writes the body; the
// prefix is filled in afterwards. A body too long for its prefix fails the
// writer: ok() turns false for good, the prefix is left zero rather than
// truncated, and the bytes written must not be used. Every encoder returns
// ok() to its caller.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace dtls::wire {

class Writer {
public:
    explicit Writer(std::vector<uint8_t>& out) : out_(out) {}

    void u8(uint8_t v) { out_.push_back(v); }
    void u16(uint16_t v) { be(v, 2); }
    void u24(uint32_t v) {
        if (v >= (uint32_t{1} << 24)) ok_ = false;
        be(v, 3);
    }
    void u32(uint32_t v) { be(v, 4); }
    void u48(uint64_t v) {
        if (v >= (uint64_t{1} << 48)) ok_ = false;
        be(v, 6);
    }
    void u64(uint64_t v) { be(v, 8); }
    void bytes(std::span<const uint8_t> b) { out_.insert(out_.end(), b.begin(), b.end()); }

    void vec8(std::span<const uint8_t> b) { prefixed(1, [&] { bytes(b); }); }
    void vec16(std::span<const uint8_t> b) { prefixed(2, [&] { bytes(b); }); }
    void vec24(std::span<const uint8_t> b) { prefixed(3, [&] { bytes(b); }); }

    template <std::invocable Body> void vec8(Body&& body) { prefixed(1, body); }
    template <std::invocable Body> void vec16(Body&& body) { prefixed(2, body); }
    template <std::invocable Body> void vec24(Body&& body) { prefixed(3, body); }

    // False once any field did not fit: the output is then unusable.
    [[nodiscard]] bool ok() const { return ok_; }
    size_t size() const { return out_.size(); }
    std::vector<uint8_t>& buffer() { return out_; }

private:
    void be(uint64_t v, int n) {
        for (int i = n - 1; i >= 0; --i) out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
    }

    template <class Body> void prefixed(int n, Body&& body) {
        size_t mark = out_.size();
        out_.resize(mark + n);
        body();
        size_t len = out_.size() - mark - n;
        if (len >= (size_t{1} << (8 * n))) {
            ok_ = false;
            return;
        }
        for (int i = 0; i < n; ++i) out_[mark + i] = static_cast<uint8_t>(len >> (8 * (n - 1 - i)));
    }

    std::vector<uint8_t>& out_;
    bool ok_ = true;
};

}  // namespace dtls::wire
