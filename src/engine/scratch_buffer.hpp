// The copy of a received datagram that records are decrypted in. One buffer
// per thread serves every connection, so an idle connection keeps no receive
// buffer; a callback that re-enters handle_datagram on the same thread gets
// a buffer of its own.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace dtls::engine {

namespace detail {
struct SharedScratch {
    std::vector<uint8_t> bytes;
    bool in_use = false;
};
inline thread_local SharedScratch shared_scratch;
}  // namespace detail

class ScratchBuffer {
public:
    explicit ScratchBuffer(std::span<const uint8_t> datagram) {
        if (!shared_.in_use) {
            shared_.in_use = true;
            buffer_ = &shared_.bytes;
        }
        buffer_->assign(datagram.begin(), datagram.end());
    }
    ~ScratchBuffer() {
        if (buffer_ == &shared_.bytes) shared_.in_use = false;
    }
    ScratchBuffer(const ScratchBuffer&) = delete;
    ScratchBuffer& operator=(const ScratchBuffer&) = delete;

    std::span<uint8_t> bytes() { return *buffer_; }

private:
    detail::SharedScratch& shared_ = detail::shared_scratch;
    std::vector<uint8_t> own_;
    std::vector<uint8_t>* buffer_ = &own_;
};

}  // namespace dtls::engine
