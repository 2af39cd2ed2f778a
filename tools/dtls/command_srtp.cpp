// --srtp, --srtp-mki and --export: DTLS-SRTP (RFC 5764) and keying material
// export (RFC 5705), for the client and server commands. Each value is
// checked and converted while the command line is parsed, so a bad one is a
// usage error that names it.
#include <charconv>
#include <string>

#include "command_line.hpp"
#include "hex.hpp"

namespace dtls_tool {

namespace {

constexpr dtls::SrtpProfile srtp_profiles[] = {
    dtls::SrtpProfile::aes128_cm_hmac_sha1_80,
    dtls::SrtpProfile::aes128_cm_hmac_sha1_32,
    dtls::SrtpProfile::aead_aes_128_gcm,
    dtls::SrtpProfile::aead_aes_256_gcm,
};

// RFC 5764 4.1.1: opaque srtp_mki<0..255>.
constexpr size_t max_mki_bytes = 255;
// The material is printed on one line: far more than any SRTP profile needs
// (88 bytes at most), and well within what a DTLS 1.3 exporter can give.
constexpr size_t max_export_bytes = 1024;

std::string known_profiles() {
    std::string out;
    for (dtls::SrtpProfile profile : srtp_profiles) out += std::string(out.empty() ? "" : ", ") + to_string(profile);
    return out;
}

// Turns a profile's registered name into its code point, which CLI11 then
// reads into the enum.
std::string srtp_name_to_code(std::string& name) {
    for (dtls::SrtpProfile profile : srtp_profiles) {
        if (name == to_string(profile)) {
            name = std::to_string(static_cast<uint16_t>(profile));
            return {};
        }
    }
    return "unknown SRTP profile \"" + name + "\" (known: " + known_profiles() + ")";
}

dtls::Bytes parse_mki(const std::string& text) {
    if (text.empty() || text.size() % 2 != 0 || text.size() / 2 > max_mki_bytes) {
        throw CLI::ValidationError("--srtp-mki", "expected 1 to 255 bytes as hex digits (\"0a0b\"), got \"" + text +
                                                     "\"");
    }
    std::optional<dtls::Bytes> mki = decode_hex(text);
    if (!mki) throw CLI::ValidationError("--srtp-mki", "\"" + text + "\" is not hex digits");
    return *mki;
}

// LABEL:LENGTH, split at the last colon: a label may hold colons, a length
// cannot.
ExportRequest parse_export(const std::string& text) {
    const size_t colon = text.rfind(':');
    ExportRequest request;
    if (colon == std::string::npos || colon == 0) {
        throw CLI::ValidationError("--export", "expected LABEL:LENGTH (\"EXTRACTOR-dtls_srtp:60\"), got \"" + text +
                                                   "\"");
    }
    request.label = text.substr(0, colon);
    const char* first = text.data() + colon + 1;
    const char* last = text.data() + text.size();
    const auto [end, error] = std::from_chars(first, last, request.length);
    if (error != std::errc{} || end != last || request.length == 0 || request.length > max_export_bytes) {
        throw CLI::ValidationError("--export", "LENGTH must be a number of bytes from 1 to " +
                                                   std::to_string(max_export_bytes) + ", got \"" +
                                                   std::string(first, last) + "\"");
    }
    return request;
}

}  // namespace

CLI::Option* add_srtp_option(CLI::App& command, std::vector<dtls::SrtpProfile>& profiles, const std::string& what) {
    return command.add_option("--srtp", profiles, what + ", comma-separated, in preference order: " + known_profiles())
        ->delimiter(',')
        ->allow_extra_args(false)  // or CLI11 reads the client's target as one more name
        ->transform(CLI::Validator(srtp_name_to_code, ""))
        ->type_name("PROFILES");
}

CLI::Option* add_srtp_mki_option(CLI::App& command, dtls::Bytes& mki) {
    return command
        .add_option_function<std::string>(
            "--srtp-mki", [&mki](const std::string& text) { mki = parse_mki(text); },
            "Offer this SRTP master key identifier (1 to 255 bytes, hex) with --srtp")
        ->type_name("HEX");
}

CLI::Option* add_export_option(CLI::App& command, std::optional<ExportRequest>& request) {
    return command
        .add_option_function<std::string>(
            "--export", [&request](const std::string& text) { request = parse_export(text); },
            "After the handshake, print LENGTH bytes of keying material exported with LABEL (RFC 5705, no "
            "context), in hex; EXTRACTOR-dtls_srtp gives the SRTP keys")
        ->type_name("LABEL:LENGTH");
}

}  // namespace dtls_tool
