// --psk, --psk-identity and --psk-hint (pre-shared keys, DTLS 1.2), and
// --cipher-suites, for the client and server commands.
#include <array>

#include "command_line.hpp"
#include "hex.hpp"

namespace dtls_tool {

namespace {

// Every suite the library implements, for --cipher-suites by name.
constexpr std::array kAllSuites = {
    dtls::CipherSuite::aes128_gcm_sha256,
    dtls::CipherSuite::aes256_gcm_sha384,
    dtls::CipherSuite::chacha20_poly1305_sha256,
    dtls::CipherSuite::aes128_ccm_sha256,
    dtls::CipherSuite::aes128_ccm8_sha256,
    dtls::CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256,
    dtls::CipherSuite::ecdhe_ecdsa_aes256_gcm_sha384,
    dtls::CipherSuite::ecdhe_rsa_aes128_gcm_sha256,
    dtls::CipherSuite::ecdhe_rsa_aes256_gcm_sha384,
    dtls::CipherSuite::ecdhe_rsa_chacha20_poly1305_sha256,
    dtls::CipherSuite::ecdhe_ecdsa_chacha20_poly1305_sha256,
    dtls::CipherSuite::ecdhe_ecdsa_aes128_ccm,
    dtls::CipherSuite::ecdhe_ecdsa_aes128_ccm8,
    dtls::CipherSuite::psk_aes128_gcm_sha256,
    dtls::CipherSuite::psk_aes256_gcm_sha384,
    dtls::CipherSuite::psk_aes128_ccm,
    dtls::CipherSuite::psk_aes128_ccm8,
    dtls::CipherSuite::psk_chacha20_poly1305_sha256,
    dtls::CipherSuite::ecdhe_psk_aes128_gcm_sha256,
    dtls::CipherSuite::ecdhe_psk_aes128_ccm8_sha256,
    dtls::CipherSuite::ecdhe_psk_chacha20_poly1305_sha256,
};

std::string suite_name_to_code(std::string& name) {
    for (dtls::CipherSuite s : kAllSuites) {
        if (name == dtls::to_string(s)) {
            name = std::to_string(static_cast<uint16_t>(s));
            return {};
        }
    }
    return "unknown cipher suite \"" + name + "\" (the IANA name, e.g. TLS_PSK_WITH_AES_128_CCM_8)";
}

dtls::Bytes parse_key(const std::string& text) {
    if (text.empty() || text.size() % 2 != 0) {
        throw CLI::ValidationError("--psk", "KEY must be an even number of hex digits");
    }
    std::optional<dtls::Bytes> key = decode_hex(text);
    if (!key) throw CLI::ValidationError("--psk", "KEY must be hex digits only");
    return *key;
}

}  // namespace

void add_psk_options(CLI::App& command, PskOptions& psk, bool server) {
    CLI::Option* key =
        command
            .add_option_function<std::string>(
                "--psk", [&psk](const std::string& text) { psk.key = parse_key(text); },
                server ? "Accept clients that hold this pre-shared key (hex) under --psk-identity (DTLS 1.2 PSK suites)"
                       : "Use this pre-shared key (hex) under --psk-identity (DTLS 1.2 PSK suites)")
            ->type_name("HEX");
    CLI::Option* identity =
        command.add_option("--psk-identity", psk.identity, "The identity that names the --psk key")->type_name("ID");
    key->needs(identity);
    identity->needs(key);
    if (server) {
        command.add_option("--psk-hint", psk.hint, "Send this PSK identity hint to clients")
            ->type_name("TEXT")
            ->needs(key);
    }
    command
        .add_flag("--psk-without-dhe", psk.without_dhe,
                  "DTLS 1.3: also allow psk_ke, the PSK without a fresh key exchange (no forward secrecy)")
        ->needs(key);
}

CLI::Option* add_cipher_suites_option(CLI::App& command, std::vector<dtls::CipherSuite>& suites) {
    return command
        .add_option("--cipher-suites", suites,
                    "Use only these cipher suites, comma-separated IANA names, in preference order (default: the "
                    "library's, or with --psk its PSK suites)")
        ->delimiter(',')
        ->allow_extra_args(false)
        ->transform(CLI::Validator(suite_name_to_code, ""))
        ->type_name("NAMES");
}

}  // namespace dtls_tool
