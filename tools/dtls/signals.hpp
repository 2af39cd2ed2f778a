// SIGINT and SIGTERM as a readable file descriptor, so the event loop sees a
// request to stop like any other input and can close every peer cleanly.
#pragma once

#include "dtls/errors.hpp"

namespace dtls_tool {

class StopSignals {
public:
    // Blocks SIGINT and SIGTERM for the process and opens a signalfd.
    static dtls::Result<StopSignals> open();

    StopSignals(StopSignals&& other) noexcept;
    StopSignals& operator=(StopSignals&&) = delete;
    ~StopSignals();

    int fd() const { return fd_; }
    // Consumes pending signals; true if at least one arrived.
    bool take();

private:
    explicit StopSignals(int fd) : fd_(fd) {}
    int fd_ = -1;
};

}  // namespace dtls_tool
