// AEAD protection of one DTLS 1.2 epoch in one direction (RFC 6347 4.1.2):
// AES-GCM per RFC 5288 (4-byte implicit salt, 8-byte explicit nonce carried
// in the record, here always the record's epoch||sequence), AES-CCM and
// AES-CCM_8 per RFC 6655 and RFC 7251 (the same nonce; a 16- or 8-byte tag)
// and ChaCha20-Poly1305 per RFC 7905 (12-byte IV XORed with the sequence, no
// explicit nonce). The additional data is the 64-bit epoch||sequence, type,
// version and plaintext length (RFC 6347 4.1.2.1).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "crypto/aead.hpp"
#include "record/dtls12_header.hpp"

namespace dtls::record {

class RecordProtection {
public:
    using Direction = crypto::RecordAead::Direction;

    // `iv` is the 4-byte salt for GCM and CCM or the 12-byte IV for ChaCha20. A
    // protection either seals (our writes) or opens (the peer's records).
    static Result<RecordProtection> create(crypto::AeadAlgorithm alg, Direction direction,
                                           std::span<const uint8_t> key, std::span<const uint8_t> iv);

    RecordProtection(RecordProtection&&) noexcept = default;
    RecordProtection& operator=(RecordProtection&&) noexcept = default;
    ~RecordProtection() = default;

    // Bytes a protected record adds to its plaintext (beyond the header): the
    // explicit nonce and the tag, whose length depends on the suite (CCM_8's
    // is 8 bytes), so the payload and fragment sizes at an MTU do too.
    size_t overhead() const { return aead_.explicit_nonce_length() + aead_.tag_length(); }

    // Appends a whole protected record (header included) to `out`. False
    // (with `out` as it was) if the cipher fails.
    bool seal(ContentType type, uint16_t version, uint16_t epoch, uint64_t sequence,
              std::span<const uint8_t> plaintext, std::vector<uint8_t>& out);

    // Decrypts the record body in place. Returns the plaintext (a view into
    // `body`) or nothing if the record does not authenticate.
    std::optional<std::span<uint8_t>> open(ContentType type, uint16_t version, uint16_t epoch, uint64_t sequence,
                                           std::span<uint8_t> body);

private:
    explicit RecordProtection(crypto::RecordAead aead) : aead_(std::move(aead)) {}

    crypto::RecordAead aead_;
    // The GCM explicit nonce the cipher writes next; kept equal to the
    // record's epoch||sequence.
    uint64_t next_explicit_nonce_ = 0;
};

}  // namespace dtls::record
