/// @file
/// Certificates for WebRTC-style peers that trust each other by fingerprint
/// (RFC 8122, RFC 8827 6.5): a fresh self-signed credential, and the
/// fingerprint text an SDP `a=fingerprint` line carries.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "dtls/config.hpp"
#include "dtls/errors.hpp"

namespace dtls {

/// The hash functions of a certificate fingerprint this library computes and
/// checks (RFC 8122 5 also names sha-1, md5 and others; they are refused).
enum class FingerprintHash { sha256, sha384, sha512 };

/// The fingerprint of a DER certificate in the RFC 8122 5 form: the hash's
/// name, a space, and the digest as upper-case hex bytes joined by colons
/// ("sha-256 4A:AD:B9:..."). The digest is over the bytes as given (the
/// certificate is not parsed). Empty only if OpenSSL fails.
std::string certificate_fingerprint(std::span<const uint8_t> certificate_der,
                                    FingerprintHash hash = FingerprintHash::sha256);

/// Options for a self-signed credential.
struct SelfSignedOptions {
    std::string common_name = "dtls";                       ///< the subject and issuer CN (UTF-8, 1 to 64 bytes)
    Duration validity = std::chrono::hours(24 * 30);        ///< from one hour ago (clock skew) until now + validity
};

/// A new ECDSA P-256 key and a self-signed certificate for it (random
/// serial number, signed with ecdsa-with-SHA256), as a WebRTC endpoint
/// makes for each call. Its dates come from the system clock (not from an
/// Instant: certificate dates are wall-clock time). Its fingerprint is
/// certificate_fingerprint(credential.chain().front()). Fails with
/// ErrorCode::invalid_argument for an empty name, one longer than 64 bytes
/// (X.520's upper bound on a common name is 64 characters), one holding a
/// NUL byte or not valid UTF-8, or a validity that is not positive, and
/// ErrorCode::credential if OpenSSL fails.
Result<Credential> generate_self_signed_credential(const SelfSignedOptions& options = {});

}  // namespace dtls
