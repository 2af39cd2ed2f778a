// A description of the machine and build a run measured, for the report.
#pragma once

#include <string>

namespace dtls::bench {

// Markdown bullet lines: CPU, cores, memory, kernel, load, compiler, OpenSSL.
std::string describe_machine();

}  // namespace dtls::bench
