// The engine behind dtls::Connection: record processing, reassembly, flight
// transmission and retransmission, alerts, application data and events. The
// role-specific handshake logic lives in client.cpp and server.cpp.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <vector>

#include "dtls/connection.hpp"
#include "handshake/flight.hpp"
#include "handshake/reassembler.hpp"
#include "handshake/retransmit_timer.hpp"
#include "record/record_layer.hpp"
#include "tls12/fifo.hpp"
#include "tls12/handshake.hpp"

namespace dtls {

class ConnectionImpl {
public:
    ConnectionImpl(Role role, std::shared_ptr<const Config> config, std::shared_ptr<const crypto::TrustStore> trust);

    // Client: queues the ClientHello.
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
    size_t mtu() const { return mtu_; }
    size_t max_payload() const;

    Role role() const { return role_; }
    State state() const { return state_; }
    const Negotiated& negotiated() const { return negotiated_; }
    const Stats& stats() const { return stats_; }
    const std::optional<Error>& error() const { return error_; }
    Result<Bytes> export_keying_material(std::string_view label, std::span<const uint8_t> context, bool use_context,
                                         size_t length) const;

private:
    void process_record(const record::RecordHeader& header, std::span<uint8_t> fragment);
    void on_handshake_record(uint16_t epoch, std::span<const uint8_t> payload);
    void on_change_cipher_spec(uint16_t epoch, std::span<const uint8_t> payload);
    void on_alert(uint16_t epoch, std::span<const uint8_t> payload);
    void on_application_data(uint16_t epoch, std::span<const uint8_t> payload);
    void deliver_messages();
    void apply_change_cipher_spec();
    void apply(Result<tls12::Step> step);
    void replay_future_records();
    void fail(Error error);
    void queue_alert(uint8_t level, Alert alert);
    void retransmit();
    bool established() const { return state_ == State::established; }
    bool is_new_client_hello(uint16_t epoch, const handshake::FragmentHeader& h, std::span<const uint8_t> fragment);
    // Emits a trace line built by `line()` only when tracing is on.
    template <class MakeLine>
    void trace(MakeLine&& line) const {
        if (config_->trace) config_->trace(line());
    }

    Role role_;
    std::shared_ptr<const Config> config_;
    State state_ = State::handshaking;
    Negotiated negotiated_;
    Stats stats_;
    std::optional<Error> error_;
    size_t mtu_;
    Instant now_{};
    std::optional<Instant> handshake_deadline_;

    record::RecordLayer records_;
    handshake::Reassembler reassembler_;
    tls12::HandshakeContext context_;
    std::unique_ptr<tls12::Handshake> handshake_;

    // Outgoing: the current flight (kept for retransmission) and one-off
    // records (application data, alerts).
    handshake::Flight flight_;
    handshake::FlightWriter flight_writer_;
    handshake::RetransmitTimer timer_;
    unsigned peer_triggered_retransmits_ = 0;
    bool peer_retransmitted_ = false;  // set while processing one datagram
    bool new_client_hello_ = false;    // likewise
    // Server: the random of the ClientHello this connection was made for,
    // which tells its retransmissions from a restarted client's new hello.
    std::optional<std::array<uint8_t, 32>> hello_random_;
    bool awaiting_peer_flight_ = false;
    tls12::Fifo<Bytes> outbox_;
    // Buffers handed back by poll_datagram() callers, reused by send() so a
    // steady stream of records allocates nothing.
    std::vector<Bytes> spare_buffers_;

    // Incoming: a ChangeCipherSpec that arrived before the messages that
    // precede it, and epoch 1 records that arrived before it (bounded).
    bool early_change_cipher_spec_ = false;
    struct FutureRecord {
        record::RecordHeader header;
        Bytes fragment;
    };
    std::vector<FutureRecord> future_records_;
    size_t future_bytes_ = 0;
    tls12::Fifo<Event> events_;
};

}  // namespace dtls
