// HKDF through OpenSSL's "HKDF" KDF, one mode per step (EXTRACT_ONLY,
// EXPAND_ONLY), as the TLS 1.3 key schedule calls them separately. The
// HkdfLabel is assembled here on the stack; it is public data (label and
// transcript hash), so it needs no wiping.
#include "crypto/hkdf.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <algorithm>
#include <memory>
#include <string>

#include "crypto/openssl_ptr.hpp"

namespace dtls::crypto {
namespace {

const char* md_name(HashAlgorithm alg) { return alg == HashAlgorithm::sha384 ? "SHA384" : "SHA256"; }

// Fetching the KDF is a provider lookup; it is done once and kept for the
// life of the process, like the HMAC in hash.cpp.
EVP_KDF* hkdf_algorithm() {
    static EVP_KDF* kdf = EVP_KDF_fetch(nullptr, OSSL_KDF_NAME_HKDF, nullptr);
    return kdf;
}

using KdfCtxPtr = std::unique_ptr<EVP_KDF_CTX, detail::OpenSslFree<EVP_KDF_CTX_free>>;

// An octet-string parameter. OpenSSL may treat a null pointer as "absent"
// even with length zero, so empty inputs point at a placeholder byte.
OSSL_PARAM octets(const char* name, std::span<const uint8_t> bytes) {
    static const uint8_t placeholder = 0;
    const uint8_t* data = bytes.empty() ? &placeholder : bytes.data();
    return OSSL_PARAM_construct_octet_string(name, const_cast<uint8_t*>(data), bytes.size());
}

// One HKDF step into a fresh SecretBytes of `length` bytes.
Result<SecretBytes> derive(HashAlgorithm alg, int mode, OSSL_PARAM key, OSSL_PARAM salt_or_info, size_t length,
                           const char* what) {
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode),
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, const_cast<char*>(md_name(alg)), 0),
        key,
        salt_or_info,
        OSSL_PARAM_construct_end(),
    };
    EVP_KDF* kdf = hkdf_algorithm();
    KdfCtxPtr ctx(kdf != nullptr ? EVP_KDF_CTX_new(kdf) : nullptr);
    SecretBytes out(length);
    if (!ctx || EVP_KDF_derive(ctx.get(), out.data(), out.size(), params) != 1) {
        const std::string why = detail::take_openssl_error();
        return Error{ErrorCode::internal, std::nullopt,
                     std::string(what) + " failed" + (why.empty() ? std::string() : ": " + why)};
    }
    return out;
}

// A length field and the bytes it counts, as TLS encodes opaque<0..255>.
uint8_t* put_vector8(uint8_t* out, std::span<const uint8_t> a, std::span<const uint8_t> b = {}) {
    *out++ = static_cast<uint8_t>(a.size() + b.size());
    out = std::copy(a.begin(), a.end(), out);
    return std::copy(b.begin(), b.end(), out);
}

std::span<const uint8_t> bytes_of(std::string_view text) {
    return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

}  // namespace

Result<SecretBytes> hkdf_extract(HashAlgorithm alg, std::span<const uint8_t> salt, std::span<const uint8_t> ikm) {
    // RFC 5869 section 2.2: no salt is HashLen zeros. (HMAC pads a shorter key
    // with zeros anyway; passing them explicitly does not rely on that.)
    const uint8_t zeros[EVP_MAX_MD_SIZE] = {};
    if (salt.empty()) {
        salt = std::span<const uint8_t>(zeros, hash_length(alg));
    }
    return derive(alg, EVP_KDF_HKDF_MODE_EXTRACT_ONLY, octets(OSSL_KDF_PARAM_KEY, ikm),
                  octets(OSSL_KDF_PARAM_SALT, salt), hash_length(alg), "HKDF-Extract");
}

Result<SecretBytes> hkdf_expand(HashAlgorithm alg, std::span<const uint8_t> prk, std::span<const uint8_t> info,
                                size_t length) {
    // The block counter is one byte (RFC 5869 section 2.3).
    if (length > 255 * hash_length(alg)) {
        return Error{ErrorCode::invalid_argument, std::nullopt, "HKDF-Expand: output longer than 255 hash blocks"};
    }
    if (length == 0) {
        return SecretBytes();  // OpenSSL refuses to derive nothing
    }
    return derive(alg, EVP_KDF_HKDF_MODE_EXPAND_ONLY, octets(OSSL_KDF_PARAM_KEY, prk),
                  octets(OSSL_KDF_PARAM_INFO, info), length, "HKDF-Expand");
}

Result<SecretBytes> hkdf_expand_label(HashAlgorithm alg, std::span<const uint8_t> secret,
                                      std::string_view label_prefix, std::string_view label,
                                      std::span<const uint8_t> context, size_t length) {
    constexpr size_t max_vector8 = 255;
    if (label_prefix.size() + label.size() > max_vector8) {
        return Error{ErrorCode::invalid_argument, std::nullopt,
                     "HKDF-Expand-Label: label with its prefix is longer than 255 bytes"};
    }
    if (context.size() > max_vector8) {
        return Error{ErrorCode::invalid_argument, std::nullopt, "HKDF-Expand-Label: context is longer than 255 bytes"};
    }
    if (length > 255 * hash_length(alg)) {
        return Error{ErrorCode::invalid_argument, std::nullopt,
                     "HKDF-Expand-Label: length is more than 255 hash blocks"};
    }
    // uint16 length, then the two opaque<0..255> vectors.
    uint8_t hkdf_label[2 + 1 + max_vector8 + 1 + max_vector8];
    hkdf_label[0] = static_cast<uint8_t>(length >> 8);
    hkdf_label[1] = static_cast<uint8_t>(length);
    uint8_t* end = put_vector8(hkdf_label + 2, bytes_of(label_prefix), bytes_of(label));
    end = put_vector8(end, context);
    return hkdf_expand(alg, secret, std::span<const uint8_t>(hkdf_label, end), length);
}

}  // namespace dtls::crypto
