// Certificate fingerprints in the RFC 8122 5 text form ("sha-256 4A:AD:..."):
// parsing the text a configuration holds, and matching a peer's certificate
// against it. Formatting is dtls::certificate_fingerprint (dtls/certificate.hpp).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dtls/certificate.hpp"
#include "dtls/errors.hpp"

namespace dtls::crypto {

struct Fingerprint {
    FingerprintHash hash = FingerprintHash::sha256;
    std::vector<uint8_t> digest;  // as many bytes as the hash's output
};

// Parses "sha-256 4A:AD:..." (hash name case-insensitive, hex either case,
// exactly the hash's length in colon-separated byte pairs, one space or tab
// between the two parts, no other characters). ErrorCode::invalid_argument
// with a reason naming the problem ("fingerprint hash \"md5\" is not
// accepted: ...", "unknown fingerprint hash \"sha256\": ...", ...).
Result<Fingerprint> parse_fingerprint(std::string_view text);

// The digest of a DER certificate with the fingerprint's hash; an error only
// when OpenSSL fails.
Result<std::vector<uint8_t>> fingerprint_digest(FingerprintHash hash, std::span<const uint8_t> certificate_der);

// Whether `certificate_der` matches any of `expected` (each already valid:
// the configuration check parsed them). Digests are compared in constant
// time. An error when a text does not parse or OpenSSL fails.
Result<bool> matches_any_fingerprint(std::span<const uint8_t> certificate_der,
                                     const std::vector<std::string>& expected);

}  // namespace dtls::crypto
