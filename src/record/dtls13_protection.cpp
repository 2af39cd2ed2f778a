#include "record/dtls13_protection.hpp"

#include <algorithm>

#include "crypto/secret.hpp"
#include "wire/writer.hpp"

namespace dtls::record {

namespace {

constexpr size_t kIvLength = crypto::AeadCipher::nonce_length;

crypto::RecordNumberMask::Kind mask_kind(crypto::AeadCipher::Algorithm algorithm) {
    return algorithm == crypto::AeadCipher::Algorithm::chacha20_poly1305 ? crypto::RecordNumberMask::Kind::chacha20
                                                                         : crypto::RecordNumberMask::Kind::aes;
}

// Where the sequence number bits sit in a unified header: after the first
// byte and the connection ID.
size_t sequence_offset(size_t cid_length) { return 1 + cid_length; }

}  // namespace

struct Dtls13Protection::State {
    crypto::AeadCipher cipher;
    crypto::RecordNumberMask mask;
    std::array<uint8_t, kIvLength> iv{};
    size_t tag_length = 0;

    ~State() { crypto::cleanse(iv); }

    // RFC 8446 5.3: the IV XORed with the sequence number, left-padded.
    std::array<uint8_t, kIvLength> nonce(uint64_t sequence) const {
        std::array<uint8_t, kIvLength> n = iv;
        for (size_t i = 0; i < 8; ++i) n[kIvLength - 1 - i] ^= static_cast<uint8_t>(sequence >> (8 * i));
        return n;
    }

    // XORs the leading bytes of the mask made from `sample` into `bits`.
    bool apply_mask(std::span<const uint8_t> sample, std::span<uint8_t> bits) {
        std::array<uint8_t, crypto::RecordNumberMask::mask_length> m;
        if (!mask.compute(sample, m)) return false;
        for (size_t i = 0; i < bits.size(); ++i) bits[i] ^= m[i];
        return true;
    }

    // Zero padding that makes the ciphertext long enough for the mask sample.
    size_t padding_for(size_t content_length) const {
        const size_t ciphertext = content_length + 1 + tag_length;
        return ciphertext >= crypto::RecordNumberMask::sample_length
                   ? 0
                   : crypto::RecordNumberMask::sample_length - ciphertext;
    }
};

Dtls13Protection::Dtls13Protection(std::unique_ptr<State> state) : state_(std::move(state)) {}
Dtls13Protection::Dtls13Protection(Dtls13Protection&&) noexcept = default;
Dtls13Protection& Dtls13Protection::operator=(Dtls13Protection&&) noexcept = default;
Dtls13Protection::~Dtls13Protection() = default;

Result<Dtls13Protection> Dtls13Protection::create(Algorithm algorithm, Direction direction,
                                                  std::span<const uint8_t> key, std::span<const uint8_t> iv,
                                                  std::span<const uint8_t> sn_key) {
    if (iv.size() != kIvLength) return Error{ErrorCode::invalid_argument, std::nullopt, "record IV is not 12 bytes"};
    auto cipher = crypto::AeadCipher::create(
        algorithm, key, direction == Direction::seal ? crypto::AeadCipher::Use::seal : crypto::AeadCipher::Use::open);
    if (!cipher) return cipher.error();
    auto mask = crypto::RecordNumberMask::create(mask_kind(algorithm), sn_key);
    if (!mask) return mask.error();
    auto state = std::unique_ptr<State>(new State{std::move(*cipher), std::move(*mask), {}, 0});
    std::copy(iv.begin(), iv.end(), state->iv.begin());
    state->tag_length = crypto::AeadCipher::tag_length(algorithm);
    return Dtls13Protection(std::move(state));
}

size_t Dtls13Protection::overhead(const HeaderOptions& options, size_t content_length) const {
    const UnifiedHeader header{0, options.cid, options.long_sequence, 0, options.with_length};
    return unified_header_length(header) + 1 + state_->padding_for(content_length) + state_->tag_length;
}

bool Dtls13Protection::seal(uint64_t epoch, uint64_t sequence, ContentType type, std::span<const uint8_t> content,
                            const HeaderOptions& options, std::vector<uint8_t>& out) {
    const size_t padding = state_->padding_for(content.size());
    const size_t body_length = content.size() + 1 + padding + state_->tag_length;
    if (content.size() > kMaxPlaintextLength || body_length > 0xFFFF) return false;
    const size_t record_at = out.size();
    const uint16_t sequence_bits = options.long_sequence ? static_cast<uint16_t>(sequence) : (sequence & 0xFF);
    const UnifiedHeader header{static_cast<uint8_t>(epoch & 3), options.cid, options.long_sequence, sequence_bits,
                               options.with_length};
    wire::Writer w(out);
    if (!write_unified_header(header, static_cast<uint16_t>(body_length), w)) return false;
    const size_t header_length = out.size() - record_at;
    w.bytes(content);
    w.u8(static_cast<uint8_t>(type));
    out.resize(out.size() + padding + state_->tag_length, 0);

    std::span<uint8_t> record = std::span<uint8_t>(out).subspan(record_at);
    std::span<uint8_t> text = record.subspan(header_length, content.size() + 1 + padding);
    std::span<uint8_t> tag = record.subspan(header_length + text.size(), state_->tag_length);
    const auto nonce = state_->nonce(sequence);
    // The header goes into the additional data as it is now, unmasked.
    const bool ok = state_->cipher.seal(nonce, record.first(header_length), text, tag).ok() &&
                    state_->apply_mask(record.subspan(header_length),
                                       record.subspan(sequence_offset(options.cid.size()),
                                                      options.long_sequence ? 2 : 1));
    if (!ok) {
        out.resize(record_at);
        return false;
    }
    return true;
}

std::optional<uint16_t> Dtls13Protection::unmask_sequence(std::span<uint8_t> header, const UnifiedHeader& parsed,
                                                          std::span<const uint8_t> body) {
    if (body.size() < crypto::RecordNumberMask::sample_length) return std::nullopt;
    const size_t length = parsed.long_sequence ? 2 : 1;
    const size_t at = sequence_offset(parsed.cid.size());
    if (header.size() < at + length) return std::nullopt;
    std::span<uint8_t> bits = header.subspan(at, length);
    if (!state_->apply_mask(body, bits)) return std::nullopt;
    return static_cast<uint16_t>(length == 2 ? (bits[0] << 8 | bits[1]) : bits[0]);
}

std::optional<Dtls13Protection::Opened> Dtls13Protection::open(std::span<const uint8_t> header, uint64_t sequence,
                                                               std::span<uint8_t> body) {
    if (body.size() < state_->tag_length + 1) return std::nullopt;
    std::span<uint8_t> text = body.first(body.size() - state_->tag_length);
    std::span<const uint8_t> tag = body.subspan(text.size());
    const auto nonce = state_->nonce(sequence);
    if (!state_->cipher.open(nonce, header, text, tag)) return std::nullopt;
    // RFC 8446 5.4: the content type is the last non-zero byte; all zeros
    // means there is none.
    size_t end = text.size();
    while (end > 0 && text[end - 1] == 0) --end;
    if (end == 0) return std::nullopt;
    return Opened{static_cast<ContentType>(text[end - 1]), text.first(end - 1)};
}

uint64_t reconstruct_sequence(std::optional<uint64_t> highest, uint16_t low, unsigned bits) {
    const uint64_t expected = highest ? *highest + 1 : 0;
    const uint64_t span = uint64_t{1} << bits;
    const uint64_t candidate = (expected & ~(span - 1)) | low;
    // The candidates one window either side; the closest to `expected` wins.
    uint64_t best = candidate;
    auto distance = [expected](uint64_t v) { return v > expected ? v - expected : expected - v; };
    if (candidate >= span && distance(candidate - span) < distance(best)) best = candidate - span;
    if (candidate + span > candidate && distance(candidate + span) < distance(best)) best = candidate + span;
    return best;
}

}  // namespace dtls::record
