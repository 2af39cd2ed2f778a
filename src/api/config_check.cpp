#include "api/config_check.hpp"

#include "tls12/cipher_suites.hpp"

namespace dtls {

namespace {
Error invalid(std::string reason) { return Error{ErrorCode::invalid_argument, std::nullopt, std::move(reason)}; }
}  // namespace

bool has_trust_anchors(const Config& config) {
    return !config.ca_file.empty() || !config.ca_path.empty() || !config.ca_pem.empty();
}

Status check_config(const Config& config, Role role) {
    if (config.mtu < Config::min_mtu || config.mtu > Config::max_mtu) {
        return invalid("MTU " + std::to_string(config.mtu) + " is outside " + std::to_string(Config::min_mtu) + ".." +
                       std::to_string(Config::max_mtu));
    }
    if (config.cipher_suites.empty()) return invalid("no cipher suites configured");
    for (CipherSuite s : config.cipher_suites) {
        if (!tls12::find_suite(static_cast<uint16_t>(s))) return invalid("unsupported cipher suite in configuration");
    }
    if (config.groups.empty()) return invalid("no key exchange groups configured");
    if (config.signature_schemes.empty()) return invalid("no signature schemes configured");
    if (config.initial_retransmit_timeout <= Duration::zero() ||
        config.max_retransmit_timeout < config.initial_retransmit_timeout) {
        return invalid("retransmission timeouts must be positive, with max >= initial");
    }
    if (config.handshake_timeout <= Duration::zero()) return invalid("handshake_timeout must be positive");
    for (const std::string& p : config.alpn) {
        if (p.empty() || p.size() > 255) return invalid("ALPN protocol names must be 1 to 255 bytes");
    }
    if (role == Role::server && !config.credential) return invalid("a server needs a certificate and key");
    const bool checks_peer = role == Role::client ? config.verify_peer : config.client_auth != ClientAuth::none;
    if (checks_peer && !config.verifier && !has_trust_anchors(config)) {
        return invalid(role == Role::client
                           ? "verify_peer is on but no CA (ca_file, ca_path, ca_pem) or verifier is configured"
                           : "client_auth is on but no CA (ca_file, ca_path, ca_pem) or verifier is configured");
    }
    return Ok{};
}

}  // namespace dtls
