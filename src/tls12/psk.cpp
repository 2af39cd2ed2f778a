#include "tls12/psk.hpp"

#include <algorithm>
#include <string_view>

namespace dtls::tls12 {

namespace {

void put_u16(uint8_t* out, size_t value) {
    out[0] = static_cast<uint8_t>(value >> 8);
    out[1] = static_cast<uint8_t>(value);
}

}  // namespace

bool server_has_psk(const Config& config) { return config.psk_lookup || config.psk; }

std::optional<crypto::SecretBytes> find_psk(const Config& config, std::span<const uint8_t> identity) {
    const std::string_view name(reinterpret_cast<const char*>(identity.data()), identity.size());
    if (config.psk_lookup) {
        std::optional<Bytes> key = config.psk_lookup(name);
        if (!key) return std::nullopt;
        crypto::SecretBytes secret(*key);
        crypto::cleanse(*key);
        // An empty key would make the premaster secret public.
        if (secret.empty()) return std::nullopt;
        return secret;
    }
    if (config.psk && config.psk->identity() == name) return crypto::SecretBytes(config.psk->key());
    return std::nullopt;
}

crypto::SecretBytes psk_premaster(std::span<const uint8_t> ecdhe_secret, std::span<const uint8_t> psk) {
    const size_t other_length = ecdhe_secret.empty() ? psk.size() : ecdhe_secret.size();
    crypto::SecretBytes out(2 + other_length + 2 + psk.size());
    uint8_t* p = out.data();
    put_u16(p, other_length);
    p += 2;
    // Zeros for the PSK alone: SecretBytes starts zeroed.
    if (!ecdhe_secret.empty()) std::copy(ecdhe_secret.begin(), ecdhe_secret.end(), p);
    p += other_length;
    put_u16(p, psk.size());
    p += 2;
    std::copy(psk.begin(), psk.end(), p);
    return out;
}

}  // namespace dtls::tls12
