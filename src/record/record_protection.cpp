#include "record/record_protection.hpp"

#include "crypto/secret.hpp"
#include "wire/writer.hpp"

namespace dtls::record {

namespace {

uint64_t epoch_and_sequence(uint16_t epoch, uint64_t sequence) { return (uint64_t{epoch} << 48) | sequence; }

void make_aad(uint64_t seq64, ContentType type, uint16_t version, size_t plaintext_length,
              uint8_t (&aad)[crypto::RecordAead::aad_length]) {
    for (int i = 0; i < 8; ++i) aad[i] = static_cast<uint8_t>(seq64 >> (56 - 8 * i));
    aad[8] = static_cast<uint8_t>(type);
    aad[9] = static_cast<uint8_t>(version >> 8);
    aad[10] = static_cast<uint8_t>(version);
    aad[11] = static_cast<uint8_t>(plaintext_length >> 8);
    aad[12] = static_cast<uint8_t>(plaintext_length);
}

}  // namespace

Result<RecordProtection> RecordProtection::create(crypto::AeadAlgorithm alg, Direction direction,
                                                  std::span<const uint8_t> key, std::span<const uint8_t> iv) {
    auto aead = crypto::RecordAead::create(alg, direction, key, iv);
    if (!aead) return aead.error();
    return RecordProtection(std::move(*aead));
}

bool RecordProtection::seal(ContentType type, uint16_t version, uint16_t epoch, uint64_t sequence,
                            std::span<const uint8_t> plaintext, std::vector<uint8_t>& out) {
    const uint64_t seq64 = epoch_and_sequence(epoch, sequence);
    const size_t explicit_length = aead_.explicit_nonce_length();
    const size_t body_length = plaintext.size() + overhead();
    if (body_length > crypto::RecordAead::max_body_length) return false;
    const size_t record_at = out.size();

    wire::Writer w(out);
    if (!write_dtls12_header({type, version, epoch, sequence, static_cast<uint16_t>(body_length)}, w)) return false;
    const size_t body_at = out.size();
    out.resize(body_at + explicit_length);  // the cipher writes the explicit nonce
    w.bytes(plaintext);
    out.resize(out.size() + aead_.tag_length());

    // The GCM explicit nonce is the record's own epoch and sequence number,
    // unique per key by construction (RFC 5288 3 leaves the choice to us).
    // Records are sealed in sequence order, so the cipher's counter only
    // needs setting when a sequence number was skipped. (CCM's is always
    // the epoch and sequence number; setting it is a no-op.)
    bool ok = true;
    if (explicit_length != 0 && seq64 != next_explicit_nonce_) ok = aead_.set_next_explicit_nonce(seq64);
    uint8_t aad[crypto::RecordAead::aad_length];
    make_aad(seq64, type, version, plaintext.size(), aad);
    ok = ok && aead_.seal(aad, std::span<uint8_t>(out).subspan(body_at, body_length));
    if (!ok) {
        // Nothing unauthenticated may leave: take the half-written record
        // back, and set the GCM counter afresh before the next record.
        out.resize(record_at);
        next_explicit_nonce_ = ~uint64_t{0};
        return false;
    }
    next_explicit_nonce_ = seq64 + 1;
    return true;
}

std::optional<std::span<uint8_t>> RecordProtection::open(ContentType type, uint16_t version, uint16_t epoch,
                                                         uint64_t sequence, std::span<uint8_t> body) {
    if (body.size() < overhead()) return std::nullopt;
    const uint64_t seq64 = epoch_and_sequence(epoch, sequence);
    const size_t text_length = body.size() - overhead();

    uint8_t aad[crypto::RecordAead::aad_length];
    make_aad(seq64, type, version, text_length, aad);
    std::span<uint8_t> text = body.subspan(aead_.explicit_nonce_length(), text_length);
    if (!aead_.open(aad, body)) {
        crypto::cleanse(text);  // never leave unauthenticated plaintext behind
        return std::nullopt;
    }
    return text;
}

}  // namespace dtls::record
