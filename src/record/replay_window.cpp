#include "record/replay_window.hpp"

namespace dtls::record {

bool ReplayWindow::is_fresh(uint64_t seq) const {
    if (!any_ || seq > highest_) return true;
    uint64_t age = highest_ - seq;
    if (age >= kSize) return false;
    return (bits_ & (uint64_t{1} << age)) == 0;
}

void ReplayWindow::mark(uint64_t seq) {
    if (!any_) {
        any_ = true;
        highest_ = seq;
        bits_ = 1;
        return;
    }
    if (seq > highest_) {
        uint64_t shift = seq - highest_;
        bits_ = shift >= kSize ? 0 : bits_ << shift;
        bits_ |= 1;
        highest_ = seq;
        return;
    }
    uint64_t age = highest_ - seq;
    if (age < kSize) bits_ |= uint64_t{1} << age;
}

}  // namespace dtls::record
