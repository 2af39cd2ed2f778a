// HKDF (RFC 5869) and HKDF-Expand-Label (RFC 8446 section 7.1): the key
// derivation under the (D)TLS 1.3 key schedule. Every result is a secret, so
// it comes back as SecretBytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "crypto/hash.hpp"
#include "crypto/secret.hpp"
#include "dtls/errors.hpp"

namespace dtls::crypto {

// The prefix HKDF-Expand-Label puts before every label. DTLS 1.3 uses its own
// (RFC 9147 section 5.9) so that its keys never equal TLS 1.3's; it has no
// trailing space, which keeps the longest labels inside one hash block.
inline constexpr std::string_view tls13_label_prefix = "tls13 ";
inline constexpr std::string_view dtls13_label_prefix = "dtls13";

// HKDF-Extract(salt, IKM) = HMAC-Hash(salt, IKM), hash_length(alg) bytes. An
// empty salt means a string of hash_length(alg) zeros (RFC 5869 section 2.2),
// which is also what RFC 8446 writes as "0".
Result<SecretBytes> hkdf_extract(HashAlgorithm alg, std::span<const uint8_t> salt, std::span<const uint8_t> ikm);

// HKDF-Expand(PRK, info, L). L may be at most 255 * hash_length(alg)
// (invalid_argument beyond); L = 0 gives an empty result. OpenSSL takes at
// most 32 KiB of info (internal error beyond); an HkdfLabel is at most 514.
Result<SecretBytes> hkdf_expand(HashAlgorithm alg, std::span<const uint8_t> prk, std::span<const uint8_t> info,
                                size_t length);

// HKDF-Expand(Secret, HkdfLabel, Length) with
//
//   struct {
//       uint16 length = Length;
//       opaque label<7..255> = label_prefix + label;
//       opaque context<0..255> = context;
//   } HkdfLabel;
//
// Refused (invalid_argument): a prefixed label over 255 bytes, a context over
// 255 bytes, a length over 255 * hash_length(alg). The lower bound of 7 is not
// checked: HkdfLabel never goes on the wire, and every label TLS 1.3 and
// DTLS 1.3 define meets it.
Result<SecretBytes> hkdf_expand_label(HashAlgorithm alg, std::span<const uint8_t> secret,
                                      std::string_view label_prefix, std::string_view label,
                                      std::span<const uint8_t> context, size_t length);

}  // namespace dtls::crypto
