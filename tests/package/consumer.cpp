// A program written the way a user of an installed dtls would write it: only
// the public umbrella header, only the installed library. EXPECTED_VERSION is
// the version the package metadata (CMake package or dtls.pc) claims.
#include <dtls/dtls.hpp>

#include <cstdio>
#include <string_view>

int main() {
    const std::string_view alert = dtls::to_string(dtls::Alert::close_notify);
    const dtls::Config config;
    if (alert != "close_notify" || config.mtu != dtls::Config::default_mtu) {
        std::fprintf(stderr, "consumer: unexpected values from the installed dtls\n");
        return 1;
    }
    const std::string_view version = dtls::version();
    if (version != EXPECTED_VERSION) {
        std::fprintf(stderr, "consumer: the library says version %.*s, the package says %s\n",
                     static_cast<int>(version.size()), version.data(), EXPECTED_VERSION);
        return 1;
    }
    std::printf("consumer: dtls %.*s, %.*s, default mtu %zu\n", static_cast<int>(version.size()), version.data(),
                static_cast<int>(alert.size()), alert.data(), config.mtu);
    return 0;
}
