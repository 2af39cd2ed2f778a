// ECDHE key shares (RFC 8422 with RFC 7748's x25519). Peer keys are checked
// strictly before use: exact length, uncompressed form, on the curve.
#include "crypto/key_exchange.hpp"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/bn.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>

#include <array>

#include "crypto/openssl_ptr.hpp"
#include "crypto/random.hpp"

namespace dtls::crypto {
namespace {

using detail::PkeyCtxPtr;
using detail::PkeyPtr;

constexpr uint8_t uncompressed_point = 0x04;

struct GroupInfo {
    const char* curve_name;  // OpenSSL's name for the NIST curves, null for x25519
    int curve_nid;
    size_t public_key_length;
};

GroupInfo group_info(NamedGroup group) {
    switch (group) {
        case NamedGroup::secp256r1: return {SN_X9_62_prime256v1, NID_X9_62_prime256v1, 1 + 2 * 32};
        case NamedGroup::secp384r1: return {SN_secp384r1, NID_secp384r1, 1 + 2 * 48};
        case NamedGroup::x25519: return {nullptr, NID_X25519, 32};
    }
    return {nullptr, NID_undef, 0};
}

Error failure(ErrorCode code, std::string reason) {
    detail::take_openssl_error();
    return Error{code, std::nullopt, std::move(reason)};
}

Error illegal_peer_key(const char* why) {
    detail::take_openssl_error();
    return Error{ErrorCode::invalid_argument, std::nullopt, std::string("invalid peer key share: ") + why};
}

// Our public key in its TLS encoding.
bool encode_public_key(const GroupInfo& info, EVP_PKEY* key, std::vector<uint8_t>& out) {
    out.assign(info.public_key_length, 0);
    size_t len = 0;
    if (info.curve_name == nullptr) {
        len = out.size();
        return EVP_PKEY_get_raw_public_key(key, out.data(), &len) == 1 && len == out.size();
    }
    // OpenSSL's default point format is uncompressed, the only one TLS 1.2 uses.
    return EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, out.data(), out.size(), &len) ==
               1 &&
           len == out.size() && out[0] == uncompressed_point;
}

// Imports a NIST curve key from its encoded public point and optional private scalar.
PkeyPtr import_ec_key(const GroupInfo& info, std::span<const uint8_t> point, const BIGNUM* private_scalar) {
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) {
        return nullptr;
    }
    std::unique_ptr<OSSL_PARAM_BLD, detail::OpenSslFree<OSSL_PARAM_BLD_free>> builder(OSSL_PARAM_BLD_new());
    if (!builder || OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, info.curve_name, 0) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1 ||
        (private_scalar != nullptr &&
         OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_PRIV_KEY, private_scalar) != 1)) {
        return nullptr;
    }
    std::unique_ptr<OSSL_PARAM, detail::OpenSslFree<OSSL_PARAM_free>> params(OSSL_PARAM_BLD_to_param(builder.get()));
    EVP_PKEY* key = nullptr;
    int selection = private_scalar != nullptr ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY;
    // Decoding the point checks that it lies on the curve.
    if (!params || EVP_PKEY_fromdata(ctx.get(), &key, selection, params.get()) != 1) {
        return nullptr;
    }
    return PkeyPtr(key);
}

// The public point d*G for a private scalar d, uncompressed; empty if d is
// not in [1, n-1].
std::vector<uint8_t> ec_public_point(const GroupInfo& info, const BIGNUM* scalar) {
    std::unique_ptr<EC_GROUP, detail::OpenSslFree<EC_GROUP_free>> group(EC_GROUP_new_by_curve_name(info.curve_nid));
    if (!group || BN_is_zero(scalar) || BN_is_negative(scalar) || BN_cmp(scalar, EC_GROUP_get0_order(group.get())) >= 0) {
        return {};
    }
    std::unique_ptr<EC_POINT, detail::OpenSslFree<EC_POINT_free>> point(EC_POINT_new(group.get()));
    std::vector<uint8_t> out(info.public_key_length);
    if (!point || EC_POINT_mul(group.get(), point.get(), scalar, nullptr, nullptr, nullptr) != 1 ||
        EC_POINT_point2oct(group.get(), point.get(), POINT_CONVERSION_UNCOMPRESSED, out.data(), out.size(), nullptr) !=
            out.size()) {
        return {};
    }
    return out;
}

}  // namespace

struct KeyShare::State {
    PkeyPtr key;
};

KeyShare::KeyShare(NamedGroup group, std::unique_ptr<State> s, std::vector<uint8_t> pub)
    : group_(group), state_(std::move(s)), public_key_(std::move(pub)) {}
KeyShare::KeyShare(KeyShare&&) noexcept = default;
KeyShare& KeyShare::operator=(KeyShare&&) noexcept = default;
KeyShare::~KeyShare() = default;

Result<KeyShare> KeyShare::generate(NamedGroup group) {
    GroupInfo info = group_info(group);
    if (info.curve_nid == NID_undef) {
        return failure(ErrorCode::invalid_argument, "unsupported key exchange group");
    }
    if (info.curve_name == nullptr) {
        // Any 32 bytes are an x25519 private key (RFC 7748 5: clamping is part
        // of the function), so it is drawn through random_bytes like every
        // other random value; a test build that fixes the random source
        // (random_testing.hpp) then gets reproducible key shares.
        SecretBytes private_key(32);
        if (!random_bytes(private_key.span())) return failure(ErrorCode::internal, "the random generator failed");
        return from_private_key(group, private_key.span());
    }
    auto state = std::make_unique<State>();
    state->key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", info.curve_name));
    std::vector<uint8_t> pub;
    if (!state->key || !encode_public_key(info, state->key.get(), pub)) {
        return failure(ErrorCode::internal, "cannot generate key share: " + detail::take_openssl_error());
    }
    return KeyShare(group, std::move(state), std::move(pub));
}

Result<KeyShare> KeyShare::from_private_key(NamedGroup group, std::span<const uint8_t> private_key) {
    GroupInfo info = group_info(group);
    if (info.curve_nid == NID_undef) {
        return failure(ErrorCode::invalid_argument, "unsupported key exchange group");
    }
    auto state = std::make_unique<State>();
    if (info.curve_name == nullptr) {
        if (private_key.size() != 32) {
            return failure(ErrorCode::invalid_argument, "x25519 private key must be 32 bytes");
        }
        state->key.reset(EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, private_key.data(), 32));
    } else {
        std::unique_ptr<BIGNUM, detail::OpenSslFree<BN_clear_free>> scalar(
            BN_bin2bn(private_key.data(), static_cast<int>(private_key.size()), nullptr));
        std::vector<uint8_t> point = scalar ? ec_public_point(info, scalar.get()) : std::vector<uint8_t>{};
        if (point.empty()) {
            return failure(ErrorCode::invalid_argument, "private key is not a valid scalar for the curve");
        }
        state->key = import_ec_key(info, point, scalar.get());
    }
    std::vector<uint8_t> pub;
    if (!state->key || !encode_public_key(info, state->key.get(), pub)) {
        return failure(ErrorCode::internal, "cannot import key share: " + detail::take_openssl_error());
    }
    return KeyShare(group, std::move(state), std::move(pub));
}

Result<SecretBytes> KeyShare::agree(std::span<const uint8_t> peer_public_key) const {
    GroupInfo info = group_info(group_);
    if (peer_public_key.size() != info.public_key_length) {
        return illegal_peer_key("wrong length");
    }
    PkeyPtr peer;
    if (info.curve_name == nullptr) {
        peer.reset(EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, peer_public_key.data(), 32));
    } else {
        // The hybrid form (0x06/0x07) has the same length; RFC 8422 allows only uncompressed.
        if (peer_public_key[0] != uncompressed_point) {
            return illegal_peer_key("not an uncompressed point");
        }
        peer = import_ec_key(info, peer_public_key, nullptr);
    }
    if (!peer) {
        return illegal_peer_key("not a point on the curve");
    }

    PkeyCtxPtr ctx(EVP_PKEY_CTX_new(state_->key.get(), nullptr));
    size_t len = 0;
    if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1) {
        return failure(ErrorCode::internal, "cannot set up key agreement");
    }
    // validate_peer = 1 runs OpenSSL's public key check as a second line of defence.
    if (EVP_PKEY_derive_set_peer_ex(ctx.get(), peer.get(), 1) != 1) {
        return illegal_peer_key("rejected by the public key check");
    }
    if (EVP_PKEY_derive(ctx.get(), nullptr, &len) != 1) {
        return failure(ErrorCode::internal, "cannot size the shared secret");
    }
    SecretBytes shared(len);
    // OpenSSL refuses an all-zero x25519 result here (a small-order peer point).
    if (EVP_PKEY_derive(ctx.get(), shared.data(), &len) != 1 || len != shared.size()) {
        return illegal_peer_key("key agreement failed");
    }
    // Checked again explicitly (RFC 7748 section 6.1), not left to OpenSSL's behaviour.
    std::array<uint8_t, 64> zeros{};
    if (shared.size() <= zeros.size() && equal_constant_time(shared.span(), std::span(zeros).first(shared.size()))) {
        return illegal_peer_key("all-zero shared secret");
    }
    return shared;
}

}  // namespace dtls::crypto
