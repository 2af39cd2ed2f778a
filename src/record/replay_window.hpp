// Anti-replay window (RFC 6347 4.1.2.6) over 48-bit sequence numbers. The
// caller checks a record first and marks it only after it authenticates, so
// forged records can never move the window (OpenSSL CVE-2016-2181).
#pragma once

#include <cstdint>
#include <optional>

namespace dtls::record {

class ReplayWindow {
public:
    static constexpr uint64_t kSize = 64;

    // True if `seq` is new and not older than the window.
    bool is_fresh(uint64_t seq) const;
    void mark(uint64_t seq);
    // The highest sequence number marked, if any (DTLS 1.3 reconstructs full
    // sequence numbers around it).
    std::optional<uint64_t> highest() const { return any_ ? std::optional<uint64_t>(highest_) : std::nullopt; }

private:
    bool any_ = false;
    uint64_t highest_ = 0;
    uint64_t bits_ = 0;  // bit i set: highest_ - i was received
};

}  // namespace dtls::record
