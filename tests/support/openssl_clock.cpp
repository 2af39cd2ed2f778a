#include "support/openssl_clock.hpp"

#include <time.h>

#include <chrono>

namespace dtls::test {
namespace {

thread_local const Instant* virtual_now = nullptr;

// Far enough from the epoch that a virtual Instant{} maps to a non-zero time.
constexpr std::chrono::seconds offset{1'000'000'000};

}  // namespace

VirtualClockScope::VirtualClockScope(Instant now) : previous_(virtual_now), now_(now) { virtual_now = &now_; }

VirtualClockScope::~VirtualClockScope() { virtual_now = previous_; }

timeval to_timeval(Instant now) {
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch() + offset).count();
    if (micros < 1) micros = 1;
    timeval time{};
    time.tv_sec = static_cast<time_t>(micros / 1'000'000);
    time.tv_usec = static_cast<suseconds_t>(micros % 1'000'000);
    return time;
}

Instant from_timeval(const timeval& time) {
    auto since = std::chrono::seconds(time.tv_sec) + std::chrono::microseconds(time.tv_usec) - offset;
    return Instant{} + std::chrono::duration_cast<Duration>(since);
}

}  // namespace dtls::test

// The interposed libc function (see the header). Outside a scope it reads the
// real clock exactly as the libc version would, for any other caller.
extern "C" int gettimeofday(struct timeval* __restrict time, void* __restrict /*zone*/) noexcept {
    if (dtls::test::virtual_now != nullptr) {
        *time = dtls::test::to_timeval(*dtls::test::virtual_now);
        return 0;
    }
    timespec real{};
    if (clock_gettime(CLOCK_REALTIME, &real) != 0) return -1;
    time->tv_sec = real.tv_sec;
    time->tv_usec = static_cast<suseconds_t>(real.tv_nsec / 1000);
    return 0;
}
