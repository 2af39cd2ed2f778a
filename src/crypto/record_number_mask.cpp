// Record number masks through OpenSSL's raw block and stream ciphers, keyed
// once in create():
//
//   AES: one ECB block without padding, so the context carries no state from
//     one record to the next.
//   ChaCha20: OpenSSL's 16-byte IV is exactly the 32-bit little-endian block
//     counter followed by the 96-bit nonce (RFC 8439 section 2.3), which is
//     how RFC 9147 reads the sample; so the sample is the IV, set again per
//     record, and the mask is the keystream, obtained by encrypting zeros.
#include "crypto/record_number_mask.hpp"

#include <openssl/evp.h>

#include "crypto/openssl_ptr.hpp"

namespace dtls::crypto {

struct RecordNumberMask::State {
    detail::CipherCtxPtr ctx;
};

RecordNumberMask::RecordNumberMask(Kind kind, std::unique_ptr<State> state) : kind_(kind), state_(std::move(state)) {}
RecordNumberMask::RecordNumberMask(RecordNumberMask&&) noexcept = default;
RecordNumberMask& RecordNumberMask::operator=(RecordNumberMask&&) noexcept = default;
RecordNumberMask::~RecordNumberMask() = default;

Result<RecordNumberMask> RecordNumberMask::create(Kind kind, std::span<const uint8_t> key) {
    const EVP_CIPHER* cipher = nullptr;
    if (kind == Kind::chacha20) {
        cipher = key.size() == 32 ? EVP_chacha20() : nullptr;
    } else {
        cipher = key.size() == 16 ? EVP_aes_128_ecb() : key.size() == 32 ? EVP_aes_256_ecb() : nullptr;
    }
    if (cipher == nullptr) {
        return Error{ErrorCode::invalid_argument, std::nullopt, "record number key has the wrong length"};
    }
    auto state = std::make_unique<State>();
    state->ctx.reset(EVP_CIPHER_CTX_new());
    const bool ok = state->ctx && EVP_EncryptInit_ex(state->ctx.get(), cipher, nullptr, key.data(), nullptr) == 1 &&
                    EVP_CIPHER_CTX_set_padding(state->ctx.get(), 0) == 1;
    if (!ok) {
        return Error{ErrorCode::internal, std::nullopt,
                     "cannot set up record number encryption: " + detail::take_openssl_error()};
    }
    return RecordNumberMask(kind, std::move(state));
}

Status RecordNumberMask::compute(std::span<const uint8_t> ciphertext, std::span<uint8_t, mask_length> mask) {
    if (ciphertext.size() < sample_length) {
        return Error{ErrorCode::invalid_argument, std::nullopt,
                     "record ciphertext is shorter than the 16 bytes record number encryption samples"};
    }
    static const uint8_t zeros[mask_length] = {};
    EVP_CIPHER_CTX* ctx = state_->ctx.get();
    const uint8_t* input = ciphertext.data();
    bool ok = true;
    if (kind_ == Kind::chacha20) {
        ok = EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr, ciphertext.data()) == 1;
        input = zeros;
    }
    int written = 0;
    ok = ok && EVP_EncryptUpdate(ctx, mask.data(), &written, input, static_cast<int>(mask_length)) == 1 &&
         written == static_cast<int>(mask_length);
    if (!ok) {
        return Error{ErrorCode::internal, std::nullopt,
                     "record number mask computation failed: " + detail::take_openssl_error()};
    }
    return Ok{};
}

}  // namespace dtls::crypto
