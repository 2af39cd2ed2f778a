// Client authentication with a step missing or out of order, forged by a
// client that holds the real master secret and so can make its Finished
// verify over whatever it sent. The server asked for a certificate; it must
// never complete without the Certificate and, for a non-empty one, the
// CertificateVerify that proves the key (RFC 5246 7.4.6, 7.4.8). JSSE
// (CVE-2014-6593 class) and Scandium accepted a client that skipped
// CertificateVerify and authenticated it as the certificate's owner.
#include <gtest/gtest.h>

#include <functional>

#include "evil/bystander.hpp"
#include "evil/client_flight.hpp"
#include "evil/outcome.hpp"

namespace dtls::test {
namespace {

using messages::HandshakeType;

FlightMessage certificate(EvilPeer& e) { return genuine_client_message(e, HandshakeType::certificate); }
FlightMessage key_exchange(EvilPeer& e) { return genuine_client_message(e, HandshakeType::client_key_exchange); }
FlightMessage verify(EvilPeer& e) { return genuine_client_message(e, HandshakeType::certificate_verify); }
FlightMessage at(FlightMessage m, uint16_t seq) {
    m.seq = seq;
    return m;
}

// The genuine flight numbers its messages from 2 (after the ClientHello with
// the cookie): Certificate 2, ClientKeyExchange 3, CertificateVerify 4, Finished 5.
struct AuthRow {
    const char* name;
    ClientAuth mode;
    std::function<ForgedFlight(EvilPeer&)> forge;
    Expectation expect;
};

Expectation waits_forever(const char* why) { return {Outcome::incomplete, std::nullopt, why}; }

const AuthRow kRows[] = {
    {"CertificateVerifyMissingGapKept", ClientAuth::require,
     [](EvilPeer& e) { return forge_client_flight(e, {certificate(e), key_exchange(e)}, 5); },
     waits_forever("CertificateVerify (4) never arrives; the held CCS and Finished are never used (RFC 5246 7.4.8)")},
    {"CertificateVerifyMissingRenumbered", ClientAuth::require,
     [](EvilPeer& e) { return forge_client_flight(e, {certificate(e), key_exchange(e)}, 4); },
     waits_forever("the Finished takes CertificateVerify's seq but is protected; the CCS stays held until a "
                   "CertificateVerify, so it is never read")},
    {"CertificateVerifyMissingPlaintextFinished", ClientAuth::require,
     [](EvilPeer& e) { return forge_client_flight(e, {certificate(e), key_exchange(e)}, 4, FinishedForm::plaintext); },
     fatal(Alert::unexpected_message, "Finished where CertificateVerify is due (RFC 5246 7.4)")},
    {"CertificateVerifyMissingWhenOnlyRequested", ClientAuth::request,
     [](EvilPeer& e) { return forge_client_flight(e, {certificate(e), key_exchange(e)}, 4); },
     waits_forever("a non-empty Certificate needs its CertificateVerify even when only requested")},
    {"CertificateMissing", ClientAuth::require,
     [](EvilPeer& e) { return forge_client_flight(e, {at(key_exchange(e), 2), at(verify(e), 3)}, 4); },
     fatal(Alert::unexpected_message, "ClientKeyExchange where Certificate is due (RFC 5246 7.4.6)")},
    {"CertificateMissingWhenOnlyRequested", ClientAuth::request,
     [](EvilPeer& e) { return forge_client_flight(e, {at(key_exchange(e), 2)}, 3); },
     fatal(Alert::unexpected_message, "a requested Certificate must be sent, empty if need be (RFC 5246 7.4.6)")},
    {"ClientKeyExchangeBeforeCertificate", ClientAuth::require,
     [](EvilPeer& e) {
         return forge_client_flight(e, {at(key_exchange(e), 2), at(certificate(e), 3), verify(e)}, 5);
     },
     fatal(Alert::unexpected_message, "messages out of order (RFC 5246 7.4)")},
    {"CertificateVerifyWithEmptyCertificate", ClientAuth::request,
     [](EvilPeer& e) {
         Bytes empty;
         wire::Writer w(empty);
         EXPECT_TRUE(messages::encode(messages::Certificate{}, w));
         return forge_client_flight(e, {{HandshakeType::certificate, 2, empty}, key_exchange(e), verify(e)}, 5);
     },
     fatal(Alert::unexpected_message, "no certificate, so no CertificateVerify is due (RFC 5246 7.4.8)")},
    {"CertificateVerifyOfAnotherKey", ClientAuth::require,
     [](EvilPeer& e) {
         // A certificate the server trusts, but not the key that signed.
         static const Issued other = test_ca().issue(KeyKind::ecdsa_p256, "someone-else.test");
         Bytes body;
         wire::Writer w(body);
         EXPECT_TRUE(messages::encode(messages::Certificate{{other.cert_der}}, w));
         return forge_client_flight(e, {{HandshakeType::certificate, 2, body}, key_exchange(e), verify(e)}, 5);
     },
     fatal(Alert::decrypt_error, "the signature does not verify with the certified key (RFC 5246 7.4.8)")},
};

void PrintTo(const AuthRow& r, std::ostream* os) { *os << r.name; }

class ForgedClientFlight : public ::testing::TestWithParam<AuthRow> {};

TEST_P(ForgedClientFlight, ServerNeverAuthenticatesWithoutEveryMessage) {
    const AuthRow& row = GetParam();
    Bystander bystander;
    bystander.talk("before");

    EvilPeer e(row.mode);
    ASSERT_TRUE(e.start());
    ASSERT_TRUE(e.advance_to(Direction::to_server, NextUnit::of(HandshakeType::certificate)));
    ASSERT_TRUE(e.has_keys()) << "the client logs its master secret with its flight";
    const Before before = Before::of(e, Direction::to_server);
    const ForgedFlight flight = row.forge(e);
    bystander.talk("during");
    for (const Bytes& d : flight.datagrams) {
        e.deliver(Direction::to_server, d);
        if (e.m.server_conn->state() != State::handshaking) break;
    }
    EXPECT_NE(e.m.server_conn->state(), State::established) << "authenticated without every message";
    expect_outcome(e, Direction::to_server, row.expect, before);
    EXPECT_EQ(count_complete(e.m.server_events), 0u);

    bystander.expect_unharmed();
}

INSTANTIATE_TEST_SUITE_P(Cases, ForgedClientFlight, ::testing::ValuesIn(kRows),
                         [](const auto& info) { return std::string(info.param.name); });

// The control that makes the cases above mean something: the same forging
// machinery, given the genuine messages, reproduces the client's own
// Finished byte for byte and completes the handshake. So a forged flight is
// refused above because of what is missing, not because it was forged badly.
TEST(ForgedClientFlight, TheGenuineMessagesReforgedCompleteTheHandshake) {
    for (ClientAuth mode : {ClientAuth::require, ClientAuth::request}) {
        EvilPeer e(mode);
        ASSERT_TRUE(e.start());
        ASSERT_TRUE(e.advance_to(Direction::to_server, NextUnit::of(HandshakeType::certificate)));
        const ForgedFlight flight = forge_client_flight(e, {certificate(e), key_exchange(e), verify(e)}, 5);
        for (const Bytes& d : flight.datagrams) e.deliver(Direction::to_server, d);
        EXPECT_EQ(std::optional<Bytes>(flight.verify_data), e.finished_sent_by(Role::client));
        EXPECT_EQ(e.m.server_conn->state(), State::established) << e.m.describe();
        EXPECT_EQ(count_complete(e.m.server_events), 1u);
        ASSERT_EQ(e.m.server_conn->negotiated().peer_chain.size(), 1u);
        EXPECT_EQ(e.m.server_conn->negotiated().peer_chain[0], client_identity().cert_der);
    }
}

}  // namespace
}  // namespace dtls::test
