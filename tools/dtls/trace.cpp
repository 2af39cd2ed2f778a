#include "trace.hpp"

#include <chrono>
#include <cstdio>

namespace dtls_tool {

void TracePrinter::line(std::string_view text) const { line(peer_, text); }

void TracePrinter::line(const std::string& peer, std::string_view text) const {
    const double ms = std::chrono::duration<double, std::milli>(dtls::Clock::now() - start_).count();
    std::fprintf(stderr, "%10.3f ms  %-22s %.*s\n", ms, peer.c_str(), static_cast<int>(text.size()), text.data());
}

void install_trace(dtls::Config& config, const std::shared_ptr<TracePrinter>& printer) {
    if (!printer) return;
    config.trace = [printer](std::string_view text) { printer->line(text); };
}

}  // namespace dtls_tool
