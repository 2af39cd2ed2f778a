// The engine behind dtls::Connection, the same for every protocol version:
// datagrams in and out, records opened and sealed through the epoch table,
// handshake fragments reassembled, flights sent and retransmitted, alerts,
// application data and events. What a handshake message means is the
// version's business (engine/protocol.hpp): the engine asks its Protocol and
// carries out the Step it returns.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <vector>

#include "dtls/connection.hpp"
#include "engine/fifo.hpp"
#include "engine/path_challenge.hpp"
#include "engine/protocol.hpp"
#include "engine/settings.hpp"
#include "record/epoch_table.hpp"
#include "transport/flight.hpp"
#include "transport/mtu_backoff.hpp"
#include "transport/reassembler.hpp"
#include "transport/retransmit_timer.hpp"
#include "transport/send_times.hpp"

namespace dtls::engine {

class Connection {
public:
    Connection(Role role, std::shared_ptr<const Settings> settings, std::unique_ptr<Protocol> protocol);

    // Client: queues the first flight.
    Status start(Instant now);
    // Server: expects the ClientHello with `message_seq` that the front door
    // accepted, which came in a record with `record_sequence`; the caller
    // then hands over the datagram that carried it.
    void start_server(uint16_t message_seq, uint64_t record_sequence, Instant now);

    void handle_datagram(std::span<const uint8_t> datagram, Instant now);
    bool poll_datagram(std::vector<uint8_t>& out);
    std::optional<Event> poll_event();
    std::optional<Instant> next_timeout() const;
    void handle_timeout(Instant now);
    Status send(std::span<const uint8_t> data, Instant now);
    void close(Instant now);
    Status set_mtu(size_t mtu);
    // DTLS 1.3: sends a KeyUpdate (asking the peer for one too if
    // `ask_peer`); our records move to the new epoch once it is acknowledged.
    Status update_keys(Instant now, bool ask_peer);
    // DTLS 1.3: our records carry the peer's next spare CID from now on.
    Status use_spare_connection_id();
    size_t mtu() const { return mtu_; }
    size_t max_payload() const;

    Role role() const { return role_; }
    State state() const { return state_; }
    const Negotiated& negotiated() const { return protocol_->negotiated(); }
    const Stats& stats() const { return stats_; }
    const std::optional<Error>& error() const { return error_; }
    Result<Bytes> export_keying_material(std::string_view label, std::span<const uint8_t> context, bool use_context,
                                         size_t length) const;
    // RFC 9146 6: whether the last datagram handed in held a record with our CID
    // (tls12_cid, or a DTLS 1.3 unified header with the C bit)
    // that authenticated and was newer (by epoch and sequence number) than
    // any before: the condition for an endpoint to move the peer's address.
    bool last_datagram_had_newest_cid_record() const { return newest_cid_record_; }
    // RFC 9853 path validation, for whoever sends this connection's
    // datagrams to an address (the Endpoint): sends a path_challenge with a
    // fresh cookie, resent on the timer (PathChallenge's limits), replacing
    // any validation under way. invalid_state unless established with rrc
    // negotiated.
    Status challenge_path(Instant now);
    // Ends a validation under way without a result (the address was
    // confirmed otherwise).
    void stop_path_challenge() { path_challenge_.reset(); }
    // Whether the last datagram handed in held a path_response echoing a
    // cookie of the validation under way (which that ended).
    bool last_datagram_validated_path() const { return path_validated_; }
    // Seals one return_routability_check record with `body` (an encoded
    // message) and queues it. No check of negotiation or of the body:
    // callers decide (tests play a peer that breaks the rules with it).
    Status send_rrc(std::span<const uint8_t> body);

private:
    // The length of the CIDs the peer's records carry: framing needs it.
    size_t cid_length() const { return protocol_->negotiated().our_connection_id.size(); }
    void process_record(const record::FramedRecord& framed);
    void on_handshake_record(const record::RecordNumber& number, std::span<const uint8_t> payload);
    void on_ack(uint64_t epoch, std::span<const uint8_t> payload);
    // DTLS 1.3: remembers a handshake record of the peer's current flight
    // for the next ACK, and sends that ACK.
    void note_received(const record::RecordNumber& number);
    void send_ack();
    // What the version (which a handshake may choose late) asks of the
    // record layer: logs of sent records, unified headers.
    void sync_version_rules();
    // The record size limits once negotiated (RFC 8449, RFC 6066 4): what
    // our protected records may carry, and what the peer's may.
    void sync_record_limits();
    // The DTLS 1.3 connection IDs our unified headers carry and expect.
    void sync_connection_ids();
    void on_change_cipher_spec(uint64_t epoch, std::span<const uint8_t> payload);
    void on_alert(uint64_t epoch, std::span<const uint8_t> payload);
    void on_application_data(uint64_t epoch, std::span<const uint8_t> payload);
    // RFC 9853: answers a path_challenge, ends our validation on its
    // path_response, ignores the rest.
    void on_return_routability_check(uint64_t epoch, std::span<const uint8_t> payload);
    Status send_path_challenge(Instant now);
    void hold_future_record(const record::FramedRecord& framed);
    // Established: tries a record of the next epoch under that epoch's keys,
    // which then becomes current if it opens.
    record::EpochTable::Disposition open_next_epoch(const record::FramedRecord& framed,
                                                    record::EpochTable::Opened& opened);
    // DTLS 1.3: a KeyUpdate of our own when a key nears its usage limits
    // (RFC 9147 4.5.3), if none is under way.
    void update_keys_if_due();
    void deliver_messages();
    void apply(Result<Step> step);
    // Our flight got its answer (the peer's next flight, or a full ACK):
    // its round trip sets the timer of later flights.
    void flight_answered();
    // The time of the call being served, for us and the state machine.
    void tick(Instant now) {
        now_ = now;
        protocol_->at(now);
    }
    void replay_future_records();
    void fail(Error error);
    void queue_alert(uint8_t level, Alert alert);
    // Resends the current flight because the peer resent its own (at most
    // once per timer period) or acknowledged only part of ours.
    void retransmit(bool throttled);
    // A sending of the current flight starts now (the first or a resend).
    void note_sending();
    // Whether the fragment starts a HelloVerifyRequest or HelloRetryRequest:
    // answers a server sends afresh for each copy of a ClientHello.
    static bool answers_statelessly(const transport::FragmentHeader& h, std::span<const uint8_t> fragment);
    bool established() const { return state_ == State::established; }
    // DTLS 1.3, after the handshake: a flight of ours (the client's last
    // handshake flight, a KeyUpdate) still awaits its ACK.
    bool awaiting_ack() const { return established() && timer_.deadline().has_value(); }
    bool is_new_client_hello(uint64_t epoch, const transport::FragmentHeader& h, std::span<const uint8_t> fragment);
    // Emits a trace line built by `line()` only when tracing is on.
    template <class MakeLine>
    void trace(MakeLine&& line) const {
        if (settings_->trace) settings_->trace(line());
    }

    Role role_;
    std::shared_ptr<const Settings> settings_;
    std::unique_ptr<Protocol> protocol_;
    State state_ = State::handshaking;
    Stats stats_;
    std::optional<Error> error_;
    size_t mtu_;
    // Bytes of content a protected record may carry: at most the peer's
    // limit when we send, and ours (none until negotiated) when we receive.
    size_t send_limit_ = record::kMaxPlaintextLength;
    std::optional<size_t> receive_limit_;
    // RFC 9146 6: the newest tls12_cid record that authenticated, and
    // whether the datagram being read brought a newer one.
    std::optional<record::RecordNumber> newest_cid_number_;
    bool newest_cid_record_ = false;
    // RFC 9853: our path validation under way, whether the datagram being
    // read ended it, and the path_responses queued since the outbox was
    // last empty (bounded: an answer per challenge, but not without limit
    // while the application does not poll).
    PathChallenge path_challenge_;
    bool path_validated_ = false;
    size_t unsent_path_responses_ = 0;
    Instant now_{};
    std::optional<Instant> handshake_deadline_;

    record::EpochTable epochs_;
    transport::Reassembler reassembler_;

    // Outgoing: the current flight (kept for retransmission) and one-off
    // records (application data, alerts).
    transport::Flight flight_;
    transport::FlightWriter flight_writer_;
    transport::RetransmitTimer timer_;
    // Lowers mtu_ when the timer's retransmissions of a flight go unanswered.
    transport::MtuBackoff mtu_backoff_;
    Instant flight_sent_at_{};  // when the current flight was first sent
    // Client: when each sending of a ClientHello flight left, and the round
    // trip of the sending the server's answer echoes, if it names one.
    transport::SendTimes hello_send_times_;
    std::optional<Duration> echoed_round_trip_;
    unsigned peer_triggered_retransmits_ = 0;
    // When the peer's retransmission last made us resend the current flight:
    // once per timer period at most, however many copies or fragments of its
    // flight arrive (RFC 6347 4.2.4, RFC 9147 5.8).
    std::optional<Instant> last_peer_triggered_resend_;
    bool peer_retransmitted_ = false;  // set while processing one datagram
    bool partially_acknowledged_ = false;  // likewise
    bool new_client_hello_ = false;    // likewise
    bool ack_due_ = false;             // likewise: send an ACK once the datagram is read
    // The record being processed comes right after a ChangeCipherSpec (in
    // its datagram or the one before): where a DTLS 1.2 peer's Finished is.
    bool after_change_cipher_spec_ = false;
    // DTLS 1.3: the handshake records of the peer's current flight we
    // processed or buffered, for our next ACK (RFC 9147 7); bounded.
    std::vector<record::RecordNumber> received_records_;
    // DTLS 1.3: when to acknowledge a gap in the peer's current flight, and
    // whether that was done (once per flight).
    std::optional<Instant> gap_ack_deadline_;
    bool gap_acknowledged_ = false;
    // DTLS 1.3 KeyUpdate: the epoch our records move to once the current
    // flight is acknowledged.
    std::optional<uint64_t> write_epoch_when_acknowledged_;
    // DTLS 1.3: the read epoch whose failures made us ask the peer for a
    // KeyUpdate already (asked once per epoch).
    std::optional<uint64_t> update_asked_for_read_epoch_;
    // The first epoch of application data (the read epoch at completion);
    // later ones come with the peer's KeyUpdates.
    uint64_t application_epoch_ = 0;
    // Server: the random of the ClientHello this connection was made for,
    // which tells its retransmissions from a restarted client's new hello.
    std::optional<std::array<uint8_t, 32>> hello_random_;
    bool awaiting_peer_flight_ = false;
    // Our flight completed the handshake (a DTLS 1.2 server's after a full
    // handshake, a client's after an abbreviated one): it is sent again
    // whenever the peer's flight before it comes again (RFC 6347 4.2.4).
    bool sent_last_flight_ = false;
    Fifo<Bytes> outbox_;
    // Buffers handed back by poll_datagram() callers, reused by send() so a
    // steady stream of records allocates nothing.
    std::vector<Bytes> spare_buffers_;

    // Incoming: records of the next epoch that arrived before it opened
    // (reordering), each kept whole as received, bounded, and read again
    // once that epoch opens.
    std::vector<Bytes> future_records_;
    size_t future_bytes_ = 0;
    Fifo<Event> events_;
};

}  // namespace dtls::engine
