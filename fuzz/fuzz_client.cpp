// A whole client against our genuine server, whose datagrams the fuzzer
// delivers, alters, drops, replays or replaces, with fuzzer-chosen time
// steps (harness.hpp describes the script).
#include "harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    (void)dtls::fuzz::run_script(dtls::fuzz::Side::client, std::span(data, size));
    return 0;
}
