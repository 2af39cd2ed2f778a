// SHA-2 digests, HMAC and the TLS 1.2 PRF through OpenSSL's EVP interfaces.
#include "crypto/hash.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <initializer_list>

#include "crypto/openssl_ptr.hpp"

namespace dtls::crypto {
namespace {

const EVP_MD* evp_md(HashAlgorithm alg) {
    return alg == HashAlgorithm::sha384 ? EVP_sha384() : EVP_sha256();
}

const char* md_name(HashAlgorithm alg) {
    return alg == HashAlgorithm::sha384 ? "SHA384" : "SHA256";
}

Error failure(const char* what) {
    return Error{ErrorCode::internal, std::nullopt, std::string("OpenSSL ") + what + " failed: " +
                                                        detail::take_openssl_error()};
}

// Fetching the HMAC implementation is a provider lookup; it is done once and
// kept for the life of the process (freeing it at exit would race OpenSSL's
// own cleanup).
EVP_MAC* hmac_algorithm() {
    static EVP_MAC* mac = EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr);
    return mac;
}

using MacCtxPtr = std::unique_ptr<EVP_MAC_CTX, detail::OpenSslFree<EVP_MAC_CTX_free>>;

}  // namespace

size_t hash_length(HashAlgorithm alg) { return alg == HashAlgorithm::sha384 ? 48 : 32; }

Result<std::vector<uint8_t>> digest(HashAlgorithm alg, std::span<const uint8_t> data) {
    std::vector<uint8_t> out(hash_length(alg));
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), out.data(), &len, evp_md(alg), nullptr) != 1 || len != out.size()) {
        return failure("digest");
    }
    return out;
}

struct Hmac::State {
    MacCtxPtr ctx;
    size_t length = 0;
};

Result<Hmac> Hmac::create(HashAlgorithm alg, std::span<const uint8_t> key) {
    static const uint8_t empty = 0;  // a null key would mean "keep the previous key"
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(md_name(alg)), 0),
        OSSL_PARAM_construct_end(),
    };
    auto state = std::make_unique<State>();
    EVP_MAC* mac = hmac_algorithm();
    state->ctx.reset(mac != nullptr ? EVP_MAC_CTX_new(mac) : nullptr);
    state->length = hash_length(alg);
    if (!state->ctx || EVP_MAC_init(state->ctx.get(), key.empty() ? &empty : key.data(), key.size(), params) != 1) {
        return failure("HMAC init");
    }
    return Hmac(std::move(state));
}

Hmac::Hmac(std::unique_ptr<State> state) : state_(std::move(state)) {}
Hmac::Hmac(Hmac&&) noexcept = default;
Hmac& Hmac::operator=(Hmac&&) noexcept = default;
Hmac::~Hmac() = default;

bool Hmac::compute(std::initializer_list<std::span<const uint8_t>> parts, std::span<uint8_t> out) {
    // A null key restarts the computation with the key already set, without
    // copying or re-deriving the keyed state.
    bool ok = EVP_MAC_init(state_->ctx.get(), nullptr, 0, nullptr) == 1;
    for (std::span<const uint8_t> part : parts) {
        ok = ok && (part.empty() || EVP_MAC_update(state_->ctx.get(), part.data(), part.size()) == 1);
    }
    size_t len = 0;
    if (!ok || EVP_MAC_final(state_->ctx.get(), out.data(), &len, out.size()) != 1 || len != state_->length) {
        ERR_clear_error();
        return false;
    }
    return true;
}

// P_hash (RFC 5246 section 5) computed directly: A(0) = label + seed,
// A(i) = HMAC(secret, A(i-1)), output = HMAC(secret, A(1) + label + seed) +
// HMAC(secret, A(2) + label + seed) + ... Unlike OpenSSL's TLS1-PRF KDF, this
// has no limit on the seed, which for an RFC 5705 exporter context comes from
// the application and can be up to 64 KiB.
bool prf(HashAlgorithm alg, std::span<const uint8_t> secret, std::string_view label, std::span<const uint8_t> seed,
         std::span<uint8_t> out) {
    Result<Hmac> hmac = Hmac::create(alg, secret);
    if (!hmac) {
        cleanse(out);
        return false;
    }
    std::span<const uint8_t> label_bytes(reinterpret_cast<const uint8_t*>(label.data()), label.size());
    SecretBytes a(hash_length(alg));
    SecretBytes block(hash_length(alg));
    const std::span<uint8_t> whole = out;
    bool ok = hmac->compute({label_bytes, seed}, a.span());
    while (ok && !out.empty()) {
        ok = hmac->compute({a.span(), label_bytes, seed}, block.span());
        size_t n = std::min(out.size(), block.size());
        std::copy_n(block.data(), n, out.data());
        out = out.subspan(n);
        if (ok && !out.empty()) ok = hmac->compute({a.span()}, a.span());
    }
    if (!ok) cleanse(whole);
    return ok;
}

}  // namespace dtls::crypto
