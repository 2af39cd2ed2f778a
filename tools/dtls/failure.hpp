// How the tool reports a failure: every function that can fail returns a
// dtls::Result or dtls::Status whose Error reason is one readable sentence,
// and main() prints it as a single "dtls: ..." line with a non-zero status.
#pragma once

#include <cerrno>
#include <cstring>
#include <string>

#include "dtls/errors.hpp"

namespace dtls_tool {

// Exit statuses: 0 success, 1 a run-time failure (handshake, socket, files),
// 2 the command line itself was wrong.
constexpr int exit_ok = 0;
constexpr int exit_failure = 1;
constexpr int exit_usage = 2;

inline dtls::Error failure(std::string reason) {
    return dtls::Error{dtls::ErrorCode::invalid_argument, std::nullopt, std::move(reason)};
}

// "what: strerror(errno)", read at the call site before errno changes.
inline dtls::Error system_failure(const std::string& what) { return failure(what + ": " + std::strerror(errno)); }

// Prints "dtls: <reason>" on stderr.
void report(const dtls::Error& error);
void report(const std::string& message);

// Reports the error and returns `status`, for `return fail_with(e, exit_failure);`.
inline int fail_with(const dtls::Error& error, int status) {
    report(error);
    return status;
}

}  // namespace dtls_tool
