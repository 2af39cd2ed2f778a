// Standard input as lines for the client. It reads only when the poller says
// input is ready (one read() each time, so it never blocks and never changes
// the descriptor's flags, which the terminal shares with the shell), and
// holds at most one line of max_line bytes.
#pragma once

#include <optional>
#include <string>

#include "dtls/errors.hpp"

namespace dtls_tool {

class LineReader {
public:
    static constexpr size_t max_line = 65536;

    explicit LineReader(int fd) : fd_(fd) {}

    // Reads what is available now. An over-long line is an error.
    dtls::Status read_some();
    // The next complete line without its newline (a last line without one
    // counts once input has ended).
    std::optional<std::string> next_line();
    bool ended() const { return ended_; }
    // Input has ended and every line has been taken.
    bool exhausted() const { return ended_ && buffer_.empty(); }

private:
    int fd_;
    std::string buffer_;
    bool ended_ = false;
};

}  // namespace dtls_tool
