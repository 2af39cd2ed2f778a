#include "poller.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>

#include "failure.hpp"

namespace dtls_tool {

size_t Poller::watch(int fd) {
    fds_.push_back(pollfd{fd, POLLIN, 0});
    return fds_.size() - 1;
}

// poll() skips negative descriptors, so the slot numbers stay valid.
void Poller::ignore(size_t slot) { fds_[slot].fd = -1; }

dtls::Status Poller::wait(std::optional<dtls::Instant> deadline) {
    int timeout_ms = -1;
    if (deadline) {
        auto wait = std::chrono::ceil<std::chrono::milliseconds>(*deadline - dtls::Clock::now());
        timeout_ms = static_cast<int>(std::clamp<std::chrono::milliseconds::rep>(wait.count(), 0, 60'000));
    }
    for (auto& fd : fds_) fd.revents = 0;
    if (::poll(fds_.data(), fds_.size(), timeout_ms) < 0 && errno != EINTR) return system_failure("poll");
    return dtls::Ok{};
}

// An error or hang-up also counts: the next read reports it (or end of file).
bool Poller::readable(size_t slot) const { return (fds_[slot].revents & (POLLIN | POLLERR | POLLHUP)) != 0; }

}  // namespace dtls_tool
