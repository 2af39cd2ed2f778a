// AEAD protection of (D)TLS 1.2 records in one direction. A context is keyed
// once; each record is then one call that seals or opens the whole record
// body in place, through OpenSSL's TLS record mode (the path libssl itself
// uses), so the nonce is built inside and nothing is allocated per record.
//
//   AES-GCM (RFC 5288): nonce = 4-byte salt || 8-byte explicit nonce, which
//     travels at the start of the record body.
//   AES-CCM and AES-CCM_8 (RFC 6655 3, RFC 7251 2): the same nonce as GCM;
//     a 16-byte tag, or an 8-byte one for CCM_8.
//   ChaCha20-Poly1305 (RFC 7905): nonce = 12-byte IV XOR the 64-bit
//     epoch||sequence from the additional data; no explicit nonce.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "dtls/errors.hpp"

namespace dtls::crypto {

enum class AeadAlgorithm { aes_128_gcm, aes_256_gcm, chacha20_poly1305, aes_128_ccm, aes_128_ccm_8 };

size_t aead_key_length(AeadAlgorithm alg);
// The `iv` create() takes: the GCM or CCM salt, or the ChaCha20 IV.
size_t aead_iv_length(AeadAlgorithm alg);
// Bytes before the ciphertext in a record body: the GCM or CCM explicit nonce.
size_t aead_explicit_nonce_length(AeadAlgorithm alg);
// Bytes after the ciphertext: 8 for CCM_8, 16 for the others.
size_t aead_tag_length(AeadAlgorithm alg);

class RecordAead {
public:
    enum class Direction { seal, open };
    // epoch||sequence (8), type, version (2), plaintext length (2).
    static constexpr size_t aad_length = 13;
    // The additional data's 16-bit length field bounds a record body.
    static constexpr size_t max_body_length = 0xffff;

    static Result<RecordAead> create(AeadAlgorithm alg, Direction direction, std::span<const uint8_t> key,
                                     std::span<const uint8_t> iv);

    RecordAead(RecordAead&&) noexcept;
    RecordAead& operator=(RecordAead&&) noexcept;
    ~RecordAead();

    size_t explicit_nonce_length() const { return explicit_nonce_length_; }
    size_t tag_length() const { return tag_length_; }

    // GCM sealing: the explicit nonce the next seal() writes. Each seal()
    // writes the current value and counts it up by one (OpenSSL keeps the
    // counter). No effect for CCM, whose explicit nonce OpenSSL always takes
    // from the additional data's epoch||sequence, nor for ChaCha20-Poly1305.
    // False if OpenSSL fails.
    bool set_next_explicit_nonce(uint64_t value);

    // `body` is [explicit nonce][plaintext][tag], the first and last parts
    // room to be written. The additional data is in RFC form (its length
    // field is the plaintext length). False if the sizes are impossible or
    // OpenSSL fails; `body` must then not be sent.
    bool seal(std::span<const uint8_t, aad_length> aad, std::span<uint8_t> body);

    // `body` is [explicit nonce][ciphertext][tag]; on success the plaintext
    // is in place between the nonce and the tag. On failure `body` holds
    // unspecified bytes that must not be used.
    bool open(std::span<const uint8_t, aad_length> aad, std::span<uint8_t> body);

private:
    struct State;
    RecordAead(std::unique_ptr<State> s, size_t explicit_nonce_length, size_t tag_length);
    std::unique_ptr<State> state_;
    size_t explicit_nonce_length_ = 0;
    size_t tag_length_ = 0;
};

}  // namespace dtls::crypto
