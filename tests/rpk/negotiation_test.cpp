// The certificate type negotiation rules (src/tls12/certificate_type_negotiation.*)
// on their own: what a client offers, what a server answers, and the client's
// check of answers a real server of ours would never send.
#include <gtest/gtest.h>

#include <memory>

#include "support/certs.hpp"
#include "tls12/certificate_type_negotiation.hpp"

namespace dtls::tls12 {
namespace {

using test::KeyKind;

constexpr uint8_t kX509 = 0, kRawKey = 2;

std::shared_ptr<Credential> raw_key() {
    return std::make_shared<Credential>(*Credential::raw_public_key_from_pem(test::generate_key_pem(KeyKind::ecdsa_p256)));
}

Bytes some_spki() { return raw_key()->chain().front(); }

TEST(CertificateTypeNegotiation, TheDefaultOffersNothing) {
    Config config;
    config.ca_pem = test::shared_ca().cert_pem();
    messages::Extensions hello;
    offer_certificate_types(config, hello);
    EXPECT_FALSE(hello.server_certificate_types);
    EXPECT_FALSE(hello.client_certificate_types);
}

TEST(CertificateTypeNegotiation, AClientOffersWhatItAcceptsAndWhatItHas) {
    Config config;
    config.certificate_types = {CertificateType::raw_public_key, CertificateType::x509};
    config.trusted_raw_public_keys = {some_spki()};
    config.ca_pem = test::shared_ca().cert_pem();
    config.credential = raw_key();
    messages::Extensions hello;
    offer_certificate_types(config, hello);
    EXPECT_EQ(hello.server_certificate_types, (std::vector<uint8_t>{kRawKey, kX509}));
    EXPECT_EQ(hello.client_certificate_types, std::vector<uint8_t>{kRawKey});

    // X.509 it cannot check is not offered.
    config.ca_pem.clear();
    hello = {};
    offer_certificate_types(config, hello);
    EXPECT_EQ(hello.server_certificate_types, std::vector<uint8_t>{kRawKey});
}

TEST(CertificateTypeNegotiation, AServerAnswersWhatTheClientSentAndPrefersItsOwnOrder) {
    Config config;
    config.credential = std::make_shared<Credential>(test::credential_of(test::shared_server_cert()));
    config.certificate_types = {CertificateType::x509, CertificateType::raw_public_key};
    config.client_auth = ClientAuth::require;
    config.ca_pem = test::shared_ca().cert_pem();
    config.trusted_raw_public_keys = {some_spki()};
    messages::Extensions offer;
    offer.server_certificate_types = std::vector<uint8_t>{kRawKey, kX509};
    offer.client_certificate_types = std::vector<uint8_t>{7, kRawKey, kX509};  // 7: a type we do not know
    messages::Extensions answer;
    Negotiated negotiated;
    auto ask = answer_certificate_types(config, offer, answer, negotiated);
    ASSERT_TRUE(ask) << ask.error().to_string();
    EXPECT_TRUE(*ask);
    EXPECT_EQ(answer.server_certificate_types, std::vector<uint8_t>{kX509});  // named, though X.509
    EXPECT_EQ(answer.client_certificate_types, std::vector<uint8_t>{kX509});  // our order decides
    EXPECT_EQ(negotiated.client_certificate_type, CertificateType::x509);

    // Without a certificate request there is no client_certificate_type.
    config.client_auth = ClientAuth::none;
    answer = {};
    ask = answer_certificate_types(config, offer, answer, negotiated);
    ASSERT_TRUE(ask);
    EXPECT_FALSE(*ask);
    EXPECT_FALSE(answer.client_certificate_types);
}

TEST(CertificateTypeNegotiation, AClientRefusesAnswersItDidNotAskFor) {
    Config config;
    config.ca_pem = test::shared_ca().cert_pem();
    Negotiated negotiated;
    messages::Extensions answer;
    answer.server_certificate_types = std::vector<uint8_t>{kX509};
    auto r = check_certificate_type_answer(config, answer, negotiated);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().fault, Fault::unsolicited_extension);

    answer = {};
    answer.client_certificate_types = std::vector<uint8_t>{kX509};
    r = check_certificate_type_answer(config, answer, negotiated);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().fault, Fault::unsolicited_extension);

    // Offered raw keys only: X.509 named, or implied by silence, is refused.
    config.certificate_types = {CertificateType::raw_public_key};
    config.trusted_raw_public_keys = {some_spki()};
    answer = {};
    answer.server_certificate_types = std::vector<uint8_t>{kX509};
    r = check_certificate_type_answer(config, answer, negotiated);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().fault, Fault::not_offered);
    EXPECT_EQ(r.error().alert, Alert::illegal_parameter);
    answer = {};
    r = check_certificate_type_answer(config, answer, negotiated);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().fault, Fault::no_common_certificate_type);

    answer.server_certificate_types = std::vector<uint8_t>{kRawKey};
    r = check_certificate_type_answer(config, answer, negotiated);
    ASSERT_TRUE(r) << r.error().to_string();
    EXPECT_EQ(negotiated.server_certificate_type, CertificateType::raw_public_key);
}

}  // namespace
}  // namespace dtls::tls12
