/// @file
/// Session resumption, the client's side: the sessions a server lets a
/// client resume (DTLS 1.3 NewSessionTickets; DTLS 1.2 session IDs and RFC
/// 5077 tickets), and the cache that keeps them from one connection to the
/// next.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "dtls/config.hpp"

namespace dtls {

namespace detail {
struct SessionData;
}

/// One session with a server and the secret that goes with it. DTLS 1.3: a
/// ticket, good to resume with that server once; a client never offers it
/// twice (RFC 8446 C.4). DTLS 1.2: a session ID and/or ticket with the
/// master secret, which a client offers again after each resumption. A
/// client offers a session to the server name it was made under. It lives
/// in memory, unless the application serializes it; the secret is wiped
/// when the last copy goes.
class Session {
public:
    /// For the library: connections make sessions from the tickets they get.
    explicit Session(std::shared_ptr<const detail::SessionData> data) : data_(std::move(data)) {}

    /// The Config::server_name of the connection that received it.
    const std::string& server_name() const;
    /// When the server stops taking it: the ticket's lifetime, capped at 7
    /// days (RFC 8446 4.6.1), counted from its arrival.
    Instant expires() const;
    /// The suite of the connection that received it; a resumed connection
    /// uses a suite with the same hash.
    CipherSuite cipher_suite() const;
    /// The version of the connection that made it; a client resumes it
    /// only with that version.
    ProtocolVersion version() const;

    /// The session as bytes, for an application that keeps sessions across
    /// restarts of its process (a SessionCache of its own). The bytes hold
    /// the session's secret (the DTLS 1.3 resumption PSK, or the DTLS 1.2
    /// master secret, with which recorded connections of the session can
    /// be decrypted): keep them as well protected as a private key, and
    /// wipe them when done. They are not encrypted or authenticated.
    /// Sessions are timed on the steady clock, which a restart resets, so
    /// the bytes hold the session's age and the time it has left as of
    /// `now`, and deserialize() counts them from its own `now`.
    Bytes serialize(Instant now) const;
    /// A session from serialize()'s bytes; an invalid_argument error for
    /// bytes that are not one (truncated, altered, or of another format).
    static Result<Session> deserialize(std::span<const uint8_t> bytes, Instant now);

    /// For the library: the ticket and its secret.
    const detail::SessionData& data() const { return *data_; }

private:
    std::shared_ptr<const detail::SessionData> data_;
};

/// Where a client keeps sessions between connections (Config::session_cache).
/// A connection calls take() when it starts, and store() for each DTLS 1.3
/// ticket it receives or, in DTLS 1.2, once its handshake (full or resumed)
/// is complete, from whatever thread drives it: an implementation shared by
/// connections on several threads must be safe to call concurrently.
class SessionCache {
public:
    virtual ~SessionCache() = default;

    /// A session the server sent.
    virtual void store(Session session) = 0;
    /// A session to offer to `server_name`, if one has not expired at `now`,
    /// removed from the cache so that it is offered once; none means a full
    /// handshake.
    virtual std::optional<Session> take(std::string_view server_name, Instant now) = 0;

    /// A cache in memory, safe for concurrent use, holding at most
    /// `capacity` sessions (the oldest go first); take() gives the newest
    /// session for the name and discards expired ones.
    static std::shared_ptr<SessionCache> in_memory(size_t capacity = 256);
};

}  // namespace dtls
