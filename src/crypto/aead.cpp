// AEAD record protection. The cipher context is keyed once in create(); each
// record only sets the nonce, feeds the AAD and processes the payload in
// place, so sealing and opening allocate nothing.
#include "crypto/aead.hpp"

#include <openssl/evp.h>

#include <climits>
#include <cstdio>
#include <cstdlib>

#include "crypto/openssl_ptr.hpp"

namespace dtls::crypto {
namespace {

const EVP_CIPHER* evp_cipher(AeadAlgorithm alg) {
    switch (alg) {
        case AeadAlgorithm::aes_128_gcm: return EVP_aes_128_gcm();
        case AeadAlgorithm::aes_256_gcm: return EVP_aes_256_gcm();
        case AeadAlgorithm::chacha20_poly1305: return EVP_chacha20_poly1305();
    }
    return nullptr;
}

constexpr int encrypt = 1;
constexpr int decrypt = 0;

}  // namespace

size_t aead_key_length(AeadAlgorithm alg) { return alg == AeadAlgorithm::aes_128_gcm ? 16 : 32; }

struct Aead::State {
    detail::CipherCtxPtr ctx;

    // Starts a record: a new nonce in the given direction, keeping the key.
    bool begin(int direction, std::span<const uint8_t> nonce, std::span<const uint8_t> aad) {
        if (EVP_CipherInit_ex(ctx.get(), nullptr, nullptr, nullptr, nonce.data(), direction) != 1) {
            return false;
        }
        int len = 0;
        return aad.empty() || EVP_CipherUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())) == 1;
    }

    bool process(std::span<uint8_t> in_out) {
        int len = 0;
        return in_out.empty() ||
               EVP_CipherUpdate(ctx.get(), in_out.data(), &len, in_out.data(), static_cast<int>(in_out.size())) == 1;
    }

    bool finish() {
        // AEAD modes output everything in update; final only computes or checks the tag.
        uint8_t unused[EVP_MAX_BLOCK_LENGTH];
        int len = 0;
        return EVP_CipherFinal_ex(ctx.get(), unused, &len) == 1;
    }
};

Aead::Aead(std::unique_ptr<State> s) : state_(std::move(s)) {}
Aead::Aead(Aead&&) noexcept = default;
Aead& Aead::operator=(Aead&&) noexcept = default;
Aead::~Aead() = default;

Result<Aead> Aead::create(AeadAlgorithm alg, std::span<const uint8_t> key) {
    if (key.size() != aead_key_length(alg)) {
        return Error{ErrorCode::invalid_argument, std::nullopt, "AEAD key has the wrong length"};
    }
    auto state = std::make_unique<State>();
    state->ctx.reset(EVP_CIPHER_CTX_new());
    // Both GCM and ChaCha20-Poly1305 default to a 12-byte nonce, which is what
    // TLS uses; the key schedule is computed here, once.
    if (!state->ctx ||
        EVP_CipherInit_ex(state->ctx.get(), evp_cipher(alg), nullptr, key.data(), nullptr, encrypt) != 1 ||
        EVP_CIPHER_CTX_get_iv_length(state->ctx.get()) != static_cast<int>(nonce_length)) {
        return Error{ErrorCode::internal, std::nullopt, "cannot set up AEAD cipher: " + detail::take_openssl_error()};
    }
    return Aead(std::move(state));
}

void Aead::seal(std::span<const uint8_t> nonce, std::span<const uint8_t> aad, std::span<uint8_t> in_out,
                std::span<uint8_t> tag) {
    // The record layer always passes well-formed sizes; anything else is a
    // bug in the caller, and emitting an unauthenticated record is not an option.
    bool sizes_ok = nonce.size() == nonce_length && tag.size() == tag_length &&
                    aad.size() <= static_cast<size_t>(INT_MAX) && in_out.size() <= static_cast<size_t>(INT_MAX);
    if (!sizes_ok || !state_->begin(encrypt, nonce, aad) || !state_->process(in_out) || !state_->finish() ||
        EVP_CIPHER_CTX_ctrl(state_->ctx.get(), EVP_CTRL_AEAD_GET_TAG, static_cast<int>(tag_length), tag.data()) != 1) {
        std::fprintf(stderr, "dtls: AEAD seal failed (nonce %zu, tag %zu bytes)\n", nonce.size(), tag.size());
        std::abort();
    }
}

bool Aead::open(std::span<const uint8_t> nonce, std::span<const uint8_t> aad, std::span<uint8_t> in_out,
                std::span<const uint8_t> tag) {
    if (nonce.size() != nonce_length || tag.size() != tag_length || aad.size() > static_cast<size_t>(INT_MAX) ||
        in_out.size() > static_cast<size_t>(INT_MAX)) {
        return false;
    }
    // The tag is set after the nonce (which selects the direction) and before
    // final, which compares it in constant time.
    bool ok = state_->begin(decrypt, nonce, aad) &&
              EVP_CIPHER_CTX_ctrl(state_->ctx.get(), EVP_CTRL_AEAD_SET_TAG, static_cast<int>(tag_length),
                                  const_cast<uint8_t*>(tag.data())) == 1 &&
              state_->process(in_out) && state_->finish();
    if (!ok) {
        // A forged record is routine peer input; leave no trace in OpenSSL's error queue.
        ERR_clear_error();
    }
    return ok;
}

}  // namespace dtls::crypto
