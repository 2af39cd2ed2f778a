/// @file
/// dtls::Connection, one DTLS association, and what it reports: its State,
/// the Negotiated parameters, Stats and events.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "dtls/config.hpp"
#include "dtls/errors.hpp"

namespace dtls {

/// Which side of the handshake a connection is.
enum class Role { client, server };

/// Where a connection is in its life.
enum class State {
    handshaking,
    established,
    closed,  ///< close_notify sent or received
    failed,  ///< fatal alert sent or received, retransmissions exhausted, or handshake_timeout passed
};

/// What was agreed, available once the handshake is complete.
struct Negotiated {
    ProtocolVersion version = ProtocolVersion::dtls1_2;  ///< the version spoken
    CipherSuite cipher_suite{};                          ///< the suite chosen
    NamedGroup group{};                                  ///< the key exchange group
    SignatureScheme peer_signature_scheme{};             ///< how the peer signed its handshake
    std::string alpn;                                    ///< empty if none was agreed
    std::string server_name;                             ///< SNI the client sent
    bool extended_master_secret = false;                 ///< DTLS 1.2: RFC 7627 is in use (always false for DTLS 1.3)
    std::vector<Bytes> peer_chain;                       ///< DER, leaf first; empty if none
    std::optional<SrtpProfile> srtp_profile;  ///< DTLS-SRTP (RFC 5764): the profile agreed; empty if none
    Bytes srtp_mki;                           ///< DTLS-SRTP: the MKI both sides use; empty for none
    /// The handshake resumed a session (DTLS 1.3: from a ticket, RFC 8446
    /// 2.2; DTLS 1.2: from a session ID or a ticket, the abbreviated
    /// handshake of RFC 5246 7.3), so it showed no certificates; on a
    /// client, peer_chain and peer_signature_scheme are those of the
    /// handshake that made the session.
    bool resumed = false;
    /// The largest record plaintext the peer accepts, as it announced it:
    /// its record_size_limit (RFC 8449; in DTLS 1.3 counting the inner
    /// content type byte), or, on a server that honoured the client's
    /// max_fragment_length (RFC 6066 4), that length (which then limits both
    /// directions). Empty when neither was negotiated. Our protected records
    /// never exceed it.
    std::optional<uint16_t> peer_record_size_limit;
    /// The limit we announced and enforce on the peer's protected records,
    /// in the same terms; set only when it was negotiated.
    std::optional<uint16_t> record_size_limit;
    /// The limits come from max_fragment_length, not record_size_limit: in
    /// DTLS 1.3 they then count content only, without the content type byte.
    bool max_fragment_length = false;
    /// DTLS 1.2 PSK suites: the identity the client sent (on a server, the
    /// one psk_lookup accepted); empty otherwise.
    std::string psk_identity;
    /// DTLS 1.2 PSK suites: the identity hint the server sent; empty if none.
    std::string psk_identity_hint;
    /// RFC 9146 (and RFC 9147 9 in DTLS 1.3): both hellos carried connection_id. The CIDs
    /// below may still be empty (a side that asked for none).
    bool connection_id = false;
    /// The CID we issued, which the peer's records carry; empty for none.
    Bytes our_connection_id;
    /// The CID the peer issued, which our records carry; empty for none. In
    /// DTLS 1.3 a NewConnectionId with usage cid_immediate replaces it.
    Bytes peer_connection_id;
    /// RFC 9853: both hellos carried rrc (only ever with connection_id),
    /// so return_routability_check records may be exchanged.
    bool return_routability_check = false;
    /// What the server's and the client's Certificate messages carry (RFC
    /// 7250): X.509 unless raw public keys were negotiated. The client's
    /// is what the server asked for, even when the client sent none.
    CertificateType server_certificate_type = CertificateType::x509;
    CertificateType client_certificate_type = CertificateType::x509;  ///< see server_certificate_type
    /// The peer's DER SubjectPublicKeyInfo when it authenticated with a raw
    /// public key (peer_chain then stays empty); empty otherwise.
    Bytes peer_raw_public_key;
};

/// Counters of a connection's traffic.
struct Stats {
    uint64_t datagrams_sent = 0;      ///< datagrams polled with poll_datagram()
    uint64_t datagrams_received = 0;  ///< datagrams handed to handle_datagram()
    uint64_t bytes_sent = 0;          ///< the bytes of those datagrams
    uint64_t bytes_received = 0;      ///< the bytes of those datagrams
    uint64_t records_dropped = 0;     ///< malformed, unauthenticated, replayed or wrong epoch
    uint64_t retransmissions = 0;     ///< flights sent again
    uint64_t pmtu_backoffs = 0;       ///< times the MTU was lowered for want of an answer (Config::pmtu_backoff_after)
    uint64_t path_challenges_sent = 0;   ///< RFC 9853 path_challenge messages we sent (retransmissions included)
    uint64_t path_responses_sent = 0;    ///< path_response messages we sent, one per path_challenge received
    uint64_t paths_validated = 0;        ///< path_response messages that carried the cookie of our challenge
    uint64_t path_validations_failed = 0;  ///< path validations that got no matching path_response in time
    /// RFC 9853 messages read and ignored: a path_response or path_drop
    /// that answers no challenge of ours, or an unknown message type.
    uint64_t rrc_messages_ignored = 0;
};

/// The events a Connection reports through poll_event().
namespace event {
/// The handshake is complete: the connection is established.
struct HandshakeComplete {};
/// Application data from the peer, one record's worth.
struct ApplicationData {
    Bytes data;  ///< the plaintext
};
struct Closed {};  ///< the peer sent close_notify
/// The connection failed (State::failed). A fatal alert it sends is left to poll.
struct Failed {
    Error error;  ///< why (also Connection::error())
};
/// Server: a ClientHello from this connection's address that does not belong
/// to it: the client restarted (same address and port), or someone forged
/// one. This connection is unchanged. To let a restarted client back in (RFC
/// 6347 4.2.8), hand the same datagram to Server::handle_datagram: it answers
/// with a cookie, and when the client returns a valid one it creates a new
/// connection, which should then replace this one.
struct NewClientHello {};
}  // namespace event

/// One of the events of namespace dtls::event.
using Event =
    std::variant<event::HandshakeComplete, event::ApplicationData, event::Closed, event::Failed, event::NewClientHello>;

namespace engine {
class Connection;
}

/// One DTLS association, driven entirely by its caller.
///
/// Inputs:  handle_datagram(bytes, now), handle_timeout(now), send(data, now),
///          close(now).
/// Outputs: poll_datagram(out) until it returns false, poll_event() until
///          empty, next_timeout().
/// After every input, drain poll_datagram() and poll_event(), then re-arm the
/// timer from next_timeout(). Nothing here reads a clock or touches a socket
/// (except that OpenSSL checks certificate dates against the system time).
class Connection {
public:
    /// A client connection; its ClientHello is ready to poll at once. This
    /// checks the configuration and loads its trust anchors on every call:
    /// to open many connections, create a dtls::Client once and connect()
    /// from it.
    static Result<Connection> client(const Config& config, Instant now);

    /// Movable, not copyable.
    ///@{
    Connection(Connection&&) noexcept;
    Connection& operator=(Connection&&) noexcept;
    ///@}
    ~Connection();

    /// One received UDP payload (which may hold several records).
    void handle_datagram(std::span<const uint8_t> datagram, Instant now);

    /// Writes the next datagram to send into `out` (replacing its contents)
    /// and returns true, or returns false when nothing is waiting. Every
    /// datagram fits the MTU.
    bool poll_datagram(std::vector<uint8_t>& out);

    /// The next event, or empty when none is waiting.
    std::optional<Event> poll_event();

    /// When handle_timeout should next be called; empty if no timer runs.
    std::optional<Instant> next_timeout() const;
    /// Retransmits, or fails the connection, when a timer has run out at
    /// `now`; otherwise does nothing.
    void handle_timeout(Instant now);

    /// Queues one application data record. Fails if the handshake is not
    /// complete or the payload cannot fit one datagram at the current MTU.
    Status send(std::span<const uint8_t> data, Instant now);

    /// Queues a close_notify alert; the connection is closed afterwards.
    void close(Instant now);

    /// DTLS 1.3: sends a KeyUpdate (RFC 9147 8), and asks the peer to update
    /// its keys too when `ask_peer`. Our records move to the new epoch once
    /// the peer acknowledges it; until then they use the current one.
    /// `invalid_state` before the handshake completes, while a flight of ours
    /// awaits its acknowledgement (the previous KeyUpdate, the client's last
    /// handshake flight or the server's tickets), and on a DTLS 1.2 connection.
    Status update_keys(Instant now, bool ask_peer = false);

    /// DTLS 1.3 with connection IDs (RFC 9147 9): our records carry the next
    /// spare CID the peer gave in a NewConnectionId (the oldest first; at
    /// most 8 are kept) from now on, as RFC 9147 9 advises when sending on a
    /// new path (a client whose network changed), so that the records on the
    /// new path cannot be linked to the old ones by their CID.
    /// `Negotiated::peer_connection_id` then reports it. `invalid_state`
    /// before the handshake completes and when no spare is left (always in
    /// DTLS 1.2).
    Status use_spare_connection_id();

    /// From min_mtu to max_mtu; applies to the next datagram produced,
    /// including retransmissions of the current flight. It replaces a size
    /// the path MTU back-off chose (Config::pmtu_backoff_after), which may
    /// still lower it later if flights go unanswered at it.
    Status set_mtu(size_t mtu);
    /// The current MTU: the configured one, the application's set_mtu(), or
    /// the smaller size the path MTU back-off found to get an answer.
    size_t mtu() const;
    /// The largest payload send() accepts at the current MTU and suite, once
    /// established (before that, send() accepts nothing, and this is only an
    /// upper bound).
    size_t max_payload() const;

    /// Which side this connection is.
    Role role() const;
    /// Where the connection is in its life.
    State state() const;
    const Negotiated& negotiated() const;  ///< meaningful once established
    /// Counters of its traffic so far.
    const Stats& stats() const;
    /// The error that failed the connection, if it failed.
    const std::optional<Error>& error() const;

    /// RFC 5705 keying material exporter (e.g. for DTLS-SRTP).
    Result<Bytes> export_keying_material(std::string_view label, std::span<const uint8_t> context,
                                         bool use_context, size_t length) const;

    /// For the library: applications get connections from Client, Server
    /// and Endpoint.
    explicit Connection(std::unique_ptr<engine::Connection> impl);
    /// For the library (the Endpoint): the engine behind this handle.
    const engine::Connection& engine() const { return *impl_; }
    /// For the library (the Endpoint, which starts RFC 9853 path checks):
    /// the engine behind this handle.
    engine::Connection& engine() { return *impl_; }

private:
    std::unique_ptr<engine::Connection> impl_;
};

}  // namespace dtls
