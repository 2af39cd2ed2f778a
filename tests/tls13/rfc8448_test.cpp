// The key schedule, traffic keys, Finished and the resumption PSK against
// the TLS 1.3 traces of RFC 8448: section 3 (a full handshake without a PSK)
// and section 4 (its resumption with 0-RTT). The traces are TLS 1.3, so the
// schedule runs with the "tls13 " label prefix and SHA-256
// (TLS_AES_128_GCM_SHA256). Every expected value is in rfc8448_values.hpp,
// copied from the RFC and checked against its text when written.
//
// The transcript hashes are computed here from the handshake messages the
// RFC prints, with OpenSSL's SHA256() rather than the library; the first test
// of each section shows they are the hashes the RFC prints.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "hex.hpp"
#include "reference_kdf.hpp"
#include "rfc8448_values.hpp"
#include "tls13/cipher_suites.hpp"
#include "tls13/finished.hpp"
#include "tls13/key_schedule.hpp"
#include "tls13/resumption.hpp"
#include "tls13/traffic_keys.hpp"

namespace dtls::tls13 {
namespace {

using testing::concat_hex;
using testing::from_hex;
using testing::reference_hash;
using testing::to_hex;

constexpr auto sha256 = crypto::HashAlgorithm::sha256;
const KeyDerivation tls13_sha256(sha256, LabelPrefix::tls13);

std::string hex_of(const Result<crypto::SecretBytes>& r) {
    EXPECT_TRUE(r.ok()) << r.error().reason;
    return r.ok() ? to_hex(r->span()) : std::string();
}

std::string hex_of(const Result<std::vector<uint8_t>>& r) {
    EXPECT_TRUE(r.ok()) << r.error().reason;
    return r.ok() ? to_hex(*r) : std::string();
}

// The AEAD of the traces' suite, from the table.
crypto::AeadCipher::Algorithm trace_aead() {
    const SuiteInfo* suite = find_suite(suite::aes_128_gcm_sha256);
    EXPECT_NE(suite, nullptr);
    EXPECT_EQ(suite->hash, sha256);
    return suite->aead;
}

// The keys of `secret` as "key/iv" in hex.
std::string keys_of(std::span<const uint8_t> secret) {
    Result<TrafficKeys> keys = derive_traffic_keys(tls13_sha256, trace_aead(), secret);
    EXPECT_TRUE(keys.ok()) << keys.error().reason;
    return keys.ok() ? to_hex(keys->key.span()) + "/" + to_hex(keys->iv.span()) : std::string();
}

std::string keys_of(std::string_view key, std::string_view iv) { return std::string(key) + "/" + std::string(iv); }

// The body of a Finished message: what follows its 4-byte header.
std::string verify_data_in(std::string_view finished_message) { return std::string(finished_message.substr(8)); }

// --- Section 3: Simple 1-RTT Handshake ---

namespace simple = rfc8448::simple;

struct SimpleTranscript {
    std::vector<uint8_t> hello_hash;               // ClientHello, ServerHello
    std::vector<uint8_t> certificate_verify_hash;  // ... CertificateVerify: the server Finished's
    std::vector<uint8_t> server_finished_hash;     // ... server Finished
    std::vector<uint8_t> client_finished_hash;     // ... client Finished
};

SimpleTranscript simple_transcript() {
    SimpleTranscript t;
    t.hello_hash = reference_hash(sha256, concat_hex({simple::client_hello, simple::server_hello}));
    t.certificate_verify_hash =
        reference_hash(sha256, concat_hex({simple::client_hello, simple::server_hello, simple::encrypted_extensions,
                                           simple::certificate, simple::certificate_verify}));
    t.server_finished_hash = reference_hash(
        sha256, concat_hex({simple::client_hello, simple::server_hello, simple::encrypted_extensions,
                            simple::certificate, simple::certificate_verify, simple::server_finished}));
    t.client_finished_hash = reference_hash(
        sha256, concat_hex({simple::client_hello, simple::server_hello, simple::encrypted_extensions,
                            simple::certificate, simple::certificate_verify, simple::server_finished,
                            simple::client_finished}));
    return t;
}

TEST(Rfc8448Simple, TranscriptHashesOfThePrintedMessagesAreThePrintedHashes) {
    const SimpleTranscript t = simple_transcript();
    EXPECT_EQ(to_hex(t.hello_hash), simple::hello_hash);
    EXPECT_EQ(to_hex(t.server_finished_hash), simple::server_finished_hash);
    EXPECT_EQ(to_hex(t.client_finished_hash), simple::client_finished_hash);
}

TEST(Rfc8448Simple, KeySchedule) {
    const SimpleTranscript t = simple_transcript();
    Result<KeySchedule> ks = KeySchedule::without_psk(tls13_sha256);
    ASSERT_TRUE(ks.ok()) << ks.error().reason;
    EXPECT_EQ(to_hex(ks->stage_secret()), simple::early_secret);

    ASSERT_TRUE(ks->derive_handshake_secret(from_hex(simple::ecdhe_shared_secret)).ok());
    EXPECT_EQ(ks->stage(), KeySchedule::Stage::handshake);
    EXPECT_EQ(to_hex(ks->stage_secret()), simple::handshake_secret);

    Result<TrafficSecrets> handshake = ks->handshake_traffic_secrets(t.hello_hash);
    ASSERT_TRUE(handshake.ok()) << handshake.error().reason;
    EXPECT_EQ(to_hex(handshake->client.span()), simple::client_handshake_traffic_secret);
    EXPECT_EQ(to_hex(handshake->server.span()), simple::server_handshake_traffic_secret);

    ASSERT_TRUE(ks->derive_master_secret().ok());
    EXPECT_EQ(ks->stage(), KeySchedule::Stage::master);
    EXPECT_EQ(to_hex(ks->stage_secret()), simple::master_secret);

    Result<TrafficSecrets> application = ks->application_traffic_secrets(t.server_finished_hash);
    ASSERT_TRUE(application.ok()) << application.error().reason;
    EXPECT_EQ(to_hex(application->client.span()), simple::client_application_traffic_secret);
    EXPECT_EQ(to_hex(application->server.span()), simple::server_application_traffic_secret);
    EXPECT_EQ(hex_of(ks->exporter_master_secret(t.server_finished_hash)), simple::exporter_master_secret);
    EXPECT_EQ(hex_of(ks->resumption_master_secret(t.client_finished_hash)), simple::resumption_master_secret);

    ASSERT_TRUE(ks->end().ok());
    EXPECT_TRUE(ks->stage_secret().empty());
}

TEST(Rfc8448Simple, TrafficKeys) {
    // Each side's write keys are the other's read keys, so the RFC prints
    // every pair once.
    EXPECT_EQ(keys_of(from_hex(simple::server_handshake_traffic_secret)),
              keys_of(simple::server_handshake_write_key, simple::server_handshake_write_iv));
    EXPECT_EQ(keys_of(from_hex(simple::client_handshake_traffic_secret)),
              keys_of(simple::client_handshake_write_key, simple::client_handshake_write_iv));
    EXPECT_EQ(keys_of(from_hex(simple::server_application_traffic_secret)),
              keys_of(simple::server_application_write_key, simple::server_application_write_iv));
    EXPECT_EQ(keys_of(from_hex(simple::client_application_traffic_secret)),
              keys_of(simple::client_application_write_key, simple::client_application_write_iv));
}

TEST(Rfc8448Simple, Finished) {
    const SimpleTranscript t = simple_transcript();
    const std::vector<uint8_t> server_base_key = from_hex(simple::server_handshake_traffic_secret);
    const std::vector<uint8_t> client_base_key = from_hex(simple::client_handshake_traffic_secret);

    // The server's Finished covers ClientHello ... CertificateVerify.
    EXPECT_EQ(hex_of(finished_key(tls13_sha256, server_base_key)), simple::server_finished_key);
    EXPECT_EQ(hex_of(verify_data(tls13_sha256, server_base_key, t.certificate_verify_hash)),
              simple::server_verify_data);
    EXPECT_EQ(verify_data_in(simple::server_finished), simple::server_verify_data);

    // The client's covers ClientHello ... server Finished.
    EXPECT_EQ(hex_of(finished_key(tls13_sha256, client_base_key)), simple::client_finished_key);
    EXPECT_EQ(hex_of(verify_data(tls13_sha256, client_base_key, t.server_finished_hash)),
              simple::client_verify_data);
    EXPECT_EQ(verify_data_in(simple::client_finished), simple::client_verify_data);

    // Checking: the RFC's value passes; one bit off, or the other side's, fails.
    EXPECT_TRUE(check_verify_data(tls13_sha256, client_base_key, t.server_finished_hash,
                                  from_hex(simple::client_verify_data))
                    .ok());
    std::vector<uint8_t> altered = from_hex(simple::client_verify_data);
    altered[31] ^= 1;
    for (const std::vector<uint8_t>& wrong : {altered, from_hex(simple::server_verify_data)}) {
        Status status = check_verify_data(tls13_sha256, client_base_key, t.server_finished_hash, wrong);
        ASSERT_FALSE(status.ok());
        EXPECT_EQ(status.error().fault, Fault::finished_invalid);
        EXPECT_EQ(status.error().alert, Alert::decrypt_error);
    }
}

TEST(Rfc8448Simple, TicketNonceAndResumptionPsk) {
    // NewSessionTicket: header (4), ticket_lifetime (4), ticket_age_add (4),
    // then ticket_nonce<0..255>.
    const std::vector<uint8_t> ticket = from_hex(simple::new_session_ticket);
    ASSERT_GT(ticket.size(), 13u);
    const size_t nonce_length = ticket[12];
    ASSERT_GE(ticket.size(), 13 + nonce_length);
    const std::vector<uint8_t> nonce(ticket.begin() + 13, ticket.begin() + 13 + static_cast<long>(nonce_length));
    EXPECT_EQ(to_hex(nonce), simple::ticket_nonce);

    Result<crypto::SecretBytes> psk =
        resumption_psk(tls13_sha256, from_hex(simple::resumption_master_secret), nonce);
    EXPECT_EQ(hex_of(psk), simple::resumption_psk);
    // Section 4 resumes with exactly this PSK.
    EXPECT_EQ(hex_of(psk), rfc8448::resumed::psk);
}

// --- Section 4: Resumed 0-RTT Handshake ---

namespace resumed = rfc8448::resumed;

struct ResumedTranscript {
    std::vector<uint8_t> binder_hash;            // Truncate(ClientHello)
    std::vector<uint8_t> client_hello_hash;      // ClientHello
    std::vector<uint8_t> hello_hash;             // ClientHello, ServerHello
    std::vector<uint8_t> encrypted_extensions_hash;  // ... EncryptedExtensions: the server Finished's
    std::vector<uint8_t> server_finished_hash;   // ... server Finished
    std::vector<uint8_t> end_of_early_data_hash;  // ... EndOfEarlyData: the client Finished's
    std::vector<uint8_t> client_finished_hash;   // ... client Finished
};

ResumedTranscript resumed_transcript() {
    ResumedTranscript t;
    t.binder_hash = reference_hash(sha256, from_hex(resumed::truncated_client_hello));
    t.client_hello_hash = reference_hash(sha256, from_hex(resumed::client_hello));
    t.hello_hash = reference_hash(sha256, concat_hex({resumed::client_hello, resumed::server_hello}));
    t.encrypted_extensions_hash = reference_hash(
        sha256, concat_hex({resumed::client_hello, resumed::server_hello, resumed::encrypted_extensions}));
    t.server_finished_hash =
        reference_hash(sha256, concat_hex({resumed::client_hello, resumed::server_hello,
                                           resumed::encrypted_extensions, resumed::server_finished}));
    t.end_of_early_data_hash = reference_hash(
        sha256, concat_hex({resumed::client_hello, resumed::server_hello, resumed::encrypted_extensions,
                            resumed::server_finished, resumed::end_of_early_data}));
    t.client_finished_hash = reference_hash(
        sha256, concat_hex({resumed::client_hello, resumed::server_hello, resumed::encrypted_extensions,
                            resumed::server_finished, resumed::end_of_early_data, resumed::client_finished}));
    return t;
}

TEST(Rfc8448Resumed, TranscriptHashesOfThePrintedMessagesAreThePrintedHashes) {
    const ResumedTranscript t = resumed_transcript();
    EXPECT_EQ(to_hex(t.binder_hash), resumed::binder_hash);
    EXPECT_EQ(to_hex(t.client_hello_hash), resumed::client_hello_hash);
    EXPECT_EQ(to_hex(t.hello_hash), resumed::hello_hash);
    EXPECT_EQ(to_hex(t.server_finished_hash), resumed::server_finished_hash);
    EXPECT_EQ(to_hex(t.client_finished_hash), resumed::client_finished_hash);
    // The truncated ClientHello is the whole one without its binders list:
    // a 2-byte length, a 1-byte length and the 32-byte binder.
    const std::string whole(resumed::client_hello);
    EXPECT_EQ(whole.substr(0, resumed::truncated_client_hello.size()), resumed::truncated_client_hello);
    EXPECT_EQ(whole.substr(resumed::truncated_client_hello.size()), "002120" + std::string(resumed::binder));
}

TEST(Rfc8448Resumed, EarlySecretAndBinder) {
    const ResumedTranscript t = resumed_transcript();
    Result<KeySchedule> ks = KeySchedule::with_psk(tls13_sha256, from_hex(resumed::psk));
    ASSERT_TRUE(ks.ok()) << ks.error().reason;
    EXPECT_EQ(to_hex(ks->stage_secret()), resumed::early_secret);

    // A ticket's PSK takes the "res binder" key.
    Result<crypto::SecretBytes> binder_key = ks->binder_key(KeySchedule::PskKind::resumption);
    ASSERT_TRUE(binder_key.ok()) << binder_key.error().reason;
    EXPECT_EQ(to_hex(binder_key->span()), resumed::binder_key);
    EXPECT_EQ(hex_of(finished_key(tls13_sha256, binder_key->span())), resumed::binder_finished_key);
    EXPECT_EQ(hex_of(verify_data(tls13_sha256, binder_key->span(), t.binder_hash)), resumed::binder);
    EXPECT_TRUE(check_verify_data(tls13_sha256, binder_key->span(), t.binder_hash, from_hex(resumed::binder)).ok());

    // The same PSK taken as external has another binder key, so its binder
    // would not verify.
    Result<crypto::SecretBytes> external = ks->binder_key(KeySchedule::PskKind::external);
    ASSERT_TRUE(external.ok()) << external.error().reason;
    EXPECT_NE(to_hex(external->span()), resumed::binder_key);
    EXPECT_FALSE(check_verify_data(tls13_sha256, external->span(), t.binder_hash, from_hex(resumed::binder)).ok());
}

TEST(Rfc8448Resumed, EarlyTrafficAndExporterSecrets) {
    const ResumedTranscript t = resumed_transcript();
    Result<KeySchedule> ks = KeySchedule::with_psk(tls13_sha256, from_hex(resumed::psk));
    ASSERT_TRUE(ks.ok()) << ks.error().reason;
    Result<crypto::SecretBytes> early = ks->client_early_traffic_secret(t.client_hello_hash);
    EXPECT_EQ(hex_of(early), resumed::client_early_traffic_secret);
    EXPECT_EQ(hex_of(ks->early_exporter_master_secret(t.client_hello_hash)), resumed::early_exporter_master_secret);
    ASSERT_TRUE(early.ok());
    EXPECT_EQ(keys_of(early->span()), keys_of(resumed::client_early_write_key, resumed::client_early_write_iv));
}

TEST(Rfc8448Resumed, HandshakeAndApplicationSecrets) {
    const ResumedTranscript t = resumed_transcript();
    Result<KeySchedule> ks = KeySchedule::with_psk(tls13_sha256, from_hex(resumed::psk));
    ASSERT_TRUE(ks.ok()) << ks.error().reason;
    ASSERT_TRUE(ks->derive_handshake_secret(from_hex(resumed::ecdhe_shared_secret)).ok());
    EXPECT_EQ(to_hex(ks->stage_secret()), resumed::handshake_secret);

    Result<TrafficSecrets> handshake = ks->handshake_traffic_secrets(t.hello_hash);
    ASSERT_TRUE(handshake.ok()) << handshake.error().reason;
    EXPECT_EQ(to_hex(handshake->client.span()), resumed::client_handshake_traffic_secret);
    EXPECT_EQ(to_hex(handshake->server.span()), resumed::server_handshake_traffic_secret);
    EXPECT_EQ(keys_of(handshake->server.span()),
              keys_of(resumed::server_handshake_write_key, resumed::server_handshake_write_iv));
    EXPECT_EQ(keys_of(handshake->client.span()),
              keys_of(resumed::client_handshake_write_key, resumed::client_handshake_write_iv));

    ASSERT_TRUE(ks->derive_master_secret().ok());
    EXPECT_EQ(to_hex(ks->stage_secret()), resumed::master_secret);

    Result<TrafficSecrets> application = ks->application_traffic_secrets(t.server_finished_hash);
    ASSERT_TRUE(application.ok()) << application.error().reason;
    EXPECT_EQ(to_hex(application->client.span()), resumed::client_application_traffic_secret);
    EXPECT_EQ(to_hex(application->server.span()), resumed::server_application_traffic_secret);
    EXPECT_EQ(keys_of(application->server.span()),
              keys_of(resumed::server_application_write_key, resumed::server_application_write_iv));
    EXPECT_EQ(keys_of(application->client.span()),
              keys_of(resumed::client_application_write_key, resumed::client_application_write_iv));
    EXPECT_EQ(hex_of(ks->exporter_master_secret(t.server_finished_hash)), resumed::exporter_master_secret);
    EXPECT_EQ(hex_of(ks->resumption_master_secret(t.client_finished_hash)), resumed::resumption_master_secret);
}

TEST(Rfc8448Resumed, Finished) {
    const ResumedTranscript t = resumed_transcript();
    const std::vector<uint8_t> server_base_key = from_hex(resumed::server_handshake_traffic_secret);
    const std::vector<uint8_t> client_base_key = from_hex(resumed::client_handshake_traffic_secret);

    // No certificate on resumption: the server's Finished covers ClientHello
    // ... EncryptedExtensions, the client's ClientHello ... EndOfEarlyData.
    EXPECT_EQ(hex_of(finished_key(tls13_sha256, server_base_key)), resumed::server_finished_key);
    EXPECT_EQ(hex_of(verify_data(tls13_sha256, server_base_key, t.encrypted_extensions_hash)),
              resumed::server_verify_data);
    EXPECT_EQ(verify_data_in(resumed::server_finished), resumed::server_verify_data);

    EXPECT_EQ(hex_of(finished_key(tls13_sha256, client_base_key)), resumed::client_finished_key);
    EXPECT_EQ(hex_of(verify_data(tls13_sha256, client_base_key, t.end_of_early_data_hash)),
              resumed::client_verify_data);
    EXPECT_EQ(verify_data_in(resumed::client_finished), resumed::client_verify_data);
}

}  // namespace
}  // namespace dtls::tls13
