// AEAD protection of one DTLS 1.3 epoch in one direction (RFC 9147 4, RFC
// 8446 5.2 and 5.3):
//  - a record carries the unified header, whose sequence number bits are
//    encrypted with the epoch's sn_key (RFC 9147 4.2.3);
//  - the nonce is the write IV XORed with the 64-bit sequence number;
//  - the additional data is the header as sent, before its sequence number
//    is masked;
//  - the protected plaintext is the DTLSInnerPlaintext: the content, its
//    real content type, then zero padding.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "crypto/aead_cipher.hpp"
#include "crypto/record_number_mask.hpp"
#include "record/content_type.hpp"
#include "record/unified_header.hpp"

namespace dtls::record {

class Dtls13Protection {
public:
    using Algorithm = crypto::AeadCipher::Algorithm;
    enum class Direction { seal, open };

    // How this side writes its headers (RFC 9147 4: the C, S and L bits).
    struct HeaderOptions {
        bool long_sequence = true;       // 16 sequence bits rather than 8
        bool with_length = true;         // only the last record of a datagram may omit it
        std::span<const uint8_t> cid;    // the peer's connection ID, if it gave one
    };

    // `iv` is 12 bytes; `sn_key` is as long as `key` (RFC 9147 4.2.3).
    static Result<Dtls13Protection> create(Algorithm algorithm, Direction direction, std::span<const uint8_t> key,
                                           std::span<const uint8_t> iv, std::span<const uint8_t> sn_key);

    Dtls13Protection(Dtls13Protection&&) noexcept;
    Dtls13Protection& operator=(Dtls13Protection&&) noexcept;
    ~Dtls13Protection();

    // Bytes a record adds to its content: the header, the content type and
    // the tag (plus the padding a short content needs for the mask sample).
    size_t overhead(const HeaderOptions& options, size_t content_length = 0) const;

    // Appends one record of `epoch` (only its low two bits are sent) and
    // `sequence` (its low 8 or 16 bits). False, with `out` as it was, if the
    // content is too long or the cipher fails.
    bool seal(uint64_t epoch, uint64_t sequence, ContentType type, std::span<const uint8_t> content,
              const HeaderOptions& options, std::vector<uint8_t>& out);

    // Removes the mask from the sequence number bits in `header` (in place)
    // and returns them; nothing if `body` is shorter than the 16-byte sample
    // (such a record is rejected as if it had failed deprotection).
    std::optional<uint16_t> unmask_sequence(std::span<uint8_t> header, const UnifiedHeader& parsed,
                                            std::span<const uint8_t> body);

    struct Opened {
        ContentType type{};
        std::span<uint8_t> content;  // inside the body
    };
    // Decrypts a record in place, given its unmasked header and its full
    // sequence number. Nothing if it does not authenticate (the body is then
    // wiped) or holds no content type (all zeros).
    std::optional<Opened> open(std::span<const uint8_t> header, uint64_t sequence, std::span<uint8_t> body);

private:
    struct State;
    explicit Dtls13Protection(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

// The full sequence number whose low `bits` bits are `low`, closest to one
// past `highest` (the highest sequence number deprotected in the epoch so
// far; none yet: 0 is expected next), as RFC 9147 4.2.2 recommends.
uint64_t reconstruct_sequence(std::optional<uint64_t> highest, uint16_t low, unsigned bits);

}  // namespace dtls::record
