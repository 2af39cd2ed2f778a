// NSS key log output (the SSLKEYLOGFILE format Wireshark and tshark read).
// The file is opened for appending, created readable by its owner only (it
// holds secrets), and every line is flushed at once so a capture tool sees it
// while the session is still running.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "dtls/config.hpp"
#include "dtls/errors.hpp"

namespace dtls_tool {

class KeylogWriter {
public:
    // `path` from --keylog; if it is empty, the SSLKEYLOGFILE environment
    // variable; if that is unset too, no writer (a null pointer).
    static dtls::Result<std::shared_ptr<KeylogWriter>> open(const std::string& path);

    ~KeylogWriter();
    KeylogWriter(const KeylogWriter&) = delete;
    KeylogWriter& operator=(const KeylogWriter&) = delete;

    void write(std::string_view line);

private:
    explicit KeylogWriter(std::FILE* file) : file_(file) {}
    std::FILE* file_;
};

// Points config.keylog at the writer, if there is one.
void install_keylog(dtls::Config& config, const std::shared_ptr<KeylogWriter>& writer);

}  // namespace dtls_tool
