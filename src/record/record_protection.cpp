#include "record/record_protection.hpp"

#include <cstring>

#include "crypto/secret.hpp"

#include "wire/writer.hpp"

namespace dtls::record {

namespace {

uint64_t epoch_and_sequence(uint16_t epoch, uint64_t sequence) { return (uint64_t{epoch} << 48) | sequence; }

void make_aad(uint64_t seq64, ContentType type, uint16_t version, size_t plaintext_length, uint8_t (&aad)[13]) {
    for (int i = 0; i < 8; ++i) aad[i] = static_cast<uint8_t>(seq64 >> (56 - 8 * i));
    aad[8] = static_cast<uint8_t>(type);
    aad[9] = static_cast<uint8_t>(version >> 8);
    aad[10] = static_cast<uint8_t>(version);
    aad[11] = static_cast<uint8_t>(plaintext_length >> 8);
    aad[12] = static_cast<uint8_t>(plaintext_length);
}

}  // namespace

Result<RecordProtection> RecordProtection::create(crypto::AeadAlgorithm alg, std::span<const uint8_t> key,
                                                  std::span<const uint8_t> iv) {
    size_t want_iv = alg == crypto::AeadAlgorithm::chacha20_poly1305 ? 12 : 4;
    if (iv.size() != want_iv) return Error{ErrorCode::internal, Alert::internal_error, "record IV has the wrong length"};
    auto aead = crypto::Aead::create(alg, key);
    if (!aead) return aead.error();
    return RecordProtection(alg, std::move(*aead), iv);
}

RecordProtection::RecordProtection(crypto::AeadAlgorithm alg, crypto::Aead aead, std::span<const uint8_t> iv)
    : alg_(alg), aead_(std::move(aead)), iv_length_(iv.size()) {
    std::memcpy(iv_, iv.data(), iv.size());
}

RecordProtection::~RecordProtection() { crypto::cleanse(iv_); }

void RecordProtection::make_nonce(uint64_t seq64, std::span<const uint8_t> explicit_nonce,
                                  uint8_t (&nonce)[12]) const {
    if (alg_ == crypto::AeadAlgorithm::chacha20_poly1305) {
        std::memcpy(nonce, iv_, 12);
        for (int i = 0; i < 8; ++i) nonce[4 + i] ^= static_cast<uint8_t>(seq64 >> (56 - 8 * i));
    } else {
        std::memcpy(nonce, iv_, 4);
        std::memcpy(nonce + 4, explicit_nonce.data(), 8);
    }
}

void RecordProtection::seal(ContentType type, uint16_t version, uint16_t epoch, uint64_t sequence,
                            std::span<const uint8_t> plaintext, std::vector<uint8_t>& out) {
    const uint64_t seq64 = epoch_and_sequence(epoch, sequence);
    const size_t body_length = plaintext.size() + overhead();
    const size_t start = out.size();

    wire::Writer w(out);
    write_record_header({type, version, epoch, sequence, static_cast<uint16_t>(body_length)}, w);
    // The explicit GCM nonce is the record's own epoch and sequence number:
    // unique per key by construction (RFC 5288 3 leaves the choice to us).
    if (explicit_nonce_length() != 0) w.u64(seq64);
    const size_t text_at = out.size();
    w.bytes(plaintext);
    out.resize(out.size() + crypto::Aead::tag_length);

    uint8_t nonce[12];
    make_nonce(seq64, std::span<const uint8_t>(out).subspan(start + kHeaderLength, explicit_nonce_length()), nonce);
    uint8_t aad[13];
    make_aad(seq64, type, version, plaintext.size(), aad);
    std::span<uint8_t> all(out);
    aead_.seal(nonce, aad, all.subspan(text_at, plaintext.size()),
               all.subspan(text_at + plaintext.size(), crypto::Aead::tag_length));
}

std::optional<std::span<uint8_t>> RecordProtection::open(const RecordHeader& header, std::span<uint8_t> fragment) {
    if (fragment.size() < overhead()) return std::nullopt;
    const uint64_t seq64 = epoch_and_sequence(header.epoch, header.sequence);
    const size_t text_length = fragment.size() - overhead();

    uint8_t nonce[12];
    make_nonce(seq64, fragment.first(explicit_nonce_length()), nonce);
    uint8_t aad[13];
    make_aad(seq64, header.type, header.version, text_length, aad);
    std::span<uint8_t> text = fragment.subspan(explicit_nonce_length(), text_length);
    if (!aead_.open(nonce, aad, text, fragment.last(crypto::Aead::tag_length))) {
        crypto::cleanse(text);  // never leave unauthenticated plaintext behind
        return std::nullopt;
    }
    return text;
}

}  // namespace dtls::record
