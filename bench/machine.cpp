#include "machine.hpp"

#include <openssl/crypto.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>
#include <string>

namespace dtls::bench {

namespace {

// The value after "key:" on the first line of `path` that starts with `key`.
std::string field_of(const char* path, const std::string& key) {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(key, 0) != 0) continue;
        const size_t colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(" \t"));
        return value;
    }
    return "unknown";
}

std::string first_line(const char* path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line.empty() ? "unknown" : line;
}

}  // namespace

std::string describe_machine() {
    utsname system{};
    uname(&system);
    std::string text;
    text += "- CPU: " + field_of("/proc/cpuinfo", "model name") + ", " + std::to_string(sysconf(_SC_NPROCESSORS_ONLN)) +
            " online cores (the benchmark uses one)\n";
    text += "- Memory: " + field_of("/proc/meminfo", "MemTotal") + "\n";
    text += "- Kernel: " + std::string(system.sysname) + " " + system.release + " " + system.machine + "\n";
    // A shared machine: the load says how noisy the absolute numbers were.
    const std::string load = first_line("/proc/loadavg");
    text += "- Load average (1, 5, 15 min) when the run started: " + load.substr(0, load.find(' ', load.find(' ', load.find(' ') + 1) + 1)) + "\n";
    text += "- Compiler: " + std::string(__VERSION__) + ", Release build (-O3 -DNDEBUG)\n";
    text += "- OpenSSL: " + std::string(OpenSSL_version(OPENSSL_VERSION)) + " (libssl and libcrypto, the same library)\n";
    return text;
}

}  // namespace dtls::bench
