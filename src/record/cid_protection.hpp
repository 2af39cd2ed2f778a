// AEAD protection of one DTLS 1.2 epoch in one direction for records that
// carry a connection ID (RFC 9146 4 and 5.3): the tls12_cid header with the
// CID, a DTLSInnerPlaintext (content, real content type, zero padding)
// inside, and the additional data of RFC 9146 5.3:
//
//   seq_num_placeholder(8 x 0xff) tls12_cid cid_length tls12_cid version
//   epoch sequence_number cid length_of_DTLSInnerPlaintext
//
// The nonce is the suite's DTLS 1.2 one (record_protection.hpp): for AES-GCM
// and AES-CCM the 4-byte salt and an 8-byte explicit part (the record's
// epoch||sequence, carried at the start of the body), for ChaCha20-Poly1305
// the 12-byte IV XORed with epoch||sequence. OpenSSL's TLS record mode only
// knows RFC 6347's 13-byte additional data, so this goes through the general
// AEAD (crypto/aead_cipher.hpp) and builds the nonce itself.
//
// A sealing protection writes the peer's CID; an opening one accepts only
// records that carry ours.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "crypto/aead.hpp"
#include "crypto/aead_cipher.hpp"
#include "dtls/config.hpp"
#include "record/content_type.hpp"

namespace dtls::record {

class CidProtection {
public:
    using Direction = crypto::RecordAead::Direction;

    // `iv` as for RecordProtection: the 4-byte salt (GCM, CCM) or the
    // 12-byte IV (ChaCha20). `cid` (1..255 bytes): the CID our records carry
    // (sealing) or the one the peer's must carry (opening).
    static Result<CidProtection> create(crypto::AeadAlgorithm alg, Direction direction, std::span<const uint8_t> key,
                                        std::span<const uint8_t> iv, std::span<const uint8_t> cid);

    CidProtection(CidProtection&&) noexcept;
    CidProtection& operator=(CidProtection&&) noexcept;
    ~CidProtection();

    const Bytes& cid() const;

    // Bytes a record adds to its content, header included: the header with
    // the CID, the explicit nonce, the real content type byte and the tag.
    size_t overhead() const;

    // Appends one whole record. False (with `out` as it was) if the content
    // is too long or the cipher fails.
    bool seal(ContentType type, uint16_t epoch, uint64_t sequence, std::span<const uint8_t> content,
              std::vector<uint8_t>& out);

    struct Opened {
        ContentType type{};          // the real content type
        std::span<uint8_t> content;  // inside `body`, padding removed
    };
    // Decrypts `body` in place. `cid` is the record's. Nothing if the CID
    // is not ours, the record does not authenticate, or its inner plaintext
    // holds no content type (all zeros) or is too long.
    std::optional<Opened> open(uint16_t version, uint16_t epoch, uint64_t sequence, std::span<const uint8_t> cid,
                               std::span<uint8_t> body);

private:
    struct State;
    explicit CidProtection(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

}  // namespace dtls::record
