#include "record/cid_protection.hpp"

#include <algorithm>

#include "crypto/secret.hpp"
#include "record/cid_header.hpp"
#include "wire/writer.hpp"

namespace dtls::record {

namespace {

constexpr size_t kNonceLength = crypto::AeadCipher::nonce_length;
constexpr size_t kSaltLength = 4;
constexpr size_t kExplicitNonceLength = 8;
// RFC 9146 5: length_of_DTLSInnerPlaintext MUST NOT exceed 2^14.
constexpr size_t kMaxInnerPlaintext = kMaxPlaintextLength;

crypto::AeadCipher::Algorithm general_algorithm(crypto::AeadAlgorithm alg) {
    switch (alg) {
        case crypto::AeadAlgorithm::aes_128_gcm: return crypto::AeadCipher::Algorithm::aes_128_gcm;
        case crypto::AeadAlgorithm::aes_256_gcm: return crypto::AeadCipher::Algorithm::aes_256_gcm;
        case crypto::AeadAlgorithm::chacha20_poly1305: return crypto::AeadCipher::Algorithm::chacha20_poly1305;
        case crypto::AeadAlgorithm::aes_128_ccm: return crypto::AeadCipher::Algorithm::aes_128_ccm;
        case crypto::AeadAlgorithm::aes_128_ccm_8: return crypto::AeadCipher::Algorithm::aes_128_ccm_8;
    }
    return crypto::AeadCipher::Algorithm::aes_128_gcm;
}

uint64_t epoch_and_sequence(uint16_t epoch, uint64_t sequence) { return (uint64_t{epoch} << 48) | sequence; }

}  // namespace

struct CidProtection::State {
    crypto::AeadCipher cipher;
    std::array<uint8_t, kNonceLength> iv{};  // salt in the first 4 bytes, or the ChaCha20 IV
    size_t explicit_nonce_length = 0;        // 8 for GCM and CCM, 0 for ChaCha20
    size_t tag_length = 0;
    Bytes cid;

    ~State() { crypto::cleanse(iv); }

    std::array<uint8_t, kNonceLength> nonce(uint64_t seq64) const {
        std::array<uint8_t, kNonceLength> n = iv;
        if (explicit_nonce_length != 0) {
            for (size_t i = 0; i < kExplicitNonceLength; ++i) {
                n[kSaltLength + i] = static_cast<uint8_t>(seq64 >> (56 - 8 * i));
            }
        } else {
            for (size_t i = 0; i < 8; ++i) n[kNonceLength - 1 - i] ^= static_cast<uint8_t>(seq64 >> (8 * i));
        }
        return n;
    }

    // RFC 9146 5.3's additional data.
    void additional_data(uint16_t version, uint16_t epoch, uint64_t sequence, std::span<const uint8_t> record_cid,
                         size_t inner_length, std::vector<uint8_t>& aad) const {
        aad.clear();
        wire::Writer w(aad);
        for (int i = 0; i < 8; ++i) w.u8(0xff);
        w.u8(static_cast<uint8_t>(ContentType::tls12_cid));
        w.u8(static_cast<uint8_t>(record_cid.size()));
        w.u8(static_cast<uint8_t>(ContentType::tls12_cid));
        w.u16(version);
        w.u16(epoch);
        w.u48(sequence);
        w.bytes(record_cid);
        w.u16(static_cast<uint16_t>(inner_length));
    }
};

CidProtection::CidProtection(std::unique_ptr<State> state) : state_(std::move(state)) {}
CidProtection::CidProtection(CidProtection&&) noexcept = default;
CidProtection& CidProtection::operator=(CidProtection&&) noexcept = default;
CidProtection::~CidProtection() = default;

Result<CidProtection> CidProtection::create(crypto::AeadAlgorithm alg, Direction direction,
                                            std::span<const uint8_t> key, std::span<const uint8_t> iv,
                                            std::span<const uint8_t> cid) {
    if (iv.size() != crypto::aead_iv_length(alg)) {
        return Error{ErrorCode::invalid_argument, std::nullopt, "record IV has the wrong length"};
    }
    if (cid.empty() || cid.size() > kMaxCidLength) {
        return Error{ErrorCode::invalid_argument, std::nullopt, "a record CID is 1 to 255 bytes"};
    }
    auto cipher = crypto::AeadCipher::create(
        general_algorithm(alg), key,
        direction == Direction::seal ? crypto::AeadCipher::Use::seal : crypto::AeadCipher::Use::open);
    if (!cipher) return cipher.error();
    auto state = std::unique_ptr<State>(new State{std::move(*cipher), {}, 0, 0, Bytes(cid.begin(), cid.end())});
    std::copy(iv.begin(), iv.end(), state->iv.begin());
    state->explicit_nonce_length = crypto::aead_explicit_nonce_length(alg);
    state->tag_length = crypto::aead_tag_length(alg);
    return CidProtection(std::move(state));
}

const Bytes& CidProtection::cid() const { return state_->cid; }

size_t CidProtection::overhead() const {
    return cid_header_length(state_->cid.size()) + state_->explicit_nonce_length + 1 + state_->tag_length;
}

bool CidProtection::seal(ContentType type, uint16_t epoch, uint64_t sequence, std::span<const uint8_t> content,
                         std::vector<uint8_t>& out) {
    const size_t inner_length = content.size() + 1;  // no padding
    if (inner_length > kMaxInnerPlaintext) return false;
    const size_t body_length = state_->explicit_nonce_length + inner_length + state_->tag_length;
    const size_t record_at = out.size();
    wire::Writer w(out);
    if (!write_cid_header({kVersionDtls12, epoch, sequence, state_->cid, static_cast<uint16_t>(body_length)}, w)) {
        out.resize(record_at);
        return false;
    }
    const uint64_t seq64 = epoch_and_sequence(epoch, sequence);
    for (size_t i = 0; i < state_->explicit_nonce_length; ++i) w.u8(static_cast<uint8_t>(seq64 >> (56 - 8 * i)));
    const size_t text_at = out.size();
    w.bytes(content);
    w.u8(static_cast<uint8_t>(type));
    out.resize(out.size() + state_->tag_length);

    std::vector<uint8_t> aad;
    state_->additional_data(kVersionDtls12, epoch, sequence, state_->cid, inner_length, aad);
    const auto nonce = state_->nonce(seq64);
    std::span<uint8_t> text = std::span<uint8_t>(out).subspan(text_at, inner_length);
    std::span<uint8_t> tag = std::span<uint8_t>(out).subspan(text_at + inner_length, state_->tag_length);
    if (!state_->cipher.seal(nonce, aad, text, tag)) {
        out.resize(record_at);  // nothing unauthenticated leaves
        return false;
    }
    return true;
}

std::optional<CidProtection::Opened> CidProtection::open(uint16_t version, uint16_t epoch, uint64_t sequence,
                                                         std::span<const uint8_t> cid, std::span<uint8_t> body) {
    // The CID is public (it is on the wire in the clear): an ordinary
    // comparison is fine.
    if (!std::equal(cid.begin(), cid.end(), state_->cid.begin(), state_->cid.end())) return std::nullopt;
    if (body.size() < state_->explicit_nonce_length + 1 + state_->tag_length) return std::nullopt;
    const size_t inner_length = body.size() - state_->explicit_nonce_length - state_->tag_length;
    if (inner_length > kMaxInnerPlaintext) return std::nullopt;
    // The explicit nonce is ours to check: the sender sets it to
    // epoch||sequence, but only its value, whatever it is, goes into the
    // nonce (RFC 5288 3).
    std::array<uint8_t, kNonceLength> nonce = state_->iv;
    if (state_->explicit_nonce_length != 0) {
        std::copy_n(body.begin(), kExplicitNonceLength, nonce.begin() + kSaltLength);
    } else {
        nonce = state_->nonce(epoch_and_sequence(epoch, sequence));
    }
    std::vector<uint8_t> aad;
    state_->additional_data(version, epoch, sequence, cid, inner_length, aad);
    std::span<uint8_t> text = body.subspan(state_->explicit_nonce_length, inner_length);
    std::span<const uint8_t> tag = body.subspan(state_->explicit_nonce_length + inner_length, state_->tag_length);
    const bool ok = state_->cipher.open(nonce, aad, text, tag);
    crypto::cleanse(nonce);
    if (!ok) return std::nullopt;
    // The real type is the last non-zero byte (RFC 9146 4, as RFC 8446 5.4).
    size_t end = text.size();
    while (end > 0 && text[end - 1] == 0) --end;
    if (end == 0) return std::nullopt;
    return Opened{static_cast<ContentType>(text[end - 1]), text.first(end - 1)};
}

}  // namespace dtls::record
