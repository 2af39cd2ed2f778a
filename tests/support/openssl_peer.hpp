// An OpenSSL 3.0 libssl DTLS 1.2 endpoint, run in-process and sans-I/O like
// our engine, so tests can prove our client and server against libssl.
//
// Datagrams go in with receive() and come out with poll_datagram(); nothing
// touches a socket. Time is virtual: the peer never reads a clock. It runs at
// the Instant given to the constructor, set_now() or handle_timeout(), and
// libssl's retransmission timer runs in that time (see openssl_clock.hpp), so
// next_timeout()/handle_timeout() drive real libssl retransmissions.
//
// Typical loop: receive(datagram) (which also advances), drain
// poll_datagram(), take_received(), re-arm from next_timeout().
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/types.h>

#include "dtls/config.hpp"
#include "support/datagram_bio.hpp"

namespace dtls::test {

enum class PeerRole { client, server };

struct OpenSslPeerOptions {
    PeerRole role = PeerRole::client;

    // Our certificate chain (PEM, leaf first) and its key: required for a
    // server, optional for a client (sent only when the server asks).
    std::string cert_chain_pem;
    std::string key_pem;

    // Roots trusted when checking the peer (PEM, one or more certificates).
    std::string ca_pem;
    // Client: check the server's chain against ca_pem (and expected_host_name).
    // Server: ask for a client certificate and check it against ca_pem if sent.
    bool verify_peer = false;
    // Server: fail the handshake when the client sends no certificate
    // (implies asking for one).
    bool require_client_certificate = false;

    std::string cipher_list = "ECDHE+AESGCM:ECDHE+CHACHA20";  // TLS 1.2 cipher string
    std::string groups = "X25519:P-256:P-384";
    std::string signature_algorithms;  // e.g. "ECDSA+SHA256:RSA-PSS+SHA256"; empty: libssl's default

    // Server: answer a ClientHello without a valid cookie with a HelloVerifyRequest.
    bool cookie_exchange = true;

    size_t mtu = 1200;  // UDP payload bytes per datagram; libssl's lower bound is 256

    // ALPN protocols in preference order. A server with a list and no overlap
    // fails the handshake with no_application_protocol.
    std::vector<std::string> alpn;

    // DTLS-SRTP profiles in OpenSSL's names ("SRTP_AES128_CM_SHA1_80:
    // SRTP_AEAD_AES_128_GCM"); empty: no use_srtp. libssl offers no MKI and
    // answers with none.
    std::string srtp_profiles;

    // Client: max_fragment_length (RFC 6066 4) to offer, as OpenSSL's
    // TLSEXT_max_fragment_length_512..4096 codes 1..4; 0 offers none.
    uint8_t max_fragment_length = 0;

    // Pre-shared keys (PSK cipher suites, e.g. cipher_list "PSK-AES128-CCM8"):
    // a client sends psk_identity with psk_key; a server accepts only
    // psk_identity (any other is unknown) and sends psk_identity_hint if set.
    // A server with a key needs no certificate.
    std::string psk_identity;
    std::vector<uint8_t> psk_key;
    std::string psk_identity_hint;

    std::string sni_host_name;       // client: sent as server_name
    std::string expected_host_name;  // client: checked against the server's certificate (with verify_peer)

    // Session resumption. Server: no_ticket turns RFC 5077 tickets off
    // (SSL_OP_NO_TICKET), leaving session IDs (libssl's server cache is on).
    // Client: no_ticket offers no ticket extension; resume_session is a
    // session from session_der() of an earlier connection, offered again.
    bool no_ticket = false;
    std::vector<uint8_t> resume_session;

    // libssl's retransmission schedule, in virtual time: the timer starts at
    // initial and doubles on every expiry up to max. libssl itself gives up
    // after 12 expiries in a row (DTLS1_TMO_ALERT_COUNT).
    Duration initial_retransmit_timeout = std::chrono::seconds(1);
    Duration max_retransmit_timeout = std::chrono::seconds(60);
};

class OpenSslPeer {
public:
    // Never throws: if the options cannot be applied (bad PEM, bad cipher
    // string...), failed() is true at once and error() says why. A client
    // starts its handshake here, so its ClientHello is ready to poll.
    explicit OpenSslPeer(const OpenSslPeerOptions& options, Instant now = Instant{});
    // A second connection of a server on the same SSL_CTX as `earlier`, so
    // with its session cache, ticket keys and cookie secret (`options` must
    // be the ones `earlier` was made with).
    OpenSslPeer(const OpenSslPeerOptions& options, Instant now, const OpenSslPeer& earlier);
    ~OpenSslPeer();
    OpenSslPeer(const OpenSslPeer&) = delete;
    OpenSslPeer& operator=(const OpenSslPeer&) = delete;

    // The virtual time for the calls that follow (never moves backwards).
    void set_now(Instant now);
    Instant now() const { return now_; }

    // Queues one received datagram and advances.
    void receive(std::span<const uint8_t> datagram);
    // Writes the next datagram libssl produced into `out`; false when none.
    bool poll_datagram(std::vector<uint8_t>& out);
    // Drives the handshake, or reads all application data that can be read.
    void advance();

    // When handle_timeout should next be called; empty while no timer runs.
    std::optional<Instant> next_timeout() const;
    // Sets the time; if the deadline has passed, lets libssl retransmit
    // (DTLSv1_handle_timeout) and then advances.
    void handle_timeout(Instant now);

    bool handshake_complete() const { return complete_; }
    bool failed() const { return failed_; }
    const std::string& error() const { return error_; }

    // SSL_write of one record; the number of bytes written, or -1.
    int send(std::span<const uint8_t> data);
    // Application data read since the last call, one entry per record.
    std::vector<std::vector<uint8_t>> take_received();

    // SSL_shutdown: queues a close_notify datagram.
    void close();
    // Asks for a renegotiation (SSL_renegotiate): a client sends a new
    // ClientHello, a server a HelloRequest. False if libssl refused at once.
    bool renegotiate();
    bool peer_closed() const { return peer_closed_; }

    // What was agreed (meaningful once the handshake is complete).
    std::string cipher_name() const;   // OpenSSL's name, e.g. "ECDHE-ECDSA-AES128-GCM-SHA256"
    uint16_t cipher_id() const;        // IANA code point, compare with dtls::CipherSuite
    std::string group_name() const;    // e.g. "x25519", "secp256r1"; empty if unknown
    std::string alpn() const;          // empty if none was agreed
    uint16_t srtp_profile() const;     // the agreed SRTP profile's code point; 0 if none
    std::string server_name() const;   // server: SNI the client sent; empty if none
    std::vector<uint8_t> peer_cert_der() const;  // empty if the peer sent none
    bool extended_master_secret() const;
    // The session, DER-encoded (i2d_SSL_SESSION), for a client to resume
    // later; empty if there is none.
    std::vector<uint8_t> session_der() const;
    // The handshake resumed a session (SSL_session_reused).
    bool session_reused() const;
    // RFC 5705 exporter; empty on failure.
    std::vector<uint8_t> export_keying_material(std::string_view label, std::span<const uint8_t> context,
                                                size_t length, bool use_context = true) const;

    // Observations for tests.
    // Timer expiries libssl acted on; each resends the current flight, except
    // the last when libssl gives up after its 12th.
    unsigned retransmissions() const { return retransmissions_; }
    unsigned cookies_sent() const { return cookies_sent_; }          // HelloVerifyRequests (server)
    unsigned cookies_verified() const { return cookies_verified_; }  // valid cookies returned (server)
    std::optional<uint8_t> last_alert_sent() const { return alert_sent_; }
    std::optional<uint8_t> last_alert_received() const { return alert_received_; }
    // PSK suites: the identity a client sent (server), the hint a server sent
    // (client; empty if none).
    const std::string& psk_identity_seen() const { return psk_identity_seen_; }
    const std::string& psk_hint_seen() const { return psk_hint_seen_; }

private:
    struct Callbacks;
    friend struct Callbacks;

    bool configure_context(const OpenSslPeerOptions& options);
    bool configure_connection(const OpenSslPeerOptions& options);
    bool fail(std::string what);  // records the failure; returns false
    void read_application_data();

    Instant now_;
    Duration initial_timeout_;
    Duration max_timeout_;
    DatagramQueues queues_;
    SSL_CTX* ctx_ = nullptr;
    SSL* ssl_ = nullptr;
    std::vector<uint8_t> alpn_server_list_;  // wire format, for the server's selection
    std::vector<uint8_t> cookie_secret_;
    std::vector<std::vector<uint8_t>> received_;
    std::string psk_identity_;
    std::vector<uint8_t> psk_key_;
    std::string psk_identity_seen_;
    std::string psk_hint_seen_;

    bool complete_ = false;
    bool failed_ = false;
    bool peer_closed_ = false;
    std::string error_;
    unsigned retransmissions_ = 0;
    unsigned cookies_sent_ = 0;
    unsigned cookies_verified_ = 0;
    std::optional<uint8_t> alert_sent_;
    std::optional<uint8_t> alert_received_;
};

}  // namespace dtls::test
