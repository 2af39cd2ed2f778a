// A general AEAD, keyed once and then used for record after record: the
// primitive under DTLS 1.3 record protection (RFC 9147 section 4, RFC 8446
// section 5.2). The caller builds each record's 12-byte nonce and additional
// data; seal() and open() work on the text in place, keep the tag apart from
// it, and allocate nothing. (One exception, inside OpenSSL: it reports a CCM
// tag mismatch as an error, and recording an error allocates copies of its
// source file and function names. open() empties the queue again.)
//
// RecordAead (crypto/aead.hpp) is the DTLS 1.2 counterpart, which lets
// OpenSSL's TLS record mode build the nonce; this class takes any nonce.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "dtls/errors.hpp"

namespace dtls::crypto {

class AeadCipher {
public:
    // The AEADs of the TLS 1.3 cipher suites (RFC 8446 section B.4).
    enum class Algorithm {
        aes_128_gcm,
        aes_256_gcm,
        chacha20_poly1305,
        aes_128_ccm,    // 16-byte tag
        aes_128_ccm_8,  // 8-byte tag
    };

    // Every algorithm here takes a 12-byte nonce (RFC 5116 section 3.1).
    static constexpr size_t nonce_length = 12;

    static size_t key_length(Algorithm alg);
    static size_t tag_length(Algorithm alg);

    // Which calls the cipher will serve: a record layer protects one
    // direction per key, and an OpenSSL context costs about a kilobyte.
    enum class Use { seal, open, both };

    // A key of the wrong length is refused (invalid_argument). seal() on a
    // cipher made only to open, or open() on one made only to seal, fails.
    static Result<AeadCipher> create(Algorithm alg, std::span<const uint8_t> key, Use use = Use::both);

    // Movable, not copyable: the object owns OpenSSL's keyed contexts. A
    // moved-from AeadCipher may only be assigned to or destroyed.
    AeadCipher(AeadCipher&&) noexcept;
    AeadCipher& operator=(AeadCipher&&) noexcept;
    ~AeadCipher();

    Algorithm algorithm() const;
    size_t tag_length() const;

    // Encrypts `text` in place and writes the tag (tag_length() bytes). A
    // nonce or tag of the wrong size is refused (invalid_argument) before
    // anything is written; if OpenSSL fails (internal), `text` and `tag` are
    // wiped, so no half-sealed record can be sent by mistake.
    Status seal(std::span<const uint8_t> nonce, std::span<const uint8_t> aad, std::span<uint8_t> text,
                std::span<uint8_t> tag);

    // Decrypts `text` in place if `tag` authenticates nonce, additional data
    // and ciphertext. Otherwise returns false with `text` wiped (never
    // unauthenticated plaintext) and OpenSSL's error queue left empty: a
    // forged record is routine peer input, not an error.
    bool open(std::span<const uint8_t> nonce, std::span<const uint8_t> aad, std::span<uint8_t> text,
              std::span<const uint8_t> tag);

private:
    struct State;
    explicit AeadCipher(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

}  // namespace dtls::crypto
