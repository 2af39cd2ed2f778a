// The TLS 1.2 key schedule as DTLS 1.2 uses it: master secret (with the
// RFC 7627 extended master secret), key block, Finished verify_data and the
// RFC 5705 exporter.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "crypto/secret.hpp"
#include "messages/messages.hpp"
#include "tls12/cipher_suites.hpp"

namespace dtls::tls12 {

struct TrafficKeys {
    crypto::SecretBytes client_key, server_key;
    crypto::SecretBytes client_iv, server_iv;
};

class KeySchedule {
public:
    KeySchedule(const SuiteInfo& suite, const messages::Random& client_random, const messages::Random& server_random);

    // `session_hash` is the transcript hash through ClientKeyExchange when
    // extended_master_secret was negotiated; empty otherwise.
    Status derive_master_secret(std::span<const uint8_t> premaster, std::span<const uint8_t> session_hash);

    // An abbreviated handshake (RFC 5246 7.3) takes the master secret of the
    // session it resumes instead of deriving one.
    void resume_master_secret(std::span<const uint8_t> master_secret) {
        master_secret_ = crypto::SecretBytes(master_secret);
    }
    // What a session keeps to be resumed later.
    const crypto::SecretBytes& master_secret() const { return master_secret_; }

    Result<TrafficKeys> traffic_keys() const;

    // verify_data for a Finished message over `transcript_hash`.
    Result<Bytes> finished(bool from_client, std::span<const uint8_t> transcript_hash) const;

    // RFC 5705: an error if the master secret is not derived yet or the
    // context is longer than its 16-bit length field allows.
    Result<Bytes> export_keying_material(std::string_view label, std::span<const uint8_t> context, bool use_context,
                                         size_t length) const;

    // One NSS key log line: CLIENT_RANDOM <client random> <master secret>.
    std::string keylog_line() const;

    const SuiteInfo& suite() const { return suite_; }
    const messages::Random& client_random() const { return client_random_; }
    const messages::Random& server_random() const { return server_random_; }

private:
    const SuiteInfo& suite_;
    messages::Random client_random_;
    messages::Random server_random_;
    crypto::SecretBytes master_secret_;
};

}  // namespace dtls::tls12
