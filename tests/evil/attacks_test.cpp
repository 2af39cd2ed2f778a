// The named attacks on a DTLS 1.2 engine, each in the states where it means something:
// ChangeCipherSpec early, twice or protected; Finished twice; ServerHello
// twice; application data before Finished; messages in the wrong epoch;
// reflected and forged records; renegotiation. One row per (state, attack),
// with the outcome and the reason written next to it; every row also runs a
// bystander pair that must lose nothing.
#include <gtest/gtest.h>

#include "evil/bystander.hpp"
#include "evil/outcome.hpp"
#include "evil/stages.hpp"

namespace dtls::test {
namespace {

using record::ContentType;

const Stage& stage_named(const std::string& name) {
    for (const Stage& s : all_stages()) {
        if (name == s.name) return s;
    }
    ADD_FAILURE() << "no stage " << name;
    return all_stages().front();
}

using Make = Bytes (*)(EvilPeer&, const Stage&);

struct AttackRow {
    std::string stage;
    std::string attack;
    Make make;
    Expectation expect;
};

// --- What the evil peer sends ----------------------------------------------

Bytes plaintext_ccs(EvilPeer&, const Stage&) { return change_cipher_spec_record(902); }

Bytes protected_ccs(EvilPeer& e, const Stage& s) {
    const uint8_t one[1] = {1};
    return e.seal_toward(s.toward, ContentType::change_cipher_spec, one);
}

// The peer's genuine Finished once more, as a new message (next message_seq).
Bytes second_finished(EvilPeer& e, const Stage& s) {
    const Bytes body = e.finished_sent_by(writer_toward(s.toward)).value_or(Bytes(12, 0));
    return e.protected_message(s.toward, HandshakeType::finished, e.next_message_seq(s.toward), body);
}

// The peer's genuine Finished again with its own message_seq, in a fresh
// authentic record: what a retransmission looks like.
Bytes finished_retransmitted(EvilPeer& e, const Stage& s) {
    const Bytes body = e.finished_sent_by(writer_toward(s.toward)).value_or(Bytes(12, 0));
    return e.protected_message(s.toward, HandshakeType::finished,
                               static_cast<uint16_t>(e.next_message_seq(s.toward) - 1), body);
}

// A different ServerHello carrying the message_seq of the one already taken.
Bytes server_hello_with_its_own_seq(EvilPeer& e, const Stage& s) {
    const Bytes genuine = genuine_body(HandshakeType::server_hello, Role::server);
    messages::ServerHello sh = *messages::decode_server_hello(genuine);
    sh.random.fill(0x66);
    Bytes body;
    wire::Writer w(body);
    EXPECT_TRUE(messages::encode(sh, w));
    return handshake_record(HandshakeType::server_hello, static_cast<uint16_t>(e.next_message_seq(s.toward) - 1), body,
                            903);
}

Bytes protected_application_data(EvilPeer& e, const Stage& s) {
    return e.seal_toward(s.toward, ContentType::application_data, span_of("evil data"));
}

Bytes plaintext_application_data(EvilPeer&, const Stage&) {
    return plaintext_record(ContentType::application_data, span_of("evil data"), 904);
}

// The Finished the attacked side waits for, with the genuine verify_data,
// but in plaintext (epoch 0) after epoch 1 opened.
Bytes plaintext_genuine_finished(EvilPeer& e, const Stage& s) {
    const Role writer = writer_toward(s.toward);
    Bytes body;
    for (const Unit& u : e.queue(s.toward)) {
        if (!u.is_protected()) continue;
        const std::vector<WireRecord> recs = split_records(u.record);
        if (std::optional<Bytes> plain = e.open(writer, recs.at(0))) {
            std::vector<WireFragment> f = split_fragments(*plain);
            if (!f.empty() && f[0].header.type == HandshakeType::finished) body = f[0].body;
        }
    }
    EXPECT_EQ(body.size(), 12u) << "the genuine Finished was not found";
    return handshake_record(HandshakeType::finished, e.next_message_seq(s.toward), body, 905);
}

// Application data sealed with the attacked side's own write key and sent
// back to it (a reflection): never authentic in this direction.
Bytes reflected_application_data(EvilPeer& e, const Stage& s) {
    Bytes out;
    const Role attacked = s.toward == Direction::to_client ? Role::client : Role::server;
    e.keys()->of(attacked, record::RecordProtection::Direction::seal)
        .seal(ContentType::application_data, record::kVersionDtls12, 1, 50, span_of("reflected"), out);
    return out;
}

// Authentic-looking framing, one flipped tag bit.
Bytes forged_application_data(EvilPeer& e, const Stage& s) {
    Bytes r = e.seal_toward(s.toward, ContentType::application_data, span_of("forged"));
    r.back() ^= 0x01;
    return r;
}

Bytes protected_client_hello_seq0(EvilPeer& e, const Stage& s) {
    return e.protected_message(s.toward, HandshakeType::client_hello, 0,
                               genuine_body(HandshakeType::client_hello, Role::client));
}

Bytes protected_hello_request_seq0(EvilPeer& e, const Stage& s) {
    return e.protected_message(s.toward, HandshakeType::hello_request, 0, {});
}

Bytes plaintext_client_hello_seq0(EvilPeer&, const Stage&) {
    return handshake_record(HandshakeType::client_hello, 0, genuine_body(HandshakeType::client_hello, Role::client),
                            906);
}

// --- The table ---------------------------------------------------------------

std::vector<AttackRow> all_rows() {
    std::vector<AttackRow> rows;
    // A ChangeCipherSpec before its time is remembered, and applied only when
    // the state machine reaches the point where one is due: it can never skip
    // a message (the CCS injection of CVE-2014-0224).
    for (const char* s : {"ClientWaitsForServerHello", "ClientWaitsForCertificate", "ClientWaitsForServerKeyExchange",
                          "ClientWaitsForCertificateRequestOrDone", "ClientWaitsForServerHelloDone",
                          "ServerWaitsForCertificate", "ServerWaitsForClientKeyExchange",
                          "ServerWaitsForCertificateVerify"}) {
        rows.push_back({s, "EarlyChangeCipherSpec", plaintext_ccs,
                        dropped("held until due, never skips a message (RFC 6347 4.2.5 reordering; CVE-2014-0224)")});
    }
    for (const char* s :
         {"ClientWaitsForFinished", "ServerWaitsForFinished", "ClientEstablished", "ServerEstablished"}) {
        rows.push_back({s, "SecondChangeCipherSpec", plaintext_ccs,
                        dropped("epoch 1 is already open; a repeated CCS is a stale duplicate (RFC 6347 4.1.2.7)")});
        rows.push_back({s, "ProtectedChangeCipherSpec", protected_ccs,
                        dropped("a CCS opens the next epoch; only an epoch 0 one means anything here "
                                "(no renegotiation)")});
    }
    for (const char* s : {"ClientEstablished", "ServerEstablished"}) {
        rows.push_back({s, "SecondFinished", second_finished,
                        dropped("a handshake message after completion; no second HandshakeComplete "
                                "(wolfSSL's extra Finished)")});
        rows.push_back({s, "PlaintextApplicationData", plaintext_application_data,
                        dropped("application data is only accepted in epoch 1 (RFC 6347 4.1.2.7)")});
        rows.push_back({s, "ReflectedRecord", reflected_application_data,
                        dropped("does not authenticate with the peer's key (RFC 6347 4.1.2.7)")});
        rows.push_back({s, "ForgedRecord", forged_application_data,
                        dropped("does not authenticate (RFC 6347 4.1.2.7)")});
    }
    rows.push_back({"ClientEstablished", "FinishedRetransmitted", finished_retransmitted,
                    dropped("the server's Finished ends the handshake; the client has nothing to resend "
                            "(RFC 6347 4.2.4)")});
    rows.push_back({"ClientWaitsForCertificate", "ServerHelloAgainWithItsOwnSeq", server_hello_with_its_own_seq,
                    dropped("a message_seq already processed: a retransmission, never processed twice "
                            "(RFC 6347 4.2.2)")});
    rows.push_back({"ClientWaitsForServerHelloDone", "ServerHelloAgainWithItsOwnSeq", server_hello_with_its_own_seq,
                    dropped("a message_seq already processed (RFC 6347 4.2.2)")});
    for (const char* s : {"ClientWaitsForChangeCipherSpec", "ClientWaitsForFinished", "ServerWaitsForChangeCipherSpec",
                          "ServerWaitsForFinished"}) {
        rows.push_back({s, "ApplicationDataBeforeFinished", protected_application_data,
                        dropped("authentic, but the handshake is not complete: never delivered, not even later "
                                "(RFC 5246 7.4.9; discarded per RFC 6347 4.1.2.7)")});
    }
    for (const char* s : {"ClientWaitsForFinished", "ServerWaitsForFinished"}) {
        rows.push_back({s, "PlaintextFinished", plaintext_genuine_finished,
                        dropped("epoch 0 after epoch 1 opened: only the protected Finished counts (RFC 6347 4.1)")});
    }
    rows.push_back({"ServerEstablished", "RenegotiationClientHello", protected_client_hello_seq0,
                    warning(Alert::no_renegotiation, "we never renegotiate (RFC 5746 4.4, RFC 5246 7.2.2)")});
    rows.push_back({"ClientEstablished", "RenegotiationHelloRequest", protected_hello_request_seq0,
                    warning(Alert::no_renegotiation, "we never renegotiate (RFC 5746 4.2, RFC 5246 7.2.2)")});
    rows.push_back({"ServerEstablished", "PlaintextClientHello", plaintext_client_hello_seq0,
                    reported("another client's hello on an established association: the application's front "
                             "door decides (RFC 6347 4.2.8)")});
    return rows;
}

void PrintTo(const AttackRow& r, std::ostream* os) { *os << r.stage << " <- " << r.attack; }

class NamedAttack : public ::testing::TestWithParam<AttackRow> {};

// conformance: RFC6347-4.1-2 RFC6347-4.1-5 RFC6347-4.2.4-2 RFC6347-4.2.2-1
TEST_P(NamedAttack, IsRejectedOrDroppedAsTheRfcSays) {
    const AttackRow& row = GetParam();
    const Stage& stage = stage_named(row.stage);
    Bystander bystander;
    bystander.talk("before");

    EvilPeer e;
    ASSERT_TRUE(start_at(e, stage));
    const Before before = Before::of(e, stage.toward);
    const Bytes attack = row.make(e, stage);
    bystander.talk("during");
    e.deliver(stage.toward, attack);
    expect_outcome(e, stage.toward, row.expect, before);

    bystander.expect_unharmed();
}

INSTANTIATE_TEST_SUITE_P(Table, NamedAttack, ::testing::ValuesIn(all_rows()),
                         [](const auto& info) { return info.param.stage + "_" + info.param.attack; });

}  // namespace
}  // namespace dtls::test
