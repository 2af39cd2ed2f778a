// An independent TLS 1.3 key derivation for the tests to compare with: built
// here from OpenSSL's one-shot SHA256()/SHA384() and HMAC(), with HkdfLabel
// assembled byte by byte, and sharing no code with src/ (not crypto/hkdf,
// not tls13/key_derivation). A mistake in the library then has to be made a
// second time, differently, to go unnoticed. The builder of HkdfLabel is
// itself checked against the "info" bytes RFC 8448 prints.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "crypto/hash.hpp"

namespace dtls::tls13::testing {

std::vector<uint8_t> reference_hash(crypto::HashAlgorithm alg, std::span<const uint8_t> data);
std::vector<uint8_t> reference_hmac(crypto::HashAlgorithm alg, std::span<const uint8_t> key,
                                    std::span<const uint8_t> data);

// RFC 5869 2.2: HMAC(salt, IKM), a missing salt being Hash.length zeros.
std::vector<uint8_t> reference_extract(crypto::HashAlgorithm alg, std::span<const uint8_t> salt,
                                       std::span<const uint8_t> ikm);

// RFC 5869 2.3: T(i) = HMAC(PRK, T(i-1) | info | i), the first `length`
// bytes of T(1) | T(2) | ...; one block for anything up to Hash.length.
std::vector<uint8_t> reference_expand(crypto::HashAlgorithm alg, std::span<const uint8_t> prk,
                                      std::span<const uint8_t> info, size_t length);

// RFC 8446 7.1's HkdfLabel: uint16 length, opaque label<7..255> (the prefix
// and label together), opaque context<0..255>.
std::vector<uint8_t> reference_hkdf_label(std::string_view full_label, std::span<const uint8_t> context,
                                          uint16_t length);

std::vector<uint8_t> reference_expand_label(crypto::HashAlgorithm alg, std::string_view prefix,
                                            std::span<const uint8_t> secret, std::string_view label,
                                            std::span<const uint8_t> context, size_t length);

// Derive-Secret(Secret, Label, Messages) from the messages themselves.
std::vector<uint8_t> reference_derive_secret(crypto::HashAlgorithm alg, std::string_view prefix,
                                             std::span<const uint8_t> secret, std::string_view label,
                                             std::span<const uint8_t> messages);

}  // namespace dtls::tls13::testing
