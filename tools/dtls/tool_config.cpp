#include "tool_config.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "dtls/certificate.hpp"
#include "failure.hpp"

namespace dtls_tool {

dtls::Result<std::shared_ptr<const dtls::Credential>> load_credential(const std::string& cert_path,
                                                                       const std::string& key_path) {
    auto credential = dtls::Credential::from_files(cert_path, key_path);
    if (!credential) return failure(credential.error().to_string());
    return std::make_shared<const dtls::Credential>(std::move(*credential));
}

dtls::Result<std::shared_ptr<const dtls::Credential>> self_signed_credential() {
    auto credential = dtls::generate_self_signed_credential();
    if (!credential) return failure("cannot make a self-signed certificate: " + credential.error().reason);
    return std::make_shared<const dtls::Credential>(std::move(*credential));
}

void print_fingerprint(const dtls::Credential& credential) {
    std::fprintf(stderr, "fingerprint: %s\n", dtls::certificate_fingerprint(credential.chain().front()).c_str());
}

dtls::Result<std::shared_ptr<const dtls::Credential>> load_raw_key_credential(const std::string& key_path) {
    auto credential = dtls::Credential::raw_public_key_from_file(key_path);
    if (!credential) return failure(credential.error().to_string());
    return std::make_shared<const dtls::Credential>(std::move(*credential));
}

dtls::Result<std::vector<dtls::Bytes>> load_raw_public_keys(const std::vector<std::string>& paths) {
    std::vector<dtls::Bytes> keys;
    for (const std::string& path : paths) {
        auto key = dtls::public_key_from_file(path);
        if (!key) return failure(key.error().to_string());
        keys.push_back(std::move(*key));
    }
    return keys;
}

dtls::Status check_ca_file(const std::string& path) {
    if (path.empty() || ::access(path.c_str(), R_OK) == 0) return dtls::Ok{};
    return system_failure("cannot read CA file '" + path + "'");
}

void apply_psk(const PskOptions& psk, const std::vector<dtls::CipherSuite>& cipher_suites, bool with_certificates,
               dtls::Config& config) {
    if (!psk.key.empty()) {
        config.psk.emplace(psk.identity, psk.key);
        config.psk_identity_hint = psk.hint;
        config.psk_without_dhe = psk.without_dhe;
        const std::vector<dtls::CipherSuite> psk_suites = {
            dtls::CipherSuite::ecdhe_psk_aes128_gcm_sha256,  dtls::CipherSuite::ecdhe_psk_chacha20_poly1305_sha256,
            dtls::CipherSuite::ecdhe_psk_aes128_ccm8_sha256, dtls::CipherSuite::psk_aes128_gcm_sha256,
            dtls::CipherSuite::psk_aes256_gcm_sha384,        dtls::CipherSuite::psk_chacha20_poly1305_sha256,
            dtls::CipherSuite::psk_aes128_ccm,               dtls::CipherSuite::psk_aes128_ccm8,
        };
        if (!with_certificates) {
            // DTLS 1.3 uses the key as an external PSK, which has SHA-256.
            config.cipher_suites = {dtls::CipherSuite::aes128_gcm_sha256,
                                    dtls::CipherSuite::chacha20_poly1305_sha256,
                                    dtls::CipherSuite::aes128_ccm_sha256};
            config.cipher_suites.insert(config.cipher_suites.end(), psk_suites.begin(), psk_suites.end());
        } else {
            config.cipher_suites.insert(config.cipher_suites.end(), psk_suites.begin(), psk_suites.end());
        }
    }
    if (!cipher_suites.empty()) config.cipher_suites = cipher_suites;
}

dtls::Duration seconds(double value) {
    return std::chrono::duration_cast<dtls::Duration>(std::chrono::duration<double>(value));
}

}  // namespace dtls_tool
