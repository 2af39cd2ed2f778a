// Certificate fingerprints (RFC 8122 5): the digest of the DER certificate,
// written as the hash's name, a space and colon-separated upper-case hex bytes.
#include "crypto/fingerprint.hpp"

#include <openssl/evp.h>

#include <array>
#include <cstdio>

#include "crypto/openssl_ptr.hpp"
#include "crypto/secret.hpp"

namespace dtls {
namespace {

const EVP_MD* evp_md(FingerprintHash hash) {
    switch (hash) {
        case FingerprintHash::sha256: return EVP_sha256();
        case FingerprintHash::sha384: return EVP_sha384();
        case FingerprintHash::sha512: return EVP_sha512();
    }
    return nullptr;
}

// The name RFC 8122 5 (and the IANA "Hash Function Textual Names" registry)
// gives the hash, in the lower case that registry uses.
const char* hash_name(FingerprintHash hash) {
    switch (hash) {
        case FingerprintHash::sha256: return "sha-256";
        case FingerprintHash::sha384: return "sha-384";
        case FingerprintHash::sha512: return "sha-512";
    }
    return "unknown";
}

size_t digest_length(FingerprintHash hash) {
    switch (hash) {
        case FingerprintHash::sha256: return 32;
        case FingerprintHash::sha384: return 48;
        case FingerprintHash::sha512: return 64;
    }
    return 0;
}

}  // namespace

std::string certificate_fingerprint(std::span<const uint8_t> certificate_der, FingerprintHash hash) {
    Result<std::vector<uint8_t>> digest = crypto::fingerprint_digest(hash, certificate_der);
    if (!digest) {
        return {};
    }
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string text = hash_name(hash);
    text += ' ';
    for (size_t i = 0; i < digest->size(); ++i) {
        if (i != 0) text += ':';
        text += kHex[(*digest)[i] >> 4];
        text += kHex[(*digest)[i] & 0x0F];
    }
    return text;
}

namespace crypto {
namespace {

Error invalid(std::string reason) { return Error{ErrorCode::invalid_argument, std::nullopt, std::move(reason)}; }

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// A piece of the caller's text for a reason: printable ASCII as is, anything
// else as \xNN, and cut short so that a huge input makes no huge message.
std::string quoted(std::string_view text) {
    constexpr size_t kMaxShown = 32;
    std::string out = "\"";
    for (size_t i = 0; i < text.size() && i < kMaxShown; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
            out += static_cast<char>(c);
        } else {
            char escaped[5];
            std::snprintf(escaped, sizeof(escaped), "\\x%02X", c);
            out += escaped;
        }
    }
    if (text.size() > kMaxShown) out += "...";
    out += '"';
    return out;
}

// The hash names of the IANA registry that RFC 8122 5 refers to, which this
// library knows but refuses (too weak, or too rarely used to be worth it).
constexpr std::array<std::string_view, 6> kRefusedHashes = {"md2", "md5", "sha-1", "sha-224", "shake128", "shake256"};

constexpr const char* kAcceptedHashes = "only sha-256, sha-384 and sha-512 are accepted";

}  // namespace

Result<Fingerprint> parse_fingerprint(std::string_view text) {
    if (text.empty()) {
        return invalid("the fingerprint is empty (expected \"sha-256 4A:AD:...\")");
    }
    const size_t separator = text.find_first_of(" \t");
    if (separator == std::string_view::npos) {
        return invalid("fingerprint " + quoted(text) +
                       " has no space between the hash name and the digest (expected \"sha-256 4A:AD:...\")");
    }
    const std::string_view name = text.substr(0, separator);
    const std::string_view hex = text.substr(separator + 1);
    if (name.empty()) {
        return invalid("the fingerprint has no hash name before the digest (expected \"sha-256 4A:AD:...\")");
    }

    Fingerprint fingerprint;
    bool known = false;
    for (FingerprintHash hash : {FingerprintHash::sha256, FingerprintHash::sha384, FingerprintHash::sha512}) {
        if (equals_ignoring_case(name, hash_name(hash))) {
            fingerprint.hash = hash;
            known = true;
        }
    }
    if (!known) {
        for (std::string_view refused : kRefusedHashes) {
            if (equals_ignoring_case(name, refused)) {
                return invalid("fingerprint hash " + quoted(name) + " is not accepted: " + kAcceptedHashes);
            }
        }
        return invalid("unknown fingerprint hash " + quoted(name) + ": " + kAcceptedHashes);
    }

    const size_t expected = digest_length(fingerprint.hash);
    const std::string prefix = std::string("the ") + hash_name(fingerprint.hash) + " fingerprint";
    if (hex.empty()) {
        return invalid(prefix + " has no digest after the hash name");
    }
    // Byte after byte: two hex digits, then a colon unless the text ends.
    // Each malformation is reported as what it is.
    size_t pos = 0;
    while (true) {
        const size_t byte_number = fingerprint.digest.size() + 1;
        if (pos + 2 > hex.size() || hex_value(hex[pos]) < 0 || hex_value(hex[pos + 1]) < 0) {
            if (pos == hex.size()) {
                return invalid(prefix + " ends with ':' (byte " + std::to_string(byte_number) + " is missing)");
            }
            return invalid(prefix + ": byte " + std::to_string(byte_number) + " is not two hex digits: " +
                           quoted(hex.substr(pos, 2)));
        }
        if (fingerprint.digest.size() == expected) {
            return invalid(prefix + " has more than " + std::to_string(expected) + " bytes");
        }
        fingerprint.digest.push_back(static_cast<uint8_t>(hex_value(hex[pos]) << 4 | hex_value(hex[pos + 1])));
        pos += 2;
        if (pos == hex.size()) {
            break;
        }
        if (hex[pos] == ':') {
            ++pos;
            continue;
        }
        if (hex_value(hex[pos]) >= 0) {
            return invalid(prefix + " is missing the ':' after byte " + std::to_string(byte_number));
        }
        if (fingerprint.digest.size() == expected) {
            return invalid(prefix + " has trailing characters after its " + std::to_string(expected) +
                           " bytes: " + quoted(hex.substr(pos)));
        }
        return invalid(prefix + ": unexpected character " + quoted(hex.substr(pos, 1)) + " after byte " +
                       std::to_string(byte_number) + " (bytes are two hex digits separated by ':')");
    }
    if (fingerprint.digest.size() != expected) {
        return invalid(prefix + " has " + std::to_string(fingerprint.digest.size()) + " bytes; expected " +
                       std::to_string(expected));
    }
    return fingerprint;
}

Result<std::vector<uint8_t>> fingerprint_digest(FingerprintHash hash, std::span<const uint8_t> certificate_der) {
    const EVP_MD* md = evp_md(hash);
    std::vector<uint8_t> out(digest_length(hash));
    unsigned int len = 0;
    if (md == nullptr || out.empty() ||
        EVP_Digest(certificate_der.data(), certificate_der.size(), out.data(), &len, md, nullptr) != 1 ||
        len != out.size()) {
        return Error{ErrorCode::internal, std::nullopt,
                     "OpenSSL failed to compute a certificate fingerprint: " + detail::take_openssl_error()};
    }
    return out;
}

Result<bool> matches_any_fingerprint(std::span<const uint8_t> certificate_der,
                                     const std::vector<std::string>& expected) {
    // Each hash is computed at most once, however many entries use it.
    std::array<std::vector<uint8_t>, 3> digests;
    bool matched = false;
    for (const std::string& text : expected) {
        Result<Fingerprint> fingerprint = parse_fingerprint(text);
        if (!fingerprint) {
            return fingerprint.error();
        }
        std::vector<uint8_t>& digest = digests[static_cast<size_t>(fingerprint->hash)];
        if (digest.empty()) {
            Result<std::vector<uint8_t>> computed = fingerprint_digest(fingerprint->hash, certificate_der);
            if (!computed) {
                return computed.error();
            }
            digest = std::move(computed.value());
        }
        // No early exit: every entry is compared, each in constant time.
        matched = equal_constant_time(digest, fingerprint->digest) || matched;
    }
    return matched;
}

}  // namespace crypto
}  // namespace dtls
