// DTLS-SRTP keying material (RFC 5764 4.2), from the connection's exporter.
#include <algorithm>

#include "crypto/secret.hpp"
#include "dtls/srtp.hpp"

namespace dtls {

namespace {

// RFC 5764 4.2: the exporter label for DTLS-SRTP.
constexpr std::string_view kSrtpExporterLabel = "EXTRACTOR-dtls_srtp";

Error invalid_state(std::string reason) { return Error{ErrorCode::invalid_state, std::nullopt, std::move(reason)}; }

}  // namespace

SrtpKeyLengths srtp_key_lengths(SrtpProfile profile) {
    switch (profile) {
        // RFC 5764 4.1.2: AES_128_CM, a 128-bit key and a 112-bit salt.
        case SrtpProfile::aes128_cm_hmac_sha1_80:
        case SrtpProfile::aes128_cm_hmac_sha1_32: return {16, 14};
        // RFC 7714 12: AEAD_AES_128_GCM and AEAD_AES_256_GCM, a 96-bit salt.
        case SrtpProfile::aead_aes_128_gcm: return {16, 12};
        case SrtpProfile::aead_aes_256_gcm: return {32, 12};
    }
    return {};
}

Bytes SrtpMasterKey::key_and_salt() const {
    Bytes out = key;
    out.insert(out.end(), salt.begin(), salt.end());
    return out;
}

SrtpMasterKey::~SrtpMasterKey() {
    crypto::cleanse(key);
    crypto::cleanse(salt);
}

Result<SrtpKeys> srtp_keys(const Connection& connection) {
    if (connection.state() != State::established) {
        return invalid_state("SRTP keys exist once the handshake is complete");
    }
    const Negotiated& negotiated = connection.negotiated();
    if (!negotiated.srtp_profile) return invalid_state("no SRTP profile was agreed (use_srtp)");
    const SrtpKeyLengths lengths = srtp_key_lengths(*negotiated.srtp_profile);
    auto material =
        connection.export_keying_material(kSrtpExporterLabel, {}, false, 2 * (lengths.key + lengths.salt));
    if (!material) return material.error();
    // RFC 5764 4.2: client key, server key, client salt, server salt.
    const auto at = [&](size_t offset, size_t length) {
        return Bytes(material->begin() + static_cast<std::ptrdiff_t>(offset),
                     material->begin() + static_cast<std::ptrdiff_t>(offset + length));
    };
    SrtpKeys keys;
    keys.profile = *negotiated.srtp_profile;
    keys.mki = negotiated.srtp_mki;
    keys.client.key = at(0, lengths.key);
    keys.server.key = at(lengths.key, lengths.key);
    keys.client.salt = at(2 * lengths.key, lengths.salt);
    keys.server.salt = at(2 * lengths.key + lengths.salt, lengths.salt);
    crypto::cleanse(*material);
    return keys;
}

}  // namespace dtls
