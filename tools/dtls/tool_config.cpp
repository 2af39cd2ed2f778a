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

dtls::Duration seconds(double value) {
    return std::chrono::duration_cast<dtls::Duration>(std::chrono::duration<double>(value));
}

}  // namespace dtls_tool
