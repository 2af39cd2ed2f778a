// Raw public keys (RFC 7250) on the wire, DTLS 1.2 (whose Certificate is
// plaintext, so a man in the middle can change it): the RFC 7250 3 form of
// the Certificate (one SubjectPublicKeyInfo, not a list), a raw key where
// X.509 was agreed, trailing bytes, and a key that is not a
// SubjectPublicKeyInfo at all.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include "messages/messages.hpp"
#include "support/certs.hpp"
#include "tls12/mitm.hpp"
#include "wire/writer.hpp"

namespace dtls::test {
namespace {

using messages::HandshakeType;

// A DTLS 1.2 Mitm whose server has a raw key the client trusts; the client
// also accepts X.509 from the test CA.
Mitm raw_key_mitm() {
    Mitm m;
    auto key = Credential::raw_public_key_from_pem(generate_key_pem(KeyKind::ecdsa_p256));
    EXPECT_TRUE(key);
    m.server_config.credential = std::make_shared<Credential>(std::move(*key));
    m.server_config.certificate_types = {CertificateType::raw_public_key};
    m.client_config.certificate_types = {CertificateType::x509, CertificateType::raw_public_key};
    m.client_config.trusted_raw_public_keys = {m.server_config.credential->chain().front()};
    return m;
}

// Rewrites the server's Certificate message.
Filter certificate_edit(int& edited, std::function<void(messages::Certificate&)> change) {
    return [&edited, change](Direction dir, Bytes d) {
        if (dir == Direction::to_client) {
            edited += edit_messages(d, HandshakeType::certificate, [&](Bytes& body) {
                auto certificate = messages::decode_raw_public_key_certificate(body);
                ASSERT_TRUE(certificate);
                change(*certificate);
                body.clear();
                wire::Writer w(body);
                EXPECT_TRUE(messages::encode(*certificate, w));
            });
        }
        return std::vector<Bytes>{std::move(d)};
    };
}

TEST(RawPublicKeyWire, TheServerNamesTheTypeInItsServerHello) {
    Mitm m = raw_key_mitm();
    int seen = 0;
    m.filter = [&](Direction dir, Bytes d) {
        if (dir == Direction::to_client) {
            seen += edit_messages(d, HandshakeType::server_hello, [](Bytes& body) {
                auto hello = messages::decode_server_hello(body);
                ASSERT_TRUE(hello);
                ASSERT_TRUE(hello->extensions.server_certificate_types);
                EXPECT_EQ(*hello->extensions.server_certificate_types, std::vector<uint8_t>{2});
                EXPECT_FALSE(hello->extensions.client_certificate_types);  // no CertificateRequest
            });
        }
        return std::vector<Bytes>{std::move(d)};
    };
    ASSERT_TRUE(m.start());
    m.pump();
    EXPECT_EQ(seen, 1);
    EXPECT_EQ(m.client->state(), State::established);
}

TEST(RawPublicKeyWire, ARawKeyWhereX509WasAgreedIsADecodeError) {
    Mitm m = raw_key_mitm();
    int edited = 0;
    m.filter = [&](Direction dir, Bytes d) {
        if (dir == Direction::to_client) {
            // Take the server's answer away: the client now expects X.509.
            edited += edit_messages(d, HandshakeType::server_hello, [](Bytes& body) {
                auto hello = messages::decode_server_hello(body);
                ASSERT_TRUE(hello);
                hello->extensions.server_certificate_types.reset();
                body.clear();
                wire::Writer w(body);
                EXPECT_TRUE(messages::encode(*hello, w));
            });
        }
        return std::vector<Bytes>{std::move(d)};
    };
    ASSERT_TRUE(m.start());
    m.pump();
    EXPECT_EQ(edited, 1);
    // The SubjectPublicKeyInfo does not read as a list of certificates.
    expect_failure(*m.client, m.client_events, ErrorCode::alert_sent, Alert::decode_error, "certificate_list");
    EXPECT_EQ(m.client->error()->fault, Fault::malformed_message);
    expect_plaintext_fatal_alert(m.from_client, Alert::decode_error);
}

TEST(RawPublicKeyWire, TheCertificateIsOneSubjectPublicKeyInfoNotAList) {
    Mitm m = raw_key_mitm();
    Bytes sent;
    m.filter = [&](Direction dir, Bytes d) {
        if (dir == Direction::to_client) edit_messages(d, HandshakeType::certificate, [&](Bytes& body) { sent = body; });
        return std::vector<Bytes>{std::move(d)};
    };
    ASSERT_TRUE(m.start());
    m.pump();
    EXPECT_EQ(m.client->state(), State::established);
    const Bytes& spki = m.server_config.credential->chain().front();
    ASSERT_EQ(sent.size(), 3 + spki.size());
    EXPECT_EQ(sent[0] << 16 | sent[1] << 8 | sent[2], static_cast<int>(spki.size()));
    EXPECT_TRUE(std::equal(spki.begin(), spki.end(), sent.begin() + 3));
}

TEST(RawPublicKeyWire, TrailingBytesAfterTheSubjectPublicKeyInfoAreADecodeError) {
    Mitm m = raw_key_mitm();
    int edited = 0;
    m.filter = [&](Direction dir, Bytes d) {
        if (dir == Direction::to_client) {
            edited += edit_messages(d, HandshakeType::certificate, [](Bytes& body) { body.push_back(0); });
        }
        return std::vector<Bytes>{std::move(d)};
    };
    ASSERT_TRUE(m.start());
    m.pump();
    EXPECT_EQ(edited, 1);
    expect_failure(*m.client, m.client_events, ErrorCode::alert_sent, Alert::decode_error, "trailing bytes");
    EXPECT_EQ(m.client->error()->fault, Fault::malformed_message);
}

TEST(RawPublicKeyWire, ACertificateListWhereARawKeyWasAgreedIsABadCertificate) {
    Mitm m = raw_key_mitm();
    int edited = 0;
    m.filter = certificate_edit(edited, [](messages::Certificate& c) {
        // The X.509 form: the list's one entry, with its own length, inside.
        messages::Certificate list{c.chain, false};
        Bytes body;
        wire::Writer w(body);
        EXPECT_TRUE(messages::encode(list, w));
        c.chain = {Bytes(body.begin() + 3, body.end())};
    });
    ASSERT_TRUE(m.start());
    m.pump();
    EXPECT_EQ(edited, 1);
    expect_failure(*m.client, m.client_events, ErrorCode::alert_sent, Alert::bad_certificate, "raw public key");
}

TEST(RawPublicKeyWire, AMalformedSubjectPublicKeyInfoIsABadCertificate) {
    for (auto change : std::vector<std::function<void(Bytes&)>>{
             [](Bytes& spki) { spki.resize(spki.size() - 1); },       // truncated
             [](Bytes& spki) { spki.push_back(0); },                  // trailing byte
             [](Bytes& spki) { spki = Bytes(spki.size(), 0x30); },    // not DER at all
             [](Bytes& spki) { spki[spki.size() - 5] ^= 0x55; },      // a point off the curve
         }) {
        Mitm m = raw_key_mitm();
        int edited = 0;
        m.filter = certificate_edit(edited, [&](messages::Certificate& c) { change(c.chain.front()); });
        ASSERT_TRUE(m.start());
        m.pump();
        EXPECT_EQ(edited, 1);
        expect_failure(*m.client, m.client_events, ErrorCode::alert_sent, Alert::bad_certificate, "raw public key");
    }
}

}  // namespace
}  // namespace dtls::test
