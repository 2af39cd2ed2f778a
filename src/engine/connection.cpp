#include "engine/connection.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>

#include "crypto/random.hpp"
#include "crypto/secret.hpp"
#include "engine/scratch_buffer.hpp"
#include "messages/ack.hpp"
#include "messages/hello_retry_request.hpp"
#include "messages/return_routability_check.hpp"
#include "record/datagram_reader.hpp"
#include "transport/fragment.hpp"

namespace dtls::engine {

namespace {

constexpr uint8_t kAlertWarning = 1;
constexpr uint8_t kAlertFatal = 2;
// Records of the next epoch that arrive before it opens (reordering) are
// kept, within these bounds, and read again once it does.
constexpr size_t kMaxFutureRecords = 8;
constexpr size_t kMaxFutureBytes = 32 * 1024;
constexpr size_t kMaxSpareBuffers = 2;
// RFC 9853: path_responses waiting in the outbox at most; a peer's further
// challenges are ignored until the application has polled the outbox empty.
constexpr size_t kMaxUnsentPathResponses = 4;
// An ACK names at most this many records (the newest): a flight of the
// handshake fits in far fewer, and the list must fit one datagram.
constexpr size_t kMaxAckedRecords = 32;

std::string milliseconds(Duration d) {
    return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()) + " ms";
}

}  // namespace

Connection::Connection(Role role, std::shared_ptr<const Settings> settings, std::unique_ptr<Protocol> protocol)
    : role_(role),
      settings_(std::move(settings)),
      protocol_(std::move(protocol)),
      mtu_(settings_->mtu),
      timer_(settings_->initial_retransmit_timeout, settings_->max_retransmit_timeout, settings_->max_retransmits,
             settings_->retransmit_timeout_from_round_trip),
      mtu_backoff_(settings_->pmtu_backoff_after) {
    record::Dtls13Protection::HeaderOptions header;
    header.long_sequence = !settings_->dtls13_short_sequence_numbers;
    epochs_.set_dtls13_header(header);
    epochs_.omit_final_length(settings_->dtls13_omit_length);
    sync_version_rules();
}

void Connection::sync_version_rules() {
    const bool dtls13 = protocol_->acknowledges_records();
    flight_writer_.track_records(dtls13);
    epochs_.expect_dtls13(dtls13);
}

void Connection::sync_connection_ids() {
    // DTLS 1.2 keeps its CIDs in each epoch's keys; DTLS 1.3 puts them in
    // every unified header once the hellos agreed them (RFC 9147 9).
    if (!protocol_->acknowledges_records()) return;
    const Negotiated& agreed = protocol_->negotiated();
    epochs_.set_dtls13_connection_ids(agreed.peer_connection_id, agreed.our_connection_id);
}

void Connection::sync_record_limits() {
    const Negotiated& agreed = protocol_->negotiated();
    // DTLS 1.3's record_size_limit counts the inner content type byte
    // (RFC 8449 4); max_fragment_length counts content only in both
    // versions, as does DTLS 1.2's record_size_limit.
    const size_t type_byte = protocol_->acknowledges_records() && !agreed.max_fragment_length ? 1 : 0;
    auto content = [&](uint16_t limit) {
        return std::min<size_t>(limit > type_byte ? limit - type_byte : 0, record::kMaxPlaintextLength);
    };
    if (agreed.peer_record_size_limit) {
        send_limit_ = content(*agreed.peer_record_size_limit);
        flight_writer_.limit_records(send_limit_, agreed.max_fragment_length ? send_limit_ : SIZE_MAX);
    }
    if (agreed.record_size_limit) receive_limit_ = content(*agreed.record_size_limit);
}

Status Connection::start(Instant now) {
    tick(now);
    handshake_deadline_ = now + settings_->handshake_timeout;
    apply(protocol_->start());
    if (error_) return *error_;
    return Ok{};
}

void Connection::start_server(uint16_t message_seq, uint64_t record_sequence, Instant now) {
    tick(now);
    handshake_deadline_ = now + settings_->handshake_timeout;
    // Continue the record numbering from the ClientHello so our records
    // never reuse the sequence number of a stateless HelloVerifyRequest,
    // which echoed the first ClientHello's (RFC 6347 4.2.1).
    epochs_.set_next_plaintext_sequence(record_sequence);
    reassembler_.skip_to(message_seq);
}

void Connection::handle_datagram(std::span<const uint8_t> datagram, Instant now) {
    tick(now);
    stats_.datagrams_received++;
    stats_.bytes_received += datagram.size();
    trace([&] { return "<- datagram " + std::to_string(datagram.size()) + " bytes"; });
    if (state_ == State::closed || state_ == State::failed) {
        trace([] { return "   ignored: connection is over"; });
        return;
    }

    // Records are decrypted in place, so work on a copy.
    ScratchBuffer scratch(datagram);
    record::DatagramReader reader(scratch.bytes(), cid_length());
    newest_cid_record_ = false;
    path_validated_ = false;
    peer_retransmitted_ = false;
    partially_acknowledged_ = false;
    new_client_hello_ = false;
    ack_due_ = false;
    while (state_ == State::handshaking || state_ == State::established) {
        record::FramedRecord framed;
        reader.set_cid_length(cid_length());  // a DTLS 1.3 ServerHello may have just agreed one
        const record::DatagramReader::Next next = reader.next(framed);
        if (next == record::DatagramReader::Next::end) {
            if (*reader.why() != '\0') {
                stats_.records_dropped++;  // the rest of the datagram cannot be framed
                trace([&] { return std::string("   dropped rest of datagram: ") + reader.why(); });
            }
            break;
        }
        if (next == record::DatagramReader::Next::dropped) {
            stats_.records_dropped++;
            trace([&] { return std::string("   dropped record: ") + reader.why(); });
            continue;
        }
        if (epochs_.carries_another_cid(framed)) {
            stats_.records_dropped++;
            trace([] { return std::string("   dropped rest of datagram: a record with a connection ID that is not ours (RFC 9147 4)"); });
            break;
        }
        process_record(framed);
        // Set after the ChangeCipherSpec is processed: records held for
        // epoch 1 and taken when it opened the epoch came before it.
        after_change_cipher_spec_ = framed.format == record::HeaderFormat::dtls12 && framed.epoch == 0 &&
                                    framed.type == record::ContentType::change_cipher_spec;
    }
    if (partially_acknowledged_) {
        retransmit(false);
    } else if (peer_retransmitted_) {
        retransmit(true);
    }
    if (ack_due_ && (state_ == State::handshaking || state_ == State::established)) send_ack();
    if (new_client_hello_ && (state_ == State::handshaking || state_ == State::established)) {
        events_.push_back(event::NewClientHello{});
    }
}

void Connection::process_record(const record::FramedRecord& framed) {
    // A DTLS 1.3 protected record hides its type and most of its number
    // until it is opened.
    const bool unified = framed.format == record::HeaderFormat::unified;
    trace([&] {
        if (unified) {
            return "   record (unified header) epoch bits " + std::to_string(framed.epoch) + " length " +
                   std::to_string(framed.body.size());
        }
        return "   record " + std::string(record::to_string(framed.type)) + " epoch " + std::to_string(framed.epoch) +
               " seq " + std::to_string(framed.sequence) + " length " + std::to_string(framed.body.size());
    });
    record::EpochTable::Opened opened;
    const uint64_t failures_before = epochs_.read_usage().used;
    record::EpochTable::Disposition disposition = epochs_.open(framed, opened);
    if (disposition == record::EpochTable::Disposition::future) {
        if (!established()) {
            hold_future_record(framed);
            return;
        }
        // After the handshake only a peer's KeyUpdate gives the next epoch
        // keys (DTLS 1.3); its first record that authenticates opens it,
        // and the old epoch's keys stay for late records.
        disposition = open_next_epoch(framed, opened);
    }
    switch (disposition) {
        case record::EpochTable::Disposition::deliver: break;
        case record::EpochTable::Disposition::future:
            stats_.records_dropped++;
            trace([] { return "   dropped: record of an epoch that is not open"; });
            return;
        case record::EpochTable::Disposition::drop:
            stats_.records_dropped++;
            trace([&] { return std::string("   dropped: ") + epochs_.drop_reason(); });
            // Only a record in the place of the peer's Finished counts: a
            // stray or forged one elsewhere must not end the handshake.
            if (!established() && after_change_cipher_spec_ && epochs_.read_usage().used > failures_before) {
                if (std::optional<Error> e = protocol_->on_unauthenticated_record()) {
                    fail(std::move(*e));
                    return;
                }
            }
            update_keys_if_due();
            return;
        case record::EpochTable::Disposition::exhausted:
            stats_.records_dropped++;
            fail(Error::from(Fault::forgery_limit,
                             std::to_string(epochs_.read_usage().used) + " records failed to authenticate with epoch " +
                                 std::to_string(epochs_.read_epoch()) +
                                 "'s key, the limit for its cipher (RFC 9147 4.5.3): closing"));
            return;
    }
    const uint64_t epoch = opened.number.epoch;
    // RFC 9146 6: only a record newer than any before may move the peer's
    // address; the endpoint asks after the datagram.
    if (!framed.cid.empty() &&
        (!newest_cid_number_ || opened.number.epoch > newest_cid_number_->epoch ||
         (opened.number.epoch == newest_cid_number_->epoch && opened.number.sequence > newest_cid_number_->sequence))) {
        newest_cid_number_ = opened.number;
        newest_cid_record_ = true;
    }
    // RFC 8449 4 (and RFC 8446 5.4 for DTLS 1.3): a protected record over
    // the limit we announced is fatal. DTLS may instead drop it; the alert
    // tells a misbehaving peer why nothing gets through. In DTLS 1.3 the
    // record layer has already stripped the padding, so only the content is
    // compared: padding beyond the limit is tolerated, since the limit is
    // about what our buffers must hold.
    if (epoch != 0 && receive_limit_ && opened.plaintext.size() > *receive_limit_) {
        fail(Error::from(Fault::record_too_large, "a record of " + std::to_string(opened.plaintext.size()) +
                                                      " bytes of plaintext exceeds our record size limit of " +
                                                      std::to_string(*receive_limit_)));
        return;
    }
    if (unified) {
        trace([&] {
            return "   opened: " + std::string(record::to_string(opened.type)) + " epoch " + std::to_string(epoch) +
                   " seq " + std::to_string(opened.number.sequence);
        });
    }
    switch (opened.type) {
        case record::ContentType::handshake: on_handshake_record(opened.number, opened.plaintext); break;
        case record::ContentType::ack: on_ack(epoch, opened.plaintext); break;
        case record::ContentType::change_cipher_spec: on_change_cipher_spec(epoch, opened.plaintext); break;
        case record::ContentType::alert: on_alert(epoch, opened.plaintext); break;
        case record::ContentType::application_data: on_application_data(epoch, opened.plaintext); break;
        case record::ContentType::return_routability_check:
            on_return_routability_check(epoch, opened.plaintext);
            break;
        default:
            stats_.records_dropped++;
            trace([] { return "   dropped: content type not used here"; });
            break;
    }
}

record::EpochTable::Disposition Connection::open_next_epoch(const record::FramedRecord& framed,
                                                            record::EpochTable::Opened& opened) {
    using Disposition = record::EpochTable::Disposition;
    const uint64_t current = epochs_.read_epoch();
    if (!epochs_.activate_read(current + 1)) return Disposition::future;  // no keys for it
    const Disposition disposition = epochs_.open(framed, opened);
    if (disposition == Disposition::deliver) {
        trace([&] { return "   reading epoch " + std::to_string(current + 1); });
    } else if (disposition != Disposition::exhausted) {
        epochs_.activate_read(current);
    }
    return disposition;
}

void Connection::hold_future_record(const record::FramedRecord& framed) {
    const size_t size = framed.header.size() + framed.body.size();
    if (future_records_.size() < kMaxFutureRecords && future_bytes_ + size <= kMaxFutureBytes) {
        Bytes whole(framed.header.begin(), framed.header.end());
        whole.insert(whole.end(), framed.body.begin(), framed.body.end());
        future_records_.push_back(std::move(whole));
        future_bytes_ += size;
        trace([] { return "   held until its epoch opens"; });
    } else {
        stats_.records_dropped++;
        trace([] { return "   dropped: too many records held for the next epoch"; });
    }
}

void Connection::on_handshake_record(const record::RecordNumber& number, std::span<const uint8_t> payload) {
    const uint64_t epoch = number.epoch;
    const bool acks = protocol_->acknowledges_records();
    wire::Reader reader(payload);
    bool refused = false;
    bool processed = false;  // some fragment was taken or was already held: the record may be acknowledged
    while (!reader.empty()) {
        transport::FragmentHeader h;
        std::span<const uint8_t> fragment;
        if (!transport::read_fragment(reader, h, fragment)) {
            // Plaintext garbage may be spoofed and is dropped; a protected
            // record that authenticates but does not parse is the peer's fault.
            if (epoch == 0) {
                stats_.records_dropped++;
                trace([] { return "   dropped: malformed handshake fragment"; });
            } else {
                fail(Error::from(Fault::malformed_message, "malformed handshake fragment"));
            }
            return;
        }
        trace([&] {
            return "   " + std::string(messages::to_string(h.type)) + " message_seq " + std::to_string(h.message_seq) +
                   " bytes " + std::to_string(h.fragment_offset) + ".." +
                   std::to_string(h.fragment_offset + h.fragment_length) + " of " + std::to_string(h.length);
        });
        if (is_new_client_hello(epoch, h, fragment)) {
            new_client_hello_ = true;
            trace([] { return "   a new ClientHello from this address: left to the front door"; });
            continue;
        }
        const bool is_previous = h.message_seq < reassembler_.next_seq();
        const bool last_of_peer_flight = h.message_seq + 1 == reassembler_.next_seq();
        // A retransmitted final message of the peer's previous flight means
        // our answer to it was lost: send ours again (RFC 6347 4.2.4).
        if (is_previous && last_of_peer_flight && (awaiting_peer_flight_ || established())) {
            trace([] { return "   peer retransmitted its last flight"; });
            if (acks && established() && !awaiting_ack()) {
                // DTLS 1.3: our ACK of its final flight was lost.
                processed = true;
                ack_due_ = true;
            } else if (role_ == Role::server || sent_last_flight_ || !established() || awaiting_ack()) {
                peer_retransmitted_ = true;
            }
            continue;
        }
        const FragmentRule rule = protocol_->screen(epoch, h, established());
        if (rule.action == FragmentRule::Action::ignore) {
            trace([&] { return std::string("   ignored: ") + rule.why; });
            continue;
        }
        if (rule.action == FragmentRule::Action::refuse) {
            if (!refused) queue_alert(kAlertWarning, rule.refusal);
            refused = true;
            trace([&] { return std::string("   refused: ") + rule.why; });
            continue;
        }
        // Once a protected epoch is open for reading, only its handshake
        // messages count; older ones can only be stale retransmissions.
        if (epoch < epochs_.read_epoch()) {
            trace([] { return "   ignored: handshake record from an older epoch"; });
            continue;
        }
        const bool out_of_order = acks && !established() && reassembler_.leaves_gap(h);
        switch (reassembler_.add(h, fragment)) {
            case transport::Reassembler::Verdict::accepted:
                processed = true;
                // A HelloVerifyRequest or HelloRetryRequest echoes the
                // record number of the ClientHello copy it answers (RFC 6347
                // 4.2.1; a server sends one afresh per copy it gets): that
                // copy's round trip.
                if (epoch == 0 && awaiting_peer_flight_ && !echoed_round_trip_ && answers_statelessly(h, fragment)) {
                    echoed_round_trip_ = hello_send_times_.round_trip(
                        number.sequence, epochs_.next_plaintext_sequence(), now_);
                }
                // DTLS 1.3: a gap in the peer's flight. A quarter of a timer
                // period later, unless the flight is whole by then, we tell
                // the peer what came so far, once per flight, so it resends
                // the rest before its own timer (RFC 9147 7.1).
                if (out_of_order && !gap_acknowledged_ && !gap_ack_deadline_) {
                    gap_ack_deadline_ = now_ + timer_.period() / 4;
                    trace([&] {
                        return "   out of order: ACK in " + milliseconds(*gap_ack_deadline_ - now_) +
                               " unless the flight is whole by then";
                    });
                }
                break;
            case transport::Reassembler::Verdict::old:
                trace([] { return "   ignored: already processed"; });
                processed = true;
                // A post-handshake message again: our ACK was lost (RFC 9147 7).
                if (acks && established()) ack_due_ = true;
                break;
            case transport::Reassembler::Verdict::duplicate:
                trace([] { return "   ignored: duplicate"; });
                processed = true;
                break;
            case transport::Reassembler::Verdict::dropped:
                trace([] { return "   dropped: outside reassembly limits or inconsistent"; });
                break;
        }
    }
    // Noted before the messages are handled: a flight they cause in answer
    // acknowledges the record implicitly and clears the list.
    if (acks && processed && epoch != 0) note_received(number);
    deliver_messages();
}

void Connection::note_received(const record::RecordNumber& number) {
    if (std::find(received_records_.begin(), received_records_.end(), number) != received_records_.end()) return;
    if (received_records_.size() == kMaxAckedRecords) received_records_.erase(received_records_.begin());
    received_records_.push_back(number);
}

void Connection::send_ack() {
    // As many records as one datagram holds, the newest first to go in
    // (RFC 9147 7: favour those not acknowledged yet).
    constexpr size_t kListLength = 2, kRecordNumberLength = 16;
    const size_t overhead = epochs_.overhead(epochs_.write_epoch()) + kListLength;
    const size_t room = mtu_ > overhead ? std::min(mtu_ - overhead, send_limit_ - kListLength) : 0;
    const size_t fit = room / kRecordNumberLength;
    // During the handshake an ACK is never sent in an epoch older than a
    // record it names (RFC 9147 7): those wait for a later one. After it,
    // each direction has its own epochs.
    messages::Ack ack;
    for (auto it = received_records_.rbegin(); it != received_records_.rend() && ack.records.size() < fit; ++it) {
        if (established() || it->epoch <= epochs_.write_epoch()) ack.records.push_back(*it);
    }
    if (ack.records.empty()) return;
    std::sort(ack.records.begin(), ack.records.end(), [](const record::RecordNumber& a, const record::RecordNumber& b) {
        return a.epoch != b.epoch ? a.epoch < b.epoch : a.sequence < b.sequence;
    });
    Bytes body;
    wire::Writer writer(body);
    Bytes datagram;
    // In the newest epoch we write (RFC 9147 7): never older than the
    // records acknowledged.
    if (!messages::encode(ack, writer) ||
        !epochs_.seal(epochs_.write_epoch(), record::ContentType::ack, body, datagram, true)) {
        return;
    }
    trace([&] { return "-> ACK of " + std::to_string(ack.records.size()) + " records"; });
    outbox_.push_back(std::move(datagram));
    // After the handshake each ACK answers what came since the last one.
    if (established()) received_records_.clear();
}

void Connection::on_ack(uint64_t epoch, std::span<const uint8_t> payload) {
    // ACKs exist only in DTLS 1.3, and a plaintext one could come from
    // anyone.
    if (!protocol_->acknowledges_records() || epoch == 0) {
        stats_.records_dropped++;
        trace([] { return "   dropped: ACK outside a protected DTLS 1.3 epoch"; });
        return;
    }
    auto ack = messages::decode_ack(payload);
    if (!ack) {
        fail(ack.error());
        return;
    }
    trace([&] { return "   ACK of " + std::to_string(ack->records.size()) + " records"; });
    if (flight_.messages.empty()) return;
    // Records never sent, or of a flight already forgotten, retire nothing.
    for (const record::RecordNumber& number : ack->records) flight_writer_.acknowledge(number);
    if (flight_writer_.fully_acknowledged()) {
        // Every byte arrived: no more retransmissions of it (RFC 9147 7.2).
        trace([&] { return "   " + flight_.name + " fully acknowledged"; });
        flight_answered();
        timer_.stop();
        flight_writer_.stop();
        protocol_->flight_acknowledged();
        if (write_epoch_when_acknowledged_) {
            if (!epochs_.activate_write(*write_epoch_when_acknowledged_)) {
                fail(Error::from(Fault::internal_failure, "no keys to write epoch " +
                                                              std::to_string(*write_epoch_when_acknowledged_)));
                return;
            }
            trace([&] { return "   writing epoch " + std::to_string(*write_epoch_when_acknowledged_); });
            write_epoch_when_acknowledged_.reset();
        }
        return;
    }
    // Part of it arrived: send the rest now rather than at the timer.
    if (!ack->records.empty() && (awaiting_peer_flight_ || awaiting_ack())) partially_acknowledged_ = true;
}

// A server connection remembers the random of the ClientHello it was made
// for (the first one it sees; the cookie exchange keeps it the same). A
// ClientHello with another random is not this association's: a restarted
// client, or a forgery. Only a valid cookie, which the front door checks,
// may let it replace this connection (RFC 6347 4.2.8).
bool Connection::is_new_client_hello(uint64_t epoch, const transport::FragmentHeader& h,
                                     std::span<const uint8_t> fragment) {
    constexpr size_t random_at = 2;  // after client_version
    constexpr size_t random_length = 32;
    if (role_ != Role::server || epoch != 0 || h.type != messages::HandshakeType::client_hello ||
        h.fragment_offset != 0 || fragment.size() < random_at + random_length) {
        return false;
    }
    std::span<const uint8_t> random = fragment.subspan(random_at, random_length);
    if (!hello_random_) {
        hello_random_.emplace();
        std::copy(random.begin(), random.end(), hello_random_->begin());
        return false;
    }
    return !std::equal(random.begin(), random.end(), hello_random_->begin());
}

void Connection::deliver_messages() {
    // After the handshake only a version that gives post-handshake messages
    // meaning (DTLS 1.3) lets its screen pass them to the reassembler.
    while (state_ == State::handshaking || state_ == State::established) {
        std::optional<transport::Message> message = reassembler_.next();
        if (!message) return;
        // The first new message of the peer's next flight shows our flight
        // arrived: stop retransmitting it.
        if (awaiting_peer_flight_) {
            awaiting_peer_flight_ = false;
            flight_answered();
            timer_.stop();
        }
        apply(protocol_->on_message(*message));
    }
}

void Connection::on_change_cipher_spec(uint64_t epoch, std::span<const uint8_t> payload) {
    if (state_ != State::handshaking) {
        stats_.records_dropped++;
        trace([] { return "   dropped: ChangeCipherSpec after the handshake"; });
        return;
    }
    CipherChange change = protocol_->on_change_cipher_spec(epoch, payload);
    if (change.dropped) {
        stats_.records_dropped++;
        trace([&] { return std::string("   dropped: ") + change.why; });
        return;
    }
    if (!change.step) {
        trace([&] { return std::string("   ") + change.why; });
        return;
    }
    apply(std::move(*change.step));
    deliver_messages();
}

void Connection::replay_future_records() {
    std::vector<Bytes> pending = std::move(future_records_);
    future_records_.clear();
    future_bytes_ = 0;
    for (Bytes& bytes : pending) {
        if (state_ != State::handshaking && state_ != State::established) return;
        record::DatagramReader reader(bytes, cid_length());
        record::FramedRecord framed;
        if (reader.next(framed) == record::DatagramReader::Next::record) process_record(framed);
    }
}

void Connection::on_alert(uint64_t epoch, std::span<const uint8_t> payload) {
    // Once a protected epoch is open, a plaintext alert could come from
    // anyone. (An older protected epoch still authenticates its sender: a
    // DTLS 1.3 server that refuses the client's Finished says so in epoch 2
    // after the client has moved to 3.)
    if ((epoch == 0 && epochs_.read_epoch() != 0) || payload.size() != 2) {
        stats_.records_dropped++;
        trace([] { return "   dropped: plaintext alert in a protected connection, or not two bytes"; });
        return;
    }
    const uint8_t level = payload[0];
    const auto alert = static_cast<Alert>(payload[1]);
    trace([&] { return std::string("   alert ") + (level == kAlertFatal ? "fatal " : "warning ") + to_string(alert); });
    if (alert == Alert::close_notify) {
        // Answer with our own close_notify (RFC 5246 7.2.1), then stop.
        queue_alert(kAlertWarning, Alert::close_notify);
        state_ = State::closed;
        timer_.stop();
        flight_writer_.stop();
        events_.push_back(event::Closed{});
        return;
    }
    if (level == kAlertFatal) {
        state_ = State::failed;
        timer_.stop();
        flight_writer_.stop();
        error_ = Error{ErrorCode::alert_received, alert, "the peer sent a fatal alert"};
        events_.push_back(event::Failed{*error_});
    }
    // Warnings (e.g. no_renegotiation, unrecognized_name) need no action.
}

void Connection::on_application_data(uint64_t epoch, std::span<const uint8_t> payload) {
    // In an application epoch: DTLS 1.2 has one; in DTLS 1.3 a record of
    // the epoch before the current one may still arrive after a KeyUpdate
    // (its keys are kept until a further update replaces them).
    if (!established() || epoch == 0 || epoch < application_epoch_ || epoch > epochs_.read_epoch()) {
        stats_.records_dropped++;
        trace([] { return "   dropped: application data outside an application epoch"; });
        return;
    }
    events_.push_back(event::ApplicationData{Bytes(payload.begin(), payload.end())});
}

void Connection::on_return_routability_check(uint64_t epoch, std::span<const uint8_t> payload) {
    // RFC 9853 3: not without rrc on both sides; RFC 9853 4: only under the
    // current (application) keys, never in plaintext. Like any content type
    // not used here, such a record is dropped.
    if (!negotiated().return_routability_check || !established() || epoch == 0 || epoch < application_epoch_) {
        stats_.records_dropped++;
        trace([] { return "   dropped: return_routability_check without rrc or outside an application epoch"; });
        return;
    }
    Result<std::optional<messages::RrcMessage>> decoded = messages::decode_rrc(payload);
    if (!decoded) {
        fail(decoded.error());
        return;
    }
    if (!*decoded) {
        stats_.rrc_messages_ignored++;
        trace([] { return "   ignored: return_routability_check of an unknown type"; });
        return;
    }
    const messages::RrcMessage& message = **decoded;
    switch (message.type) {
        case messages::RrcType::path_challenge:
            // RFC 9853 5.4: exactly one answer per challenge, at once, to
            // where it came from (the caller sends our datagrams there).
            if (unsent_path_responses_ >= kMaxUnsentPathResponses) {
                stats_.rrc_messages_ignored++;
                trace([] { return "   ignored: path_challenge while too many path_responses are unsent"; });
                return;
            }
            if (send_rrc(messages::encode_rrc({messages::RrcType::path_response, message.cookie}))) {
                unsent_path_responses_++;
                stats_.path_responses_sent++;
                trace([] { return "   path_challenge: answered with path_response"; });
            }
            return;
        case messages::RrcType::path_response:
            if (path_challenge_.active() && path_challenge_.answered_by(message.cookie)) {
                path_challenge_.reset();
                path_validated_ = true;
                stats_.paths_validated++;
                trace([] { return "   path_response: path validated"; });
                return;
            }
            break;
        case messages::RrcType::path_drop:
            // We run only the basic check (RFC 9853 5.1): no challenge of
            // ours goes to an old path, so no path_drop answers one.
            break;
    }
    // RFC 9853 5.4: invalid answers are discarded silently.
    stats_.rrc_messages_ignored++;
    trace([] { return "   ignored: path_response or path_drop that answers no challenge of ours"; });
}

Status Connection::challenge_path(Instant now) {
    tick(now);
    if (!established() || !negotiated().return_routability_check) {
        return Error{ErrorCode::invalid_state, std::nullopt, "no return routability check (rrc) on this connection"};
    }
    path_challenge_.reset();
    return send_path_challenge(now);
}

Status Connection::send_path_challenge(Instant now) {
    messages::RrcMessage challenge{messages::RrcType::path_challenge, {}};
    if (!crypto::random_bytes(challenge.cookie)) {
        return Error::from(Fault::internal_failure, "the random generator failed");
    }
    std::array<uint8_t, messages::kRrcMessageLength> body = messages::encode_rrc(challenge);
    const Status sent = send_rrc(body);
    if (sent) path_challenge_.sent(challenge.cookie, now);
    crypto::cleanse(challenge.cookie);
    crypto::cleanse(body);
    if (!sent) return sent;
    stats_.path_challenges_sent++;
    return Ok{};
}

Status Connection::send_rrc(std::span<const uint8_t> body) {
    Bytes datagram;
    if (!epochs_.seal(epochs_.write_epoch(), record::ContentType::return_routability_check, body, datagram, true)) {
        return Error{ErrorCode::invalid_state, std::nullopt, "cannot seal a return_routability_check record"};
    }
    outbox_.push_back(std::move(datagram));
    return Ok{};
}

void Connection::apply(Result<Step> step) {
    if (!step) {
        fail(step.error());
        return;
    }
    for (EpochKeys& keys : step->keys) {
        if (keys.direction == EpochKeys::Direction::write) {
            epochs_.install_write(keys.epoch, std::move(keys.protection), keys.limits);
        } else {
            epochs_.install_read(keys.epoch, std::move(keys.protection), keys.limits);
        }
    }
    if (step->write_epoch && !epochs_.activate_write(*step->write_epoch)) {
        fail(Error::from(Fault::internal_failure, "no keys to write epoch " + std::to_string(*step->write_epoch)));
        return;
    }
    bool read_epoch_opened = false;
    if (step->read_epoch) {
        if (!epochs_.activate_read(*step->read_epoch)) {
            fail(Error::from(Fault::internal_failure, "no keys to read epoch " + std::to_string(*step->read_epoch)));
            return;
        }
        trace([&] { return "   reading epoch " + std::to_string(*step->read_epoch); });
        read_epoch_opened = true;
    }
    sync_version_rules();
    sync_record_limits();
    sync_connection_ids();
    const bool sent_flight = step->flight.has_value();
    if (step->flight) {
        // During the handshake our answer acknowledges the peer's flight
        // implicitly (RFC 9147 7); after it, and for a flight that goes
        // with an explicit ACK (a server's tickets after the client's
        // Finished), nothing does.
        if (!established() && !step->acknowledge) {
            received_records_.clear();
            gap_acknowledged_ = false;
            gap_ack_deadline_.reset();
        }
        flight_ = std::move(*step->flight);
        trace([&] {
            return "-> flight " + flight_.name + " (" + std::to_string(flight_.messages.size()) + " messages)" +
                   (step->await_reply ? ", timer " + milliseconds(timer_.starting_period()) : "");
        });
        flight_writer_.start(&flight_);
        mtu_backoff_.restart();
        flight_sent_at_ = now_;
        hello_send_times_.clear();
        echoed_round_trip_.reset();
        note_sending();
        peer_triggered_retransmits_ = 0;
        last_peer_triggered_resend_.reset();
        awaiting_peer_flight_ = step->await_reply && !established();
        write_epoch_when_acknowledged_ = step->write_epoch_when_acknowledged;
        if (step->await_reply) {
            timer_.start_new_flight(now_);
        } else {
            timer_.stop();
        }
    }
    if (step->acknowledge) ack_due_ = true;
    if (step->complete) {
        state_ = State::established;
        sent_last_flight_ = sent_flight && !protocol_->acknowledges_records();
        application_epoch_ = epochs_.read_epoch();
        // A DTLS 1.3 client's final flight is sent again until acknowledged
        // (RFC 9147 5.8.3); any other flight is done with.
        if (!(sent_flight && step->await_reply && protocol_->acknowledges_records())) timer_.stop();
        awaiting_peer_flight_ = false;
        gap_ack_deadline_.reset();
        reassembler_.clear();
        future_records_ = std::vector<Bytes>();  // frees the storage, as clear() would not
        future_bytes_ = 0;
        protocol_->finish();  // its keys and the peer's key are no longer needed
        if (std::unique_ptr<Protocol> chosen = protocol_->release_chosen()) protocol_ = std::move(chosen);
        events_.push_back(event::HandshakeComplete{});
        trace([&] {
            return std::string("handshake complete: ") + to_string(negotiated().cipher_suite) + ", " +
                   to_string(negotiated().group);
        });
    }
    if (read_epoch_opened) replay_future_records();
}

void Connection::flight_answered() {
    // Only an answer to a flight sent once tells how long its round trip
    // took: after a resend it may answer either copy (RFC 9147 5.8.2),
    // unless the answer names the copy (an echoed record number).
    const bool resent = timer_.retransmits() != 0 || peer_triggered_retransmits_ != 0;
    if (resent && !echoed_round_trip_) return;
    const Duration round_trip = resent ? *echoed_round_trip_ : now_ - flight_sent_at_;
    timer_.measured(round_trip);
    trace([&] {
        return "   round trip " + milliseconds(round_trip) + (resent ? " (of the copy the answer echoes)" : "") +
               ": later flights' timers start at " + milliseconds(timer_.starting_period());
    });
}

bool Connection::answers_statelessly(const transport::FragmentHeader& h, std::span<const uint8_t> fragment) {
    if (h.fragment_offset != 0) return false;
    if (h.type == messages::HandshakeType::hello_verify_request) return true;
    // A HelloRetryRequest is a ServerHello with a fixed random (after the
    // two version bytes). A stateful server's ServerHello is excluded: its
    // resends carry new record numbers that may match a later ClientHello.
    constexpr size_t random_at = 2;
    const auto& hrr = messages::kHelloRetryRequestRandom;
    return h.type == messages::HandshakeType::server_hello && fragment.size() >= random_at + hrr.size() &&
           std::equal(hrr.begin(), hrr.end(), fragment.begin() + random_at);
}

void Connection::note_sending() {
    if (role_ != Role::client || flight_.messages.empty() ||
        flight_.messages.front().type != messages::HandshakeType::client_hello) {
        return;
    }
    hello_send_times_.sending(epochs_.next_plaintext_sequence(), now_);
}

void Connection::retransmit(bool throttled) {
    if (flight_.messages.empty() || peer_triggered_retransmits_ >= settings_->max_retransmits) return;
    if (throttled && last_peer_triggered_resend_ && now_ - *last_peer_triggered_resend_ < timer_.period()) {
        trace([&] {
            return "   not resending " + flight_.name + ": resent for the peer " +
                   milliseconds(now_ - *last_peer_triggered_resend_) + " ago";
        });
        return;
    }
    ++peer_triggered_retransmits_;
    if (throttled) last_peer_triggered_resend_ = now_;
    stats_.retransmissions++;
    trace([&] {
        return "-> resending " + flight_.name +
               (throttled ? " because the peer resent its flight" : ": the rest of it was not acknowledged");
    });
    flight_writer_.restart();
    note_sending();
    timer_.rearm(now_);
}

bool Connection::poll_datagram(std::vector<uint8_t>& out) {
    out.clear();
    if (flight_writer_.active() && flight_writer_.next_datagram(mtu_, epochs_, out)) {
        mtu_backoff_.sent(out.size());
        stats_.datagrams_sent++;
        stats_.bytes_sent += out.size();
        trace([&] { return "-> datagram " + std::to_string(out.size()) + " bytes of " + flight_.name; });
        return true;
    }
    out.clear();
    if (outbox_.empty()) {
        unsent_path_responses_ = 0;
        return false;
    }
    out.swap(outbox_.front());
    if (spare_buffers_.size() < kMaxSpareBuffers && outbox_.front().capacity() != 0) {
        spare_buffers_.push_back(std::move(outbox_.front()));
    }
    outbox_.pop_front();
    stats_.datagrams_sent++;
    stats_.bytes_sent += out.size();
    trace([&] { return "-> datagram " + std::to_string(out.size()) + " bytes"; });
    return true;
}

std::optional<Event> Connection::poll_event() {
    if (events_.empty()) return std::nullopt;
    Event e = std::move(events_.front());
    events_.pop_front();
    return e;
}

std::optional<Instant> Connection::next_timeout() const {
    if (state_ == State::established) {
        // A flight awaiting its ACK, and a path_challenge awaiting its answer.
        const std::optional<Instant> flight = timer_.deadline(), path = path_challenge_.deadline();
        if (flight && path) return std::min(*flight, *path);
        return flight ? flight : path;
    }
    if (state_ != State::handshaking) return std::nullopt;
    std::optional<Instant> earliest = handshake_deadline_;
    for (const std::optional<Instant>& t : {timer_.deadline(), gap_ack_deadline_}) {
        if (t && (!earliest || *t < *earliest)) earliest = t;
    }
    return earliest;
}

void Connection::handle_timeout(Instant now) {
    tick(now);
    if (state_ != State::handshaking && state_ != State::established) return;
    if (state_ == State::handshaking && handshake_deadline_ && now >= *handshake_deadline_) {
        fail(Error::from(Fault::handshake_deadline,
                         "handshake did not complete within " + milliseconds(settings_->handshake_timeout)));
        return;
    }
    if (state_ == State::handshaking && gap_ack_deadline_ && now >= *gap_ack_deadline_) {
        gap_ack_deadline_.reset();
        gap_acknowledged_ = true;
        trace([] { return "ACK timer expired: the peer's flight still has a gap"; });
        send_ack();
    }
    if (established() && path_challenge_.expired(now)) {
        if (path_challenge_.can_send()) {
            trace([] { return "path_challenge timer expired: sending another"; });
            if (Status sent = send_path_challenge(now); !sent) path_challenge_.reset();
        } else {
            trace([] { return "path_challenge timer expired: no path_response, validation failed"; });
            path_challenge_.reset();
            stats_.path_validations_failed++;
        }
    }
    if (!timer_.expired(now)) return;
    if (!timer_.back_off(now)) {
        if (established()) {
            // A flight after the handshake (DTLS 1.3) was never acknowledged.
            // The connection works on: a server that never got our Finished
            // ends its side with its own timeout, and an unacknowledged
            // KeyUpdate leaves us writing in the current epoch.
            trace([&] { return "no ACK for " + flight_.name + ": stopped resending it"; });
            flight_writer_.stop();
            return;
        }
        fail(Error::from(Fault::retransmissions_exhausted,
                         "handshake timed out: no answer to " + flight_.name + " after " +
                             std::to_string(timer_.max_retransmits()) + " retransmissions"));
        return;
    }
    stats_.retransmissions++;
    trace([&] {
        return "timer expired: resending " + flight_.name + " (retransmission " + std::to_string(timer_.retransmits()) +
               ", next timer " + milliseconds(*timer_.deadline() - now) + ")";
    });
    // Repeated silence may be a path dropping datagrams of this size: the
    // resend, and everything after it, goes out smaller. The retransmission
    // count and timer above are the same either way.
    if (const std::optional<size_t> smaller = mtu_backoff_.before_retransmit(mtu_)) {
        trace([&] {
            return "   no answer at MTU " + std::to_string(mtu_) + " after " +
                   std::to_string(settings_->pmtu_backoff_after) + " retransmissions: MTU " + std::to_string(*smaller);
        });
        mtu_ = *smaller;
        stats_.pmtu_backoffs++;
    }
    flight_writer_.restart();
    note_sending();
}

size_t Connection::max_payload() const {
    const size_t overhead = epochs_.overhead(epochs_.write_epoch());
    if (mtu_ <= overhead) return 0;
    return std::min({mtu_ - overhead, send_limit_, epochs_.max_content(epochs_.write_epoch())});
}

Status Connection::send(std::span<const uint8_t> data, Instant now) {
    tick(now);
    if (state_ == State::closed) return Error{ErrorCode::closed, std::nullopt, "connection is closed"};
    if (state_ != State::established) {
        return Error{ErrorCode::invalid_state, std::nullopt,
                     state_ == State::failed ? "connection has failed" : "handshake is not complete"};
    }
    if (data.size() > max_payload()) {
        return Error{ErrorCode::message_too_large, std::nullopt,
                     "payload of " + std::to_string(data.size()) + " bytes exceeds the maximum of " +
                         std::to_string(max_payload()) + " at MTU " + std::to_string(mtu_)};
    }
    Bytes datagram;
    if (!spare_buffers_.empty()) {
        datagram = std::move(spare_buffers_.back());
        spare_buffers_.pop_back();
        datagram.clear();
    }
    datagram.reserve(data.size() + epochs_.overhead(epochs_.write_epoch()));
    if (!epochs_.seal(epochs_.write_epoch(), record::ContentType::application_data, data, datagram, true)) {
        const auto usage = epochs_.write_usage();
        if (usage.used >= usage.limit) {
            return Error{ErrorCode::invalid_state, std::nullopt,
                         "epoch " + std::to_string(epochs_.write_epoch()) + "'s key has protected " +
                             std::to_string(usage.used) +
                             " records, the limit for its cipher, and our KeyUpdate is not acknowledged yet"};
        }
        return Error{ErrorCode::invalid_state, std::nullopt, "record sequence numbers exhausted"};
    }
    outbox_.push_back(std::move(datagram));
    update_keys_if_due();
    return Ok{};
}

void Connection::update_keys_if_due() {
    if (!established() || awaiting_ack() || !protocol_->acknowledges_records()) return;
    const auto written = epochs_.write_usage();
    uint64_t due = written.limit / 2;
    if (settings_->dtls13_key_update_records != 0) due = std::min(due, settings_->dtls13_key_update_records);
    const bool write_due = written.used >= due;
    const auto failed = epochs_.read_usage();
    const bool read_due = failed.used >= failed.limit / 2 && update_asked_for_read_epoch_ != epochs_.read_epoch();
    if (!write_due && !read_due) return;
    trace([&] {
        return std::string("   key usage: ") + (write_due ? std::to_string(written.used) + " records sent" : "") +
               (write_due && read_due ? ", " : "") +
               (read_due ? std::to_string(failed.used) + " records failed to authenticate" : "") + ": KeyUpdate";
    });
    if (read_due) update_asked_for_read_epoch_ = epochs_.read_epoch();
    Result<Step> step = protocol_->update_keys(read_due);
    if (!step && step.error().code == ErrorCode::invalid_state) return;
    apply(std::move(step));
}

void Connection::close(Instant now) {
    tick(now);
    if (state_ != State::handshaking && state_ != State::established) return;
    queue_alert(kAlertWarning, Alert::close_notify);
    state_ = State::closed;
    timer_.stop();
    flight_writer_.stop();
}

Status Connection::update_keys(Instant now, bool ask_peer) {
    tick(now);
    if (state_ != State::established) {
        return Error{ErrorCode::invalid_state, std::nullopt, "keys can be updated once the handshake is complete"};
    }
    if (awaiting_ack()) {
        return Error{ErrorCode::invalid_state, std::nullopt,
                     "our last flight (" + flight_.name + ") is not acknowledged yet"};
    }
    Result<Step> step = protocol_->update_keys(ask_peer);
    if (!step && step.error().code == ErrorCode::invalid_state) return step.error();  // a refusal, not a failure
    apply(std::move(step));
    if (error_) return *error_;
    return Ok{};
}

Status Connection::use_spare_connection_id() {
    if (state_ != State::established) {
        return Error{ErrorCode::invalid_state, std::nullopt, "connection IDs change once the handshake is complete"};
    }
    if (!protocol_->use_spare_connection_id()) {
        return Error{ErrorCode::invalid_state, std::nullopt, "the peer gave no spare connection ID"};
    }
    sync_connection_ids();
    return Ok{};
}

Status Connection::set_mtu(size_t mtu) {
    if (mtu < Config::min_mtu || mtu > Config::max_mtu) {
        return Error{ErrorCode::invalid_argument, std::nullopt,
                     "MTU " + std::to_string(mtu) + " is outside " + std::to_string(Config::min_mtu) + ".." +
                         std::to_string(Config::max_mtu)};
    }
    mtu_ = mtu;
    // The application's MTU replaces whatever the back-off chose, and gets
    // its own full count of retransmissions before any further step.
    mtu_backoff_.restart();
    return Ok{};
}

// Every alert this side sends goes out through here: fatal ones from fail(),
// warnings for close_notify and refusals.
void Connection::queue_alert(uint8_t level, Alert alert) {
    const uint8_t body[2] = {level, static_cast<uint8_t>(alert)};
    Bytes datagram;
    if (epochs_.seal(epochs_.write_epoch(), record::ContentType::alert, body, datagram, true)) {
        outbox_.push_back(std::move(datagram));
    }
}

void Connection::fail(Error error) {
    if (error.code == ErrorCode::alert_sent && error.alert) queue_alert(kAlertFatal, *error.alert);
    state_ = State::failed;
    timer_.stop();
    flight_writer_.stop();
    error_ = error;
    trace([&] { return "failed: " + error.to_string(); });
    events_.push_back(event::Failed{std::move(error)});
}

Result<Bytes> Connection::export_keying_material(std::string_view label, std::span<const uint8_t> context,
                                                 bool use_context, size_t length) const {
    if (state_ != State::established) {
        return Error{ErrorCode::invalid_state, std::nullopt, "keying material is available once established"};
    }
    return protocol_->export_keying_material(label, context, use_context, length);
}

}  // namespace dtls::engine
