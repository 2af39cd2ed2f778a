#include "tls12/connection_impl.hpp"

#include <chrono>

#include "handshake/fragment.hpp"

namespace dtls {

namespace {

constexpr uint8_t kAlertWarning = 1;
constexpr uint8_t kAlertFatal = 2;
// Epoch 1 records that arrive before the ChangeCipherSpec that opens epoch 1
// (reordering) are kept, within these bounds, and replayed after it.
constexpr size_t kMaxFutureRecords = 8;
constexpr size_t kMaxFutureBytes = 32 * 1024;
constexpr size_t kMaxSpareBuffers = 2;

// The copy of a received datagram that records are decrypted in. One buffer
// per thread serves every connection, so an idle connection keeps no receive
// buffer; a callback that re-enters handle_datagram on the same thread gets
// a buffer of its own.
class ScratchBuffer {
public:
    explicit ScratchBuffer(std::span<const uint8_t> datagram) {
        if (!shared_.in_use) {
            shared_.in_use = true;
            buffer_ = &shared_.bytes;
        }
        buffer_->assign(datagram.begin(), datagram.end());
    }
    ~ScratchBuffer() {
        if (buffer_ == &shared_.bytes) shared_.in_use = false;
    }
    ScratchBuffer(const ScratchBuffer&) = delete;
    ScratchBuffer& operator=(const ScratchBuffer&) = delete;

    std::span<uint8_t> bytes() { return *buffer_; }

private:
    struct Shared {
        Bytes bytes;
        bool in_use = false;
    };
    static thread_local Shared shared_;
    Bytes own_;
    Bytes* buffer_ = &own_;
};

thread_local ScratchBuffer::Shared ScratchBuffer::shared_;

const char* content_name(record::ContentType type) {
    switch (type) {
        case record::ContentType::change_cipher_spec: return "ChangeCipherSpec";
        case record::ContentType::alert: return "Alert";
        case record::ContentType::handshake: return "Handshake";
        case record::ContentType::application_data: return "ApplicationData";
    }
    return "?";
}

std::string milliseconds(Duration d) {
    return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()) + " ms";
}

}  // namespace

ConnectionImpl::ConnectionImpl(Role role, std::shared_ptr<const Config> config,
                               std::shared_ptr<const crypto::TrustStore> trust)
    : role_(role),
      config_(std::move(config)),
      mtu_(config_->mtu),
      context_(*config_, records_, negotiated_),
      timer_(config_->initial_retransmit_timeout, config_->max_retransmit_timeout, config_->max_retransmits) {
    context_.trust = std::move(trust);
    handshake_ = role == Role::client ? tls12::make_client(context_) : tls12::make_server(context_);
}

Status ConnectionImpl::start(Instant now) {
    now_ = now;
    handshake_deadline_ = now + config_->handshake_timeout;
    apply(handshake_->start());
    if (error_) return *error_;
    return Ok{};
}

void ConnectionImpl::start_server(uint16_t message_seq, uint64_t record_sequence, Instant now) {
    now_ = now;
    handshake_deadline_ = now + config_->handshake_timeout;
    // Continue the record numbering from the ClientHello so our records
    // never reuse the sequence number of a stateless HelloVerifyRequest,
    // which echoed the first ClientHello's (RFC 6347 4.2.1).
    records_.set_next_plaintext_sequence(record_sequence);
    reassembler_.skip_to(message_seq);
}

void ConnectionImpl::handle_datagram(std::span<const uint8_t> datagram, Instant now) {
    now_ = now;
    stats_.datagrams_received++;
    stats_.bytes_received += datagram.size();
    trace([&] { return "<- datagram " + std::to_string(datagram.size()) + " bytes"; });
    if (state_ == State::closed || state_ == State::failed) {
        trace([] { return "   ignored: connection is over"; });
        return;
    }

    // Records are decrypted in place, so work on a copy.
    ScratchBuffer scratch(datagram);
    std::span<uint8_t> bytes = scratch.bytes();
    wire::Reader reader(bytes);
    peer_retransmitted_ = false;
    new_client_hello_ = false;
    while (!reader.empty() && (state_ == State::handshaking || state_ == State::established)) {
        record::RecordHeader header;
        std::span<const uint8_t> fragment;
        if (!read_record(reader, header, fragment)) {
            stats_.records_dropped++;  // the rest of the datagram cannot be framed
            trace([] { return "   dropped rest of datagram: malformed record header"; });
            break;
        }
        const size_t offset = static_cast<size_t>(fragment.data() - bytes.data());
        process_record(header, bytes.subspan(offset, fragment.size()));
    }
    if (peer_retransmitted_) retransmit();
    if (new_client_hello_ && (state_ == State::handshaking || state_ == State::established)) {
        events_.push_back(event::NewClientHello{});
    }
}

void ConnectionImpl::process_record(const record::RecordHeader& header, std::span<uint8_t> fragment) {
    trace([&] {
        return "   record " + std::string(content_name(header.type)) + " epoch " + std::to_string(header.epoch) +
               " seq " + std::to_string(header.sequence) + " length " + std::to_string(header.length);
    });
    std::span<uint8_t> plaintext;
    switch (records_.open(header, fragment, plaintext)) {
        case record::RecordLayer::Disposition::drop:
            stats_.records_dropped++;
            trace([&] { return std::string("   dropped: ") + records_.drop_reason(); });
            return;
        case record::RecordLayer::Disposition::future:
            if (future_records_.size() < kMaxFutureRecords && future_bytes_ + fragment.size() <= kMaxFutureBytes) {
                future_records_.push_back({header, Bytes(fragment.begin(), fragment.end())});
                future_bytes_ += fragment.size();
                trace([] { return "   held until ChangeCipherSpec opens epoch 1"; });
            } else {
                stats_.records_dropped++;
                trace([] { return "   dropped: too many epoch 1 records before ChangeCipherSpec"; });
            }
            return;
        case record::RecordLayer::Disposition::deliver: break;
    }
    switch (header.type) {
        case record::ContentType::handshake: on_handshake_record(header.epoch, plaintext); break;
        case record::ContentType::change_cipher_spec: on_change_cipher_spec(header.epoch, plaintext); break;
        case record::ContentType::alert: on_alert(header.epoch, plaintext); break;
        case record::ContentType::application_data: on_application_data(header.epoch, plaintext); break;
    }
}

void ConnectionImpl::on_handshake_record(uint16_t epoch, std::span<const uint8_t> payload) {
    wire::Reader reader(payload);
    bool renegotiation_refused = false;
    while (!reader.empty()) {
        handshake::FragmentHeader h;
        std::span<const uint8_t> fragment;
        if (!handshake::read_fragment(reader, h, fragment)) {
            // Plaintext garbage may be spoofed and is dropped; a protected
            // record that authenticates but does not parse is the peer's fault.
            if (epoch == 0) {
                stats_.records_dropped++;
                trace([] { return "   dropped: malformed handshake fragment"; });
            } else {
                fail(tls12::alert_error(Alert::decode_error, "malformed handshake fragment"));
            }
            return;
        }
        trace([&] {
            return "   " + std::string(handshake::to_string(h.type)) + " message_seq " + std::to_string(h.message_seq) +
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
            if (role_ == Role::server || !established()) peer_retransmitted_ = true;
            trace([] { return "   peer retransmitted its last flight"; });
            continue;
        }
        // HelloRequest is not part of any handshake we make, and during one it
        // is to be ignored (RFC 5246 7.4.1.1); it must not use up the
        // message_seq a genuine message needs.
        if (role_ == Role::client && h.type == handshake::HandshakeType::hello_request && !established()) {
            trace([] { return "   ignored: HelloRequest during the handshake"; });
            continue;
        }
        if (established()) {
            const bool asks_renegotiation = (role_ == Role::server && h.type == handshake::HandshakeType::client_hello) ||
                                            (role_ == Role::client && h.type == handshake::HandshakeType::hello_request);
            // A new handshake restarts message_seq at 0 (RFC 6347 4.2.2), so
            // it looks old; its type and protected epoch give it away.
            if (asks_renegotiation && epoch == 1 && !renegotiation_refused) {
                queue_alert(kAlertWarning, Alert::no_renegotiation);
                renegotiation_refused = true;
            }
            continue;
        }
        // Once epoch 1 is open for reading, only protected handshake
        // messages count; plaintext ones can only be stale retransmissions.
        if (epoch < records_.read_epoch()) {
            trace([] { return "   ignored: plaintext handshake after epoch 1 opened"; });
            continue;
        }
        switch (reassembler_.add(h, fragment)) {
            case handshake::Reassembler::Verdict::accepted: break;
            case handshake::Reassembler::Verdict::old: trace([] { return "   ignored: already processed"; }); break;
            case handshake::Reassembler::Verdict::duplicate: trace([] { return "   ignored: duplicate"; }); break;
            case handshake::Reassembler::Verdict::dropped:
                trace([] { return "   dropped: outside reassembly limits or inconsistent"; });
                break;
        }
    }
    deliver_messages();
}

// A server connection remembers the random of the ClientHello it was made
// for (the first one it sees; the cookie exchange keeps it the same). A
// ClientHello with another random is not this association's: a restarted
// client, or a forgery. Only a valid cookie, which the front door checks,
// may let it replace this connection (RFC 6347 4.2.8).
bool ConnectionImpl::is_new_client_hello(uint16_t epoch, const handshake::FragmentHeader& h,
                                         std::span<const uint8_t> fragment) {
    constexpr size_t random_at = 2;  // after client_version
    constexpr size_t random_length = 32;
    if (role_ != Role::server || epoch != 0 || h.type != handshake::HandshakeType::client_hello ||
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

void ConnectionImpl::deliver_messages() {
    while (state_ == State::handshaking) {
        if (early_change_cipher_spec_ && handshake_->expects_change_cipher_spec()) {
            early_change_cipher_spec_ = false;
            apply_change_cipher_spec();
            continue;
        }
        std::optional<handshake::Message> message = reassembler_.next();
        if (!message) return;
        // The first new message of the peer's next flight shows our flight
        // arrived: stop retransmitting it.
        if (awaiting_peer_flight_) {
            awaiting_peer_flight_ = false;
            timer_.stop();
        }
        apply(handshake_->on_message(*message));
    }
}

void ConnectionImpl::on_change_cipher_spec(uint16_t epoch, std::span<const uint8_t> payload) {
    if (epoch != 0 || payload.size() != 1 || payload[0] != 1 || state_ != State::handshaking ||
        records_.read_epoch() != 0) {
        stats_.records_dropped++;
        return;
    }
    if (handshake_->expects_change_cipher_spec()) {
        apply_change_cipher_spec();
        deliver_messages();
    } else {
        trace([] { return "   ChangeCipherSpec early: applied when the messages before it are in"; });
        // Reordered ahead of the messages before it: remember it and apply
        // it only once the state machine asks for it, so it can never skip
        // a step (the CCS injection of OpenSSL CVE-2014-0224).
        early_change_cipher_spec_ = true;
    }
}

void ConnectionImpl::apply_change_cipher_spec() {
    trace([] { return "   ChangeCipherSpec: reading epoch 1"; });
    handshake_->on_change_cipher_spec();
    replay_future_records();
}

void ConnectionImpl::replay_future_records() {
    std::vector<FutureRecord> pending = std::move(future_records_);
    future_records_.clear();
    future_bytes_ = 0;
    for (FutureRecord& r : pending) {
        if (state_ != State::handshaking && state_ != State::established) return;
        process_record(r.header, r.fragment);
    }
}

void ConnectionImpl::on_alert(uint16_t epoch, std::span<const uint8_t> payload) {
    // After the switch to epoch 1 a plaintext alert could come from anyone.
    if (epoch < records_.read_epoch() || payload.size() != 2) {
        stats_.records_dropped++;
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

void ConnectionImpl::on_application_data(uint16_t epoch, std::span<const uint8_t> payload) {
    if (!established() || epoch != 1) {
        stats_.records_dropped++;
        trace([] { return "   dropped: application data before the handshake completed"; });
        return;
    }
    events_.push_back(event::ApplicationData{Bytes(payload.begin(), payload.end())});
}

void ConnectionImpl::apply(Result<tls12::Step> step) {
    if (!step) {
        fail(step.error());
        return;
    }
    if (step->flight) {
        flight_ = std::move(*step->flight);
        trace([&] {
            return "-> flight " + flight_.name + " (" + std::to_string(flight_.messages.size()) + " messages)" +
                   (step->await_reply ? ", timer " + milliseconds(config_->initial_retransmit_timeout) : "");
        });
        flight_writer_.start(&flight_);
        peer_triggered_retransmits_ = 0;
        awaiting_peer_flight_ = step->await_reply;
        if (step->await_reply) {
            timer_.start_new_flight(now_);
        } else {
            timer_.stop();
        }
    }
    if (step->complete) {
        state_ = State::established;
        timer_.stop();
        awaiting_peer_flight_ = false;
        reassembler_.clear();
        context_.transcript.clear();
        context_.transcript.shrink_to_fit();
        handshake_.reset();  // its keys and peer key are no longer needed
        events_.push_back(event::HandshakeComplete{});
        trace([&] {
            return std::string("handshake complete: ") + to_string(negotiated_.cipher_suite) + ", " +
                   to_string(negotiated_.group);
        });
    }
}

void ConnectionImpl::retransmit() {
    if (flight_.messages.empty() || peer_triggered_retransmits_ >= config_->max_retransmits) return;
    ++peer_triggered_retransmits_;
    stats_.retransmissions++;
    trace([&] { return "-> resending " + flight_.name + " because the peer resent its flight"; });
    flight_writer_.start(&flight_);
}

bool ConnectionImpl::poll_datagram(std::vector<uint8_t>& out) {
    out.clear();
    if (flight_writer_.active() && flight_writer_.next_datagram(mtu_, records_, out)) {
        stats_.datagrams_sent++;
        stats_.bytes_sent += out.size();
        trace([&] { return "-> datagram " + std::to_string(out.size()) + " bytes of " + flight_.name; });
        return true;
    }
    out.clear();
    if (outbox_.empty()) return false;
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

std::optional<Event> ConnectionImpl::poll_event() {
    if (events_.empty()) return std::nullopt;
    Event e = std::move(events_.front());
    events_.pop_front();
    return e;
}

std::optional<Instant> ConnectionImpl::next_timeout() const {
    if (state_ != State::handshaking) return std::nullopt;
    std::optional<Instant> retransmit = timer_.deadline();
    if (!retransmit || (handshake_deadline_ && *handshake_deadline_ < *retransmit)) return handshake_deadline_;
    return retransmit;
}

void ConnectionImpl::handle_timeout(Instant now) {
    now_ = now;
    if (state_ != State::handshaking) return;
    if (handshake_deadline_ && now >= *handshake_deadline_) {
        fail(Error{ErrorCode::timeout, std::nullopt,
                   "handshake did not complete within " + milliseconds(config_->handshake_timeout)});
        return;
    }
    if (!timer_.expired(now)) return;
    if (!timer_.back_off(now)) {
        fail(Error{ErrorCode::timeout, std::nullopt,
                   "handshake timed out: no answer to " + flight_.name + " after " +
                       std::to_string(timer_.max_retransmits()) + " retransmissions"});
        return;
    }
    stats_.retransmissions++;
    trace([&] {
        return "timer expired: resending " + flight_.name + " (retransmission " + std::to_string(timer_.retransmits()) +
               ", next timer " + milliseconds(*timer_.deadline() - now) + ")";
    });
    flight_writer_.start(&flight_);
}

size_t ConnectionImpl::max_payload() const {
    const size_t overhead = records_.record_overhead(1);
    if (mtu_ <= overhead) return 0;
    return std::min(mtu_ - overhead, record::kMaxPlaintextLength);
}

Status ConnectionImpl::send(std::span<const uint8_t> data, Instant now) {
    now_ = now;
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
    datagram.reserve(data.size() + records_.record_overhead(1));
    if (!records_.seal(1, record::ContentType::application_data, data, datagram)) {
        return Error{ErrorCode::invalid_state, std::nullopt, "record sequence numbers exhausted"};
    }
    outbox_.push_back(std::move(datagram));
    return Ok{};
}

void ConnectionImpl::close(Instant now) {
    now_ = now;
    if (state_ != State::handshaking && state_ != State::established) return;
    queue_alert(kAlertWarning, Alert::close_notify);
    state_ = State::closed;
    timer_.stop();
    flight_writer_.stop();
}

Status ConnectionImpl::set_mtu(size_t mtu) {
    if (mtu < Config::min_mtu || mtu > Config::max_mtu) {
        return Error{ErrorCode::invalid_argument, std::nullopt,
                     "MTU " + std::to_string(mtu) + " is outside " + std::to_string(Config::min_mtu) + ".." +
                         std::to_string(Config::max_mtu)};
    }
    mtu_ = mtu;
    return Ok{};
}

void ConnectionImpl::queue_alert(uint8_t level, Alert alert) {
    const uint8_t body[2] = {level, static_cast<uint8_t>(alert)};
    Bytes datagram;
    if (records_.seal(records_.write_epoch(), record::ContentType::alert, body, datagram)) {
        outbox_.push_back(std::move(datagram));
    }
}

void ConnectionImpl::fail(Error error) {
    if (error.code == ErrorCode::alert_sent && error.alert) queue_alert(kAlertFatal, *error.alert);
    state_ = State::failed;
    timer_.stop();
    flight_writer_.stop();
    error_ = error;
    trace([&] { return "failed: " + error.to_string(); });
    events_.push_back(event::Failed{std::move(error)});
}

Result<Bytes> ConnectionImpl::export_keying_material(std::string_view label, std::span<const uint8_t> context,
                                                     bool use_context, size_t length) const {
    if (state_ != State::established || !context_.keys) {
        return Error{ErrorCode::invalid_state, std::nullopt, "keying material is available once established"};
    }
    return context_.keys->export_keying_material(label, context, use_context, length);
}

}  // namespace dtls
