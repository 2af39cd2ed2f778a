#include "srtp_session.hpp"

#include <openssl/crypto.h>

namespace webrtc_example {

namespace {

// The libsrtp2 crypto policy of a DTLS-SRTP profile, for RTP and RTCP.
void set_policy(dtls::SrtpProfile profile, srtp_policy_t& policy) {
    switch (profile) {
        case dtls::SrtpProfile::aes128_cm_hmac_sha1_80:
            srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtp);
            srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
            break;
        case dtls::SrtpProfile::aes128_cm_hmac_sha1_32:
            srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&policy.rtp);
            srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);  // RFC 5764 4.1.2: RTCP keeps 80 bits
            break;
        case dtls::SrtpProfile::aead_aes_128_gcm:
            srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp);
            srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp);
            break;
        case dtls::SrtpProfile::aead_aes_256_gcm:
            srtp_crypto_policy_set_aes_gcm_256_16_auth(&policy.rtp);
            srtp_crypto_policy_set_aes_gcm_256_16_auth(&policy.rtcp);
            break;
    }
}

bool create(srtp_t& session, dtls::SrtpProfile profile, const dtls::SrtpMasterKey& key, srtp_ssrc_type_t direction,
            std::string& error) {
    dtls::Bytes key_and_salt = key.key_and_salt();
    srtp_policy_t policy{};
    set_policy(profile, policy);
    policy.ssrc.type = direction;
    policy.key = key_and_salt.data();
    policy.window_size = 1024;
    policy.allow_repeat_tx = 0;
    const srtp_err_status_t status = srtp_create(&session, &policy);
    OPENSSL_cleanse(key_and_salt.data(), key_and_salt.size());  // libsrtp keeps its own copy
    if (status != srtp_err_status_ok) {
        error = "srtp_create failed with status " + std::to_string(status);
        return false;
    }
    return true;
}

}  // namespace

SrtpSession::SrtpSession(const dtls::SrtpKeys& keys, dtls::Role our_role) {
    static const bool initialised = srtp_init() == srtp_err_status_ok;
    if (!initialised) {
        error_ = "srtp_init failed";
        return;
    }
    if (create(inbound_, keys.profile, keys.remote(our_role), ssrc_any_inbound, error_)) {
        create(outbound_, keys.profile, keys.local(our_role), ssrc_any_outbound, error_);
    }
}

SrtpSession::~SrtpSession() {
    if (inbound_) srtp_dealloc(inbound_);
    if (outbound_) srtp_dealloc(outbound_);
}

bool SrtpSession::unprotect(std::vector<uint8_t>& packet) {
    int length = static_cast<int>(packet.size());
    const srtp_err_status_t status = is_rtcp(packet) ? srtp_unprotect_rtcp(inbound_, packet.data(), &length)
                                                     : srtp_unprotect(inbound_, packet.data(), &length);
    if (status != srtp_err_status_ok) return false;
    packet.resize(static_cast<size_t>(length));
    return true;
}

bool SrtpSession::protect_rtp(std::vector<uint8_t>& packet) {
    int length = static_cast<int>(packet.size());
    packet.resize(packet.size() + SRTP_MAX_TRAILER_LEN);
    if (srtp_protect(outbound_, packet.data(), &length) != srtp_err_status_ok) return false;
    packet.resize(static_cast<size_t>(length));
    return true;
}

bool is_rtcp(const std::vector<uint8_t>& packet) { return packet.size() >= 2 && packet[1] >= 192 && packet[1] <= 223; }

}  // namespace webrtc_example
