// One peer program run as a child process: its stdout and stderr come back
// through one pipe as lines (the report protocol of peers/peer_common.h).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace dtls::interop {

class PeerProcess {
public:
    // Starts argv[0] with argv; on failure running() is false and output()
    // says why.
    explicit PeerProcess(const std::vector<std::string>& argv);
    ~PeerProcess();  // kills the child if it is still running
    PeerProcess(const PeerProcess&) = delete;
    PeerProcess& operator=(const PeerProcess&) = delete;

    bool running() const { return pid_ > 0 && !exit_code_; }
    int output_fd() const { return fd_; }  // for poll(); -1 once at end of output

    // Reads what is available without blocking.
    void read_available();
    // Waits for a line starting with `prefix` until the deadline; returns it.
    std::optional<std::string> wait_for_line(const std::string& prefix, std::chrono::steady_clock::time_point deadline);
    // Waits for the child to exit (killing it at the deadline); its exit code,
    // or -1 if it had to be killed or died of a signal.
    int wait_for_exit(std::chrono::steady_clock::time_point deadline);

    const std::vector<std::string>& lines() const { return lines_; }
    // The first line starting with `prefix`, if any.
    std::optional<std::string> line_starting(const std::string& prefix) const;
    std::string output() const;  // all lines, for failure messages

private:
    void take_lines();
    pid_t pid_ = -1;
    int fd_ = -1;
    std::string partial_;
    std::vector<std::string> lines_;
    std::optional<int> exit_code_;
};

}  // namespace dtls::interop
