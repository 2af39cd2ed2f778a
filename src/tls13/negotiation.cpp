#include "tls13/negotiation.hpp"

#include <algorithm>

#include "tls13/handshake.hpp"

namespace dtls::tls13 {

namespace {

bool contains(const std::vector<uint16_t>& list, uint16_t value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

const SuiteInfo* preferred_suite(const Config& config, const messages::ClientHello& hello) {
    for (uint16_t code : configured_suites(config)) {
        if (contains(hello.cipher_suites, code)) return find_suite(code);
    }
    return nullptr;
}

std::optional<GroupChoice> preferred_group(const Config& config, const messages::ClientHello& hello) {
    const messages::Extensions& ext = hello.extensions;
    if (!ext.supported_groups || !ext.key_shares) return std::nullopt;
    std::optional<GroupChoice> supported;
    for (NamedGroup g : config.groups) {
        const auto code = static_cast<uint16_t>(g);
        if (!contains(*ext.supported_groups, code)) continue;
        auto share = std::find_if(ext.key_shares->begin(), ext.key_shares->end(),
                                  [&](const messages::KeyShareEntry& e) { return e.group == code; });
        if (share != ext.key_shares->end()) return GroupChoice{g, &*share};
        if (!supported) supported = GroupChoice{g, nullptr};
    }
    return supported;
}

}  // namespace dtls::tls13
