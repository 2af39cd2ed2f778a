// AeadCipher through OpenSSL's general AEAD interface. Each direction has its
// own EVP_CIPHER_CTX, keyed once in create(); a record then only sets the IV
// again (OpenSSL keeps the key schedule when the key argument is null), so
// nothing is derived or allocated per record.
//
// The algorithms differ in one place: CCM must know the text length before
// the additional data, and checks the tag while decrypting, whereas GCM and
// ChaCha20-Poly1305 compute or check the tag in the final step.
#include "crypto/aead_cipher.hpp"

#include <openssl/evp.h>

#include <climits>

#include "crypto/openssl_ptr.hpp"
#include "crypto/secret.hpp"

namespace dtls::crypto {
namespace {

using Algorithm = AeadCipher::Algorithm;

const EVP_CIPHER* evp_cipher(Algorithm alg) {
    switch (alg) {
        case Algorithm::aes_128_gcm: return EVP_aes_128_gcm();
        case Algorithm::aes_256_gcm: return EVP_aes_256_gcm();
        case Algorithm::chacha20_poly1305: return EVP_chacha20_poly1305();
        case Algorithm::aes_128_ccm:
        case Algorithm::aes_128_ccm_8: return EVP_aes_128_ccm();
    }
    return nullptr;
}

bool is_ccm(Algorithm alg) { return alg == Algorithm::aes_128_ccm || alg == Algorithm::aes_128_ccm_8; }

// With a 12-byte nonce, CCM's length field has 15 - 12 = 3 bytes (RFC 3610
// section 2), so one message is at most 2^24 - 1 bytes.
constexpr size_t ccm_max_text_length = (size_t{1} << 24) - 1;

// OpenSSL takes lengths as int.
bool lengths_fit(Algorithm alg, size_t aad_length, size_t text_length) {
    const size_t max_text = is_ccm(alg) ? ccm_max_text_length : static_cast<size_t>(INT_MAX);
    return aad_length <= static_cast<size_t>(INT_MAX) && text_length <= max_text;
}

// A context keyed for one direction. CCM builds its nonce and tag lengths
// into the key setup, so both are set before the key.
detail::CipherCtxPtr keyed_context(Algorithm alg, std::span<const uint8_t> key, int encrypt) {
    detail::CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    bool ok = ctx && EVP_CipherInit_ex(ctx.get(), evp_cipher(alg), nullptr, nullptr, nullptr, encrypt) == 1;
    if (ok && is_ccm(alg)) {
        ok = EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_IVLEN, static_cast<int>(AeadCipher::nonce_length),
                                 nullptr) == 1 &&
             EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG, static_cast<int>(AeadCipher::tag_length(alg)),
                                 nullptr) == 1;
    }
    ok = ok && EVP_CipherInit_ex(ctx.get(), nullptr, nullptr, key.data(), nullptr, encrypt) == 1;
    if (!ok) {
        ctx.reset();
    }
    return ctx;
}

}  // namespace

struct AeadCipher::State {
    Algorithm algorithm;
    detail::CipherCtxPtr sealer;
    detail::CipherCtxPtr opener;

    // Gives `ctx` this record's nonce; the key schedule stays.
    static bool start(EVP_CIPHER_CTX* ctx, std::span<const uint8_t> nonce, int encrypt) {
        return EVP_CipherInit_ex(ctx, nullptr, nullptr, nullptr, nonce.data(), encrypt) == 1;
    }

    // Runs one started record through `ctx` (opening: with the expected tag
    // already set): CCM's length declaration, the additional data, the text
    // in place, and the final step, which computes or checks the tag.
    bool process(EVP_CIPHER_CTX* ctx, std::span<const uint8_t> aad, std::span<uint8_t> text) const {
        // An empty text still goes through with a real buffer: to CCM a null
        // input and output means "here is the length", not "here is the text",
        // and without the text step CCM computes no tag.
        uint8_t placeholder = 0;
        uint8_t* data = text.empty() ? &placeholder : text.data();
        const int text_length = static_cast<int>(text.size());
        int written = 0;
        int final_written = 0;
        return (!is_ccm(algorithm) || EVP_CipherUpdate(ctx, nullptr, &written, nullptr, text_length) == 1) &&
               (aad.empty() ||
                EVP_CipherUpdate(ctx, nullptr, &written, aad.data(), static_cast<int>(aad.size())) == 1) &&
               EVP_CipherUpdate(ctx, data, &written, data, text_length) == 1 && written == text_length &&
               EVP_CipherFinal_ex(ctx, &placeholder, &final_written) == 1 && final_written == 0;
    }
};

size_t AeadCipher::key_length(Algorithm alg) {
    return alg == Algorithm::aes_256_gcm || alg == Algorithm::chacha20_poly1305 ? 32 : 16;
}

size_t AeadCipher::tag_length(Algorithm alg) { return alg == Algorithm::aes_128_ccm_8 ? 8 : 16; }

AeadCipher::AeadCipher(std::unique_ptr<State> state) : state_(std::move(state)) {}
AeadCipher::AeadCipher(AeadCipher&&) noexcept = default;
AeadCipher& AeadCipher::operator=(AeadCipher&&) noexcept = default;
AeadCipher::~AeadCipher() = default;

Result<AeadCipher> AeadCipher::create(Algorithm alg, std::span<const uint8_t> key, Use use) {
    if (key.size() != key_length(alg)) {
        return Error{ErrorCode::invalid_argument, std::nullopt, "AEAD key has the wrong length"};
    }
    auto state = std::make_unique<State>();
    state->algorithm = alg;
    if (use != Use::open) state->sealer = keyed_context(alg, key, 1);
    if (use != Use::seal) state->opener = keyed_context(alg, key, 0);
    if ((use != Use::open && !state->sealer) || (use != Use::seal && !state->opener)) {
        return Error{ErrorCode::internal, std::nullopt, "cannot set up AEAD cipher: " + detail::take_openssl_error()};
    }
    return AeadCipher(std::move(state));
}

AeadCipher::Algorithm AeadCipher::algorithm() const { return state_->algorithm; }

size_t AeadCipher::tag_length() const { return tag_length(state_->algorithm); }

Status AeadCipher::seal(std::span<const uint8_t> nonce, std::span<const uint8_t> aad, std::span<uint8_t> text,
                        std::span<uint8_t> tag) {
    if (nonce.size() != nonce_length || tag.size() != tag_length()) {
        return Error{ErrorCode::invalid_argument, std::nullopt, "AEAD nonce or tag buffer has the wrong length"};
    }
    if (!lengths_fit(state_->algorithm, aad.size(), text.size())) {
        return Error{ErrorCode::invalid_argument, std::nullopt, "AEAD input is too long for the algorithm"};
    }
    EVP_CIPHER_CTX* ctx = state_->sealer.get();
    if (ctx == nullptr) return Error{ErrorCode::invalid_state, std::nullopt, "this AEAD was made only to open"};
    const bool ok = State::start(ctx, nonce, 1) && state_->process(ctx, aad, text) &&
                    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, static_cast<int>(tag.size()), tag.data()) == 1;
    if (!ok) {
        cleanse(text);
        cleanse(tag);
        return Error{ErrorCode::internal, std::nullopt, "AEAD seal failed: " + detail::take_openssl_error()};
    }
    return Ok{};
}

bool AeadCipher::open(std::span<const uint8_t> nonce, std::span<const uint8_t> aad, std::span<uint8_t> text,
                      std::span<const uint8_t> tag) {
    EVP_CIPHER_CTX* ctx = state_->opener.get();
    // OpenSSL copies the expected tag in; its parameter is not const.
    const bool ok = ctx != nullptr && nonce.size() == nonce_length && tag.size() == tag_length() &&
                    lengths_fit(state_->algorithm, aad.size(), text.size()) && State::start(ctx, nonce, 0) &&
                    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, static_cast<int>(tag.size()),
                                        const_cast<uint8_t*>(tag.data())) == 1 &&
                    state_->process(ctx, aad, text);
    if (!ok) {
        // GCM and ChaCha20-Poly1305 decrypt before the final step checks the
        // tag; what they wrote must not survive. OpenSSL compares the tag in
        // constant time. The queue is only touched on failure: marking it
        // costs every record a thread-local lookup.
        cleanse(text);
        ERR_clear_error();
    }
    return ok;
}

}  // namespace dtls::crypto
