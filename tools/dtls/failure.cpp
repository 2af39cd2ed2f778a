#include "failure.hpp"

#include <cstdio>

namespace dtls_tool {

void report(const dtls::Error& error) { report(error.to_string()); }

void report(const std::string& message) { std::fprintf(stderr, "dtls: %s\n", message.c_str()); }

}  // namespace dtls_tool
