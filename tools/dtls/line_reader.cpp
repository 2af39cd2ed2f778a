#include "line_reader.hpp"

#include <unistd.h>

#include <cerrno>

#include "failure.hpp"

namespace dtls_tool {

dtls::Status LineReader::read_some() {
    if (ended_) return dtls::Ok{};
    char chunk[16384];
    ssize_t got = ::read(fd_, chunk, sizeof chunk);
    if (got < 0) {
        if (errno == EINTR || errno == EAGAIN) return dtls::Ok{};
        return system_failure("cannot read standard input");
    }
    if (got == 0) {
        ended_ = true;
        return dtls::Ok{};
    }
    buffer_.append(chunk, static_cast<size_t>(got));
    if (buffer_.find('\n') == std::string::npos && buffer_.size() > max_line) {
        return failure("an input line is longer than " + std::to_string(max_line) + " bytes");
    }
    return dtls::Ok{};
}

std::optional<std::string> LineReader::next_line() {
    size_t newline = buffer_.find('\n');
    if (newline == std::string::npos) {
        if (!ended_ || buffer_.empty()) return std::nullopt;
        newline = buffer_.size();
    }
    std::string line = buffer_.substr(0, newline);
    buffer_.erase(0, std::min(newline + 1, buffer_.size()));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

}  // namespace dtls_tool
