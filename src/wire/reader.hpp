// A bounds-checked cursor over received bytes. Every length-prefixed field in
// the engine is read through this type, so offset arithmetic lives only here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace dtls::wire {

class Reader {
public:
    explicit Reader(std::span<const uint8_t> bytes) : rest_(bytes) {}

    // Each read returns false (and leaves `out` untouched) when too few
    // bytes remain; a failed read never advances the cursor.
    bool u8(uint8_t& out);
    bool u16(uint16_t& out);
    bool u24(uint32_t& out);
    bool u32(uint32_t& out);
    bool u48(uint64_t& out);
    bool u64(uint64_t& out);
    bool bytes(size_t n, std::span<const uint8_t>& out);
    bool skip(size_t n);

    // A vector with an N-byte length prefix; `out` covers exactly its body.
    bool vec8(std::span<const uint8_t>& out);
    bool vec16(std::span<const uint8_t>& out);
    bool vec24(std::span<const uint8_t>& out);
    bool vec8(Reader& out);
    bool vec16(Reader& out);
    bool vec24(Reader& out);

    bool empty() const { return rest_.empty(); }
    size_t remaining() const { return rest_.size(); }
    std::span<const uint8_t> rest() const { return rest_; }

private:
    std::span<const uint8_t> rest_;
};

}  // namespace dtls::wire
