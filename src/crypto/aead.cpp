// Record AEAD through OpenSSL's TLS record mode: the additional data is
// handed over as one parameter (OSSL_CIPHER_PARAM_AEAD_TLS1_AAD), then a
// single EVP_Cipher call seals or opens the body in place, nonce handling
// included. This is what libssl does per record, and about a fifth cheaper
// than the general init/update/final/tag sequence on small records.
//
// OpenSSL's length conventions in that mode differ by cipher and direction;
// seal() and open() take the RFC form and translate.
#include "crypto/aead.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <cstring>

#include "crypto/openssl_ptr.hpp"
#include "crypto/secret.hpp"

namespace dtls::crypto {
namespace {

const EVP_CIPHER* evp_cipher(AeadAlgorithm alg) {
    switch (alg) {
        case AeadAlgorithm::aes_128_gcm: return EVP_aes_128_gcm();
        case AeadAlgorithm::aes_256_gcm: return EVP_aes_256_gcm();
        case AeadAlgorithm::chacha20_poly1305: return EVP_chacha20_poly1305();
        case AeadAlgorithm::aes_128_ccm:
        case AeadAlgorithm::aes_128_ccm_8: return EVP_aes_128_ccm();
    }
    return nullptr;
}

bool is_gcm(AeadAlgorithm alg) { return alg == AeadAlgorithm::aes_128_gcm || alg == AeadAlgorithm::aes_256_gcm; }
bool is_ccm(AeadAlgorithm alg) { return alg == AeadAlgorithm::aes_128_ccm || alg == AeadAlgorithm::aes_128_ccm_8; }

// GCM and CCM share RFC 5288's nonce: an implicit salt from the key block,
// then the explicit part the record carries.
constexpr size_t salt_length = 4;
constexpr size_t explicit_nonce_bytes = 8;

}  // namespace

size_t aead_key_length(AeadAlgorithm alg) {
    return alg == AeadAlgorithm::aes_256_gcm || alg == AeadAlgorithm::chacha20_poly1305 ? 32 : 16;
}

size_t aead_iv_length(AeadAlgorithm alg) { return alg == AeadAlgorithm::chacha20_poly1305 ? 12 : salt_length; }

size_t aead_explicit_nonce_length(AeadAlgorithm alg) {
    return alg == AeadAlgorithm::chacha20_poly1305 ? 0 : explicit_nonce_bytes;
}

size_t aead_tag_length(AeadAlgorithm alg) { return alg == AeadAlgorithm::aes_128_ccm_8 ? 8 : 16; }

struct RecordAead::State {
    detail::CipherCtxPtr ctx;
    bool gcm = false;  // only GCM keeps an explicit nonce counter
    uint8_t salt[salt_length] = {};

    ~State() { cleanse(salt); }

    // Seals or opens `body` in place. The additional data goes in first,
    // with its length field set to `length_field`, which is what the TLS mode
    // expects for this cipher and direction (see seal() and open()). The two
    // steps are one function on purpose: without the additional data, TLS
    // mode would decrypt with no tag check at all and report success.
    bool process(std::span<const uint8_t, aad_length> aad, size_t length_field, std::span<uint8_t> body) {
        uint8_t copy[aad_length];
        std::memcpy(copy, aad.data(), aad_length);
        copy[11] = static_cast<uint8_t>(length_field >> 8);
        copy[12] = static_cast<uint8_t>(length_field);
        OSSL_PARAM params[] = {OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TLS1_AAD, copy, aad_length),
                               OSSL_PARAM_construct_end()};
        return EVP_CIPHER_CTX_set_params(ctx.get(), params) == 1 &&
               EVP_Cipher(ctx.get(), body.data(), body.data(), static_cast<unsigned>(body.size())) >= 0;
    }

    // Sets GCM's whole 12-byte IV, salt and counter: a length of -1 does
    // that without OpenSSL drawing a random start for the counter.
    bool set_explicit_counter(uint64_t value) {
        uint8_t iv[salt_length + explicit_nonce_bytes];
        std::memcpy(iv, salt, salt_length);
        for (size_t i = 0; i < explicit_nonce_bytes; ++i) {
            iv[salt_length + i] = static_cast<uint8_t>(value >> (56 - 8 * i));
        }
        const bool ok = EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IV_FIXED, -1, iv) == 1;
        cleanse(iv);
        return ok;
    }
};

RecordAead::RecordAead(std::unique_ptr<State> s, size_t explicit_nonce_length, size_t tag_length)
    : state_(std::move(s)), explicit_nonce_length_(explicit_nonce_length), tag_length_(tag_length) {}
RecordAead::RecordAead(RecordAead&&) noexcept = default;
RecordAead& RecordAead::operator=(RecordAead&&) noexcept = default;
RecordAead::~RecordAead() = default;

Result<RecordAead> RecordAead::create(AeadAlgorithm alg, Direction direction, std::span<const uint8_t> key,
                                      std::span<const uint8_t> iv) {
    if (key.size() != aead_key_length(alg) || iv.size() != aead_iv_length(alg)) {
        return Error{ErrorCode::invalid_argument, std::nullopt, "AEAD key or IV has the wrong length"};
    }
    auto state = std::make_unique<State>();
    state->gcm = is_gcm(alg);
    const bool ccm = is_ccm(alg);
    state->ctx.reset(EVP_CIPHER_CTX_new());
    const int encrypt = direction == Direction::seal ? 1 : 0;
    bool ok = state->ctx &&
              EVP_CipherInit_ex(state->ctx.get(), evp_cipher(alg), nullptr, nullptr, nullptr, encrypt) == 1;
    if (ok && ccm) {
        // CCM fixes its nonce and tag lengths before the key: a 12-byte nonce
        // (salt and explicit part), and the suite's tag (OpenSSL's default of
        // 12 bytes is neither).
        ok = EVP_CIPHER_CTX_ctrl(state->ctx.get(), EVP_CTRL_AEAD_SET_IVLEN,
                                 static_cast<int>(salt_length + explicit_nonce_bytes), nullptr) == 1 &&
             EVP_CIPHER_CTX_ctrl(state->ctx.get(), EVP_CTRL_AEAD_SET_TAG, static_cast<int>(aead_tag_length(alg)),
                                 nullptr) == 1;
    }
    // ChaCha20 takes its whole IV here; the GCM and CCM salts go in as the
    // TLS "fixed" IV below. The key schedule is computed once, here.
    ok = ok && EVP_CipherInit_ex(state->ctx.get(), nullptr, nullptr, key.data(),
                                 alg == AeadAlgorithm::chacha20_poly1305 ? iv.data() : nullptr, encrypt) == 1;
    if (ok && (state->gcm || ccm)) std::memcpy(state->salt, iv.data(), salt_length);
    if (ok && state->gcm) {
        // Sealing, the counter starts at zero until the record layer says
        // otherwise; opening, the explicit nonce comes from each record.
        ok = direction == Direction::seal
                 ? state->set_explicit_counter(0)
                 : EVP_CIPHER_CTX_ctrl(state->ctx.get(), EVP_CTRL_GCM_SET_IV_FIXED, static_cast<int>(salt_length),
                                       state->salt) == 1;
    }
    if (ok && ccm) {
        // Both directions: the salt only. Sealing, OpenSSL's TLS mode writes
        // the additional data's epoch||sequence as the explicit nonce (RFC
        // 6655 3 allows exactly that, and it is what GCM gets from the record
        // layer); opening, it reads the explicit nonce from each record.
        ok = EVP_CIPHER_CTX_ctrl(state->ctx.get(), EVP_CTRL_CCM_SET_IV_FIXED, static_cast<int>(salt_length),
                                 state->salt) == 1;
    }
    if (!ok) {
        return Error{ErrorCode::internal, std::nullopt, "cannot set up AEAD cipher: " + detail::take_openssl_error()};
    }
    return RecordAead(std::move(state), aead_explicit_nonce_length(alg), aead_tag_length(alg));
}

bool RecordAead::set_next_explicit_nonce(uint64_t value) {
    if (!state_->gcm || state_->set_explicit_counter(value)) return true;
    ERR_clear_error();
    return false;
}

bool RecordAead::seal(std::span<const uint8_t, aad_length> aad, std::span<uint8_t> body) {
    // Sealing, every cipher wants the length without the tag (GCM's and
    // CCM's including their explicit nonce).
    const bool sizes_ok = body.size() >= explicit_nonce_length_ + tag_length_ && body.size() <= max_body_length;
    if (sizes_ok && state_->process(aad, body.size() - tag_length_, body)) return true;
    ERR_clear_error();
    return false;
}

bool RecordAead::open(std::span<const uint8_t, aad_length> aad, std::span<uint8_t> body) {
    if (body.size() < explicit_nonce_length_ + tag_length_ || body.size() > max_body_length) return false;
    // Opening, every cipher wants the whole body length; OpenSSL compares the
    // tag in constant time.
    const bool ok = state_->process(aad, body.size(), body);
    // A forged record is routine peer input; leave no trace in OpenSSL's
    // error queue. (Only on failure: marking the queue would cost every
    // record a thread-local lookup.)
    if (!ok) ERR_clear_error();
    return ok;
}

}  // namespace dtls::crypto
