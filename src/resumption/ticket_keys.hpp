// The server's session tickets (RFC 8446 4.6.1 for DTLS 1.3, RFC 5077 for
// DTLS 1.2). A ticket carries the
// session it resumes, sealed so that only this server can read it and
// nobody can alter it; the server keeps no state per ticket:
//
//   key_name (16) | nonce (12) | AES-256-GCM(contents) | tag (16)
//
// with key_name as the additional data. The key changes every `lifetime`
// (the ticket lifetime the server announces): the current key seals, the
// current and the previous one open, so every ticket still within its
// lifetime opens and an older key is gone for good. One TicketKeys is shared
// by every copy of a Server, on any number of threads; a mutex guards it.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>

#include "crypto/aead_cipher.hpp"
#include "crypto/secret.hpp"
#include "dtls/config.hpp"

namespace dtls::resumption {

// What a ticket holds.
struct TicketContents {
    uint16_t cipher_suite = 0;
    Instant issued{};
    Duration lifetime{};
    crypto::SecretBytes psk;  // DTLS 1.3: the resumption PSK of the ticket's nonce; DTLS 1.2: the master secret
    std::string server_name;  // the SNI of the connection that issued it
    bool extended_master_secret = false;  // DTLS 1.2: the session used RFC 7627's master secret
    std::string psk_identity;             // DTLS 1.2: the client's PSK identity, for a PSK suite's session
    ProtocolVersion version = ProtocolVersion::dtls1_3;
};

class TicketKeys {
public:
    static constexpr size_t kNameLength = 16;
    static constexpr size_t kOverhead = kNameLength + crypto::AeadCipher::nonce_length + 16;

    static Result<std::shared_ptr<TicketKeys>> create(Duration lifetime, Instant now);
    TicketKeys(const TicketKeys&) = delete;
    TicketKeys& operator=(const TicketKeys&) = delete;

    // A ticket for `contents` under the key in force at `now` (rotating it
    // first when its lifetime has passed). Fails only if OpenSSL or the
    // random generator does.
    Result<Bytes> seal(const TicketContents& contents, Instant now);

    // The contents of a ticket this server sealed with a key it still has,
    // if the ticket is still within its lifetime at `now`. Anything else,
    // forged, altered, expired or from a retired key, is nullopt: a client
    // offering it gets a full handshake.
    std::optional<TicketContents> open(std::span<const uint8_t> ticket, Instant now);

private:
    struct Key {
        std::array<uint8_t, kNameLength> name{};
        crypto::AeadCipher cipher;
    };
    TicketKeys(Duration lifetime, Instant now, Key current, Key previous);
    static Result<Key> fresh_key();
    Status rotate_if_due(Instant now);  // with mutex_ held

    const Duration lifetime_;
    std::mutex mutex_;
    Instant rotated_at_;
    Key current_;
    Key previous_;
};

}  // namespace dtls::resumption
