// The mask that encrypts a DTLS 1.3 record's sequence number (RFC 9147
// section 4.2.3), computed from the first 16 bytes of the record's
// ciphertext with the epoch's sn_key:
//
//   AES-based AEADs:      Mask = AES-ECB(sn_key, Ciphertext[0..15])
//   ChaCha20-Poly1305:    Mask = ChaCha20(sn_key, counter = Ciphertext[0..3]
//                                 read little-endian, nonce = Ciphertext[4..15])
//
// The sender XORs the mask into the sequence number after sealing; the
// receiver XORs it out before it knows which record it has. Keyed once per
// epoch and direction; compute() allocates nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "dtls/errors.hpp"

namespace dtls::crypto {

class RecordNumberMask {
public:
    // The cipher under the epoch's AEAD: AES for the GCM and CCM suites,
    // ChaCha20 for ChaCha20-Poly1305.
    enum class Kind { aes, chacha20 };

    // The ciphertext bytes the mask is computed from, and the mask's length.
    static constexpr size_t sample_length = 16;
    static constexpr size_t mask_length = 16;

    // `key` is the sn_key: 16 or 32 bytes for AES (as the AEAD's key), 32 for
    // ChaCha20. Any other length is refused (invalid_argument).
    static Result<RecordNumberMask> create(Kind kind, std::span<const uint8_t> key);

    RecordNumberMask(RecordNumberMask&&) noexcept;
    RecordNumberMask& operator=(RecordNumberMask&&) noexcept;
    ~RecordNumberMask();

    Kind kind() const { return kind_; }

    // Writes the mask for the record whose ciphertext starts with
    // `ciphertext`; only its first sample_length bytes are read. A shorter
    // ciphertext is refused (invalid_argument): RFC 9147 requires receivers
    // to drop such records and senders to pad so they never occur.
    Status compute(std::span<const uint8_t> ciphertext, std::span<uint8_t, mask_length> mask);

private:
    struct State;
    RecordNumberMask(Kind kind, std::unique_ptr<State> state);
    Kind kind_;
    std::unique_ptr<State> state_;
};

}  // namespace dtls::crypto
