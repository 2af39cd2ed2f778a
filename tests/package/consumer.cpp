// A program written the way a user of an installed dtls would write it: only
// the public umbrella header, only the installed library.
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
    std::printf("consumer: %.*s, default mtu %zu\n", static_cast<int>(alert.size()), alert.data(), config.mtu);
    return 0;
}
