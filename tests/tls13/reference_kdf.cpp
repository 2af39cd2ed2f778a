// The tests' own HKDF and HkdfLabel (see reference_kdf.hpp).
#include "reference_kdf.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <string>

namespace dtls::tls13::testing {

namespace {

size_t length_of(crypto::HashAlgorithm alg) { return alg == crypto::HashAlgorithm::sha384 ? 48 : 32; }

// OpenSSL's one-shot functions take a pointer even for no bytes.
const uint8_t* pointer_to(std::span<const uint8_t> bytes) {
    static const uint8_t placeholder = 0;
    return bytes.empty() ? &placeholder : bytes.data();
}

}  // namespace

std::vector<uint8_t> reference_hash(crypto::HashAlgorithm alg, std::span<const uint8_t> data) {
    std::vector<uint8_t> out(length_of(alg));
    if (alg == crypto::HashAlgorithm::sha384) {
        SHA384(pointer_to(data), data.size(), out.data());
    } else {
        SHA256(pointer_to(data), data.size(), out.data());
    }
    return out;
}

std::vector<uint8_t> reference_hmac(crypto::HashAlgorithm alg, std::span<const uint8_t> key,
                                    std::span<const uint8_t> data) {
    std::vector<uint8_t> out(length_of(alg));
    unsigned int written = 0;
    HMAC(alg == crypto::HashAlgorithm::sha384 ? EVP_sha384() : EVP_sha256(), pointer_to(key),
         static_cast<int>(key.size()), pointer_to(data), data.size(), out.data(), &written);
    EXPECT_EQ(written, out.size());
    return out;
}

std::vector<uint8_t> reference_extract(crypto::HashAlgorithm alg, std::span<const uint8_t> salt,
                                       std::span<const uint8_t> ikm) {
    const std::vector<uint8_t> zeros(length_of(alg), 0);
    return reference_hmac(alg, salt.empty() ? std::span<const uint8_t>(zeros) : salt, ikm);
}

std::vector<uint8_t> reference_expand(crypto::HashAlgorithm alg, std::span<const uint8_t> prk,
                                      std::span<const uint8_t> info, size_t length) {
    std::vector<uint8_t> okm, block;
    for (uint8_t counter = 1; okm.size() < length; ++counter) {
        std::vector<uint8_t> input = block;
        input.insert(input.end(), info.begin(), info.end());
        input.push_back(counter);
        block = reference_hmac(alg, prk, input);
        okm.insert(okm.end(), block.begin(), block.end());
    }
    okm.resize(length);
    return okm;
}

std::vector<uint8_t> reference_hkdf_label(std::string_view full_label, std::span<const uint8_t> context,
                                          uint16_t length) {
    std::vector<uint8_t> out = {static_cast<uint8_t>(length >> 8), static_cast<uint8_t>(length & 0xff)};
    out.push_back(static_cast<uint8_t>(full_label.size()));
    out.insert(out.end(), full_label.begin(), full_label.end());
    out.push_back(static_cast<uint8_t>(context.size()));
    out.insert(out.end(), context.begin(), context.end());
    return out;
}

std::vector<uint8_t> reference_expand_label(crypto::HashAlgorithm alg, std::string_view prefix,
                                            std::span<const uint8_t> secret, std::string_view label,
                                            std::span<const uint8_t> context, size_t length) {
    std::string full_label(prefix);
    full_label += label;
    return reference_expand(alg, secret, reference_hkdf_label(full_label, context, static_cast<uint16_t>(length)),
                            length);
}

std::vector<uint8_t> reference_derive_secret(crypto::HashAlgorithm alg, std::string_view prefix,
                                             std::span<const uint8_t> secret, std::string_view label,
                                             std::span<const uint8_t> messages) {
    return reference_expand_label(alg, prefix, secret, label, reference_hash(alg, messages), length_of(alg));
}

}  // namespace dtls::tls13::testing
