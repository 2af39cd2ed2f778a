// The key schedule beyond the RFC 8448 traces: every stage against the
// tests' own derivation (reference_kdf.hpp) for both hashes, both label
// prefixes and every kind of PSK; what the DTLS 1.3 prefix changes; and the
// refusals (calls out of order, inputs that would silently mean something
// else).
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "hex.hpp"
#include "reference_kdf.hpp"
#include "rfc8448_values.hpp"
#include "tls13/key_schedule.hpp"

namespace dtls::tls13 {
namespace {

using testing::bytes_of;
using testing::from_hex;
using testing::reference_derive_secret;
using testing::reference_extract;
using testing::reference_hash;
using testing::to_hex;
using Stage = KeySchedule::Stage;
using PskKind = KeySchedule::PskKind;

std::string hex_of(const Result<crypto::SecretBytes>& r) {
    EXPECT_TRUE(r.ok()) << r.error().reason;
    return r.ok() ? to_hex(r->span()) : std::string();
}

std::string_view prefix_text(LabelPrefix prefix) { return prefix == LabelPrefix::tls13 ? "tls13 " : "dtls13"; }

// Stand-ins for the handshake messages: the schedule only sees their hashes.
constexpr std::string_view kClientHello = "ClientHello: any bytes will do";
constexpr std::string_view kToServerHello = "ClientHello: any bytes will do | ServerHello";
constexpr std::string_view kToServerFinished = "ClientHello ... ServerHello ... server Finished";
constexpr std::string_view kToClientFinished = "ClientHello ... server Finished ... client Finished";

// The schedule of one handshake, computed by the tests' own derivation from
// the messages, in hex.
struct Expected {
    std::string early_secret, binder_key, client_early_traffic, early_exporter_master;
    std::string handshake_secret, client_handshake_traffic, server_handshake_traffic;
    std::string master_secret, client_application_traffic, server_application_traffic, exporter_master,
        resumption_master;
};

Expected reference_schedule(crypto::HashAlgorithm alg, LabelPrefix prefix, std::span<const uint8_t> psk,
                            PskKind kind, std::span<const uint8_t> dhe) {
    const std::string_view p = prefix_text(prefix);
    const std::vector<uint8_t> zeros(crypto::hash_length(alg), 0);
    auto derive = [&](const std::vector<uint8_t>& secret, std::string_view label, std::string_view messages) {
        return reference_derive_secret(alg, p, secret, label, bytes_of(messages));
    };
    Expected e;
    const std::vector<uint8_t> early = reference_extract(alg, {}, psk.empty() ? std::span<const uint8_t>(zeros) : psk);
    e.early_secret = to_hex(early);
    e.binder_key = to_hex(derive(early, kind == PskKind::external ? "ext binder" : "res binder", ""));
    e.client_early_traffic = to_hex(derive(early, "c e traffic", kClientHello));
    e.early_exporter_master = to_hex(derive(early, "e exp master", kClientHello));
    const std::vector<uint8_t> handshake =
        reference_extract(alg, derive(early, "derived", ""), dhe.empty() ? std::span<const uint8_t>(zeros) : dhe);
    e.handshake_secret = to_hex(handshake);
    e.client_handshake_traffic = to_hex(derive(handshake, "c hs traffic", kToServerHello));
    e.server_handshake_traffic = to_hex(derive(handshake, "s hs traffic", kToServerHello));
    const std::vector<uint8_t> master = reference_extract(alg, derive(handshake, "derived", ""), zeros);
    e.master_secret = to_hex(master);
    e.client_application_traffic = to_hex(derive(master, "c ap traffic", kToServerFinished));
    e.server_application_traffic = to_hex(derive(master, "s ap traffic", kToServerFinished));
    e.exporter_master = to_hex(derive(master, "exp master", kToServerFinished));
    e.resumption_master = to_hex(derive(master, "res master", kToClientFinished));
    return e;
}

// The same schedule through KeySchedule, given the transcript hashes.
Expected library_schedule(crypto::HashAlgorithm alg, LabelPrefix prefix, std::span<const uint8_t> psk,
                          PskKind kind, std::span<const uint8_t> dhe) {
    auto hash = [&](std::string_view messages) { return reference_hash(alg, bytes_of(messages)); };
    const KeyDerivation kdf(alg, prefix);
    Result<KeySchedule> ks = psk.empty() ? KeySchedule::without_psk(kdf) : KeySchedule::with_psk(kdf, psk);
    EXPECT_TRUE(ks.ok()) << ks.error().reason;
    if (!ks) return {};
    Expected e;
    e.early_secret = to_hex(ks->stage_secret());
    e.binder_key = hex_of(ks->binder_key(kind));
    e.client_early_traffic = hex_of(ks->client_early_traffic_secret(hash(kClientHello)));
    e.early_exporter_master = hex_of(ks->early_exporter_master_secret(hash(kClientHello)));
    EXPECT_TRUE(dhe.empty() ? ks->derive_handshake_secret_without_dhe().ok() : ks->derive_handshake_secret(dhe).ok());
    e.handshake_secret = to_hex(ks->stage_secret());
    Result<TrafficSecrets> handshake = ks->handshake_traffic_secrets(hash(kToServerHello));
    EXPECT_TRUE(handshake.ok());
    if (handshake) {
        e.client_handshake_traffic = to_hex(handshake->client.span());
        e.server_handshake_traffic = to_hex(handshake->server.span());
    }
    EXPECT_TRUE(ks->derive_master_secret().ok());
    e.master_secret = to_hex(ks->stage_secret());
    Result<TrafficSecrets> application = ks->application_traffic_secrets(hash(kToServerFinished));
    EXPECT_TRUE(application.ok());
    if (application) {
        e.client_application_traffic = to_hex(application->client.span());
        e.server_application_traffic = to_hex(application->server.span());
    }
    e.exporter_master = hex_of(ks->exporter_master_secret(hash(kToServerFinished)));
    e.resumption_master = hex_of(ks->resumption_master_secret(hash(kToClientFinished)));
    return e;
}

void expect_same(const Expected& got, const Expected& want) {
    EXPECT_EQ(got.early_secret, want.early_secret);
    EXPECT_EQ(got.binder_key, want.binder_key);
    EXPECT_EQ(got.client_early_traffic, want.client_early_traffic);
    EXPECT_EQ(got.early_exporter_master, want.early_exporter_master);
    EXPECT_EQ(got.handshake_secret, want.handshake_secret);
    EXPECT_EQ(got.client_handshake_traffic, want.client_handshake_traffic);
    EXPECT_EQ(got.server_handshake_traffic, want.server_handshake_traffic);
    EXPECT_EQ(got.master_secret, want.master_secret);
    EXPECT_EQ(got.client_application_traffic, want.client_application_traffic);
    EXPECT_EQ(got.server_application_traffic, want.server_application_traffic);
    EXPECT_EQ(got.exporter_master, want.exporter_master);
    EXPECT_EQ(got.resumption_master, want.resumption_master);
}

TEST(KeySchedule, EveryStageMatchesAnIndependentDerivation) {
    const std::vector<uint8_t> psk = from_hex("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
    const std::vector<uint8_t> long_psk(48, 0xa5);
    const std::vector<uint8_t> dhe = from_hex(rfc8448::simple::ecdhe_shared_secret);
    const std::vector<uint8_t> p384_dhe(48, 0x3c);  // a secp384r1 shared secret is 48 bytes
    for (crypto::HashAlgorithm alg : {crypto::HashAlgorithm::sha256, crypto::HashAlgorithm::sha384}) {
        for (LabelPrefix prefix : {LabelPrefix::tls13, LabelPrefix::dtls13}) {
            struct Case {
                const char* name;
                std::span<const uint8_t> psk;
                PskKind kind;
                std::span<const uint8_t> dhe;
            };
            const Case cases[] = {
                {"no PSK, (EC)DHE", {}, PskKind::external, dhe},
                {"no PSK, 48-byte (EC)DHE", {}, PskKind::external, p384_dhe},
                {"external PSK, (EC)DHE", psk, PskKind::external, dhe},
                {"resumption PSK, (EC)DHE", long_psk, PskKind::resumption, dhe},
                {"PSK only (psk_ke)", psk, PskKind::resumption, {}},
            };
            for (const Case& c : cases) {
                SCOPED_TRACE(std::string(alg == crypto::HashAlgorithm::sha384 ? "SHA-384, " : "SHA-256, ") +
                             std::string(prefix_text(prefix)) + ", " + c.name);
                const Expected want = reference_schedule(alg, prefix, c.psk, c.kind, c.dhe);
                expect_same(library_schedule(alg, prefix, c.psk, c.kind, c.dhe), want);
                EXPECT_EQ(want.master_secret.size(), 2 * crypto::hash_length(alg));
            }
        }
    }
}

// RFC 8448 section 3's inputs with the DTLS 1.3 prefix: the Early Secret is
// an extraction with no label, so it is the same; everything derived with a
// label, and so everything after it, differs from TLS 1.3's.
TEST(KeySchedule, Dtls13PrefixSeparatesEverySecretFromTls13) {
    namespace simple = rfc8448::simple;
    const std::vector<uint8_t> hello_hash = from_hex(simple::hello_hash);
    const std::vector<uint8_t> server_finished_hash = from_hex(simple::server_finished_hash);
    const std::vector<uint8_t> client_finished_hash = from_hex(simple::client_finished_hash);

    Result<KeySchedule> ks = KeySchedule::without_psk(KeyDerivation(crypto::HashAlgorithm::sha256));
    ASSERT_TRUE(ks.ok()) << ks.error().reason;
    EXPECT_EQ(ks->kdf().prefix(), LabelPrefix::dtls13);  // the default
    EXPECT_EQ(ks->kdf().label_prefix(), "dtls13");
    EXPECT_EQ(to_hex(ks->stage_secret()), simple::early_secret);

    ASSERT_TRUE(ks->derive_handshake_secret(from_hex(simple::ecdhe_shared_secret)).ok());
    EXPECT_NE(to_hex(ks->stage_secret()), simple::handshake_secret);
    Result<TrafficSecrets> handshake = ks->handshake_traffic_secrets(hello_hash);
    ASSERT_TRUE(handshake.ok());
    EXPECT_NE(to_hex(handshake->client.span()), simple::client_handshake_traffic_secret);
    EXPECT_NE(to_hex(handshake->server.span()), simple::server_handshake_traffic_secret);
    ASSERT_TRUE(ks->derive_master_secret().ok());
    EXPECT_NE(to_hex(ks->stage_secret()), simple::master_secret);
    Result<TrafficSecrets> application = ks->application_traffic_secrets(server_finished_hash);
    ASSERT_TRUE(application.ok());
    EXPECT_NE(to_hex(application->client.span()), simple::client_application_traffic_secret);
    EXPECT_NE(to_hex(application->server.span()), simple::server_application_traffic_secret);
    EXPECT_NE(hex_of(ks->exporter_master_secret(server_finished_hash)), simple::exporter_master_secret);
    EXPECT_NE(hex_of(ks->resumption_master_secret(client_finished_hash)), simple::resumption_master_secret);

    // And the DTLS 1.3 handshake secret is the one the tests' own derivation
    // gives with "dtls13derived".
    const std::vector<uint8_t> derived = testing::reference_expand_label(
        crypto::HashAlgorithm::sha256, "dtls13", from_hex(simple::early_secret), "derived",
        reference_hash(crypto::HashAlgorithm::sha256, {}), 32);
    Result<KeySchedule> again = KeySchedule::without_psk(KeyDerivation(crypto::HashAlgorithm::sha256));
    ASSERT_TRUE(again.ok());
    ASSERT_TRUE(again->derive_handshake_secret(from_hex(simple::ecdhe_shared_secret)).ok());
    EXPECT_EQ(to_hex(again->stage_secret()), to_hex(reference_extract(crypto::HashAlgorithm::sha256, derived,
                                                                      from_hex(simple::ecdhe_shared_secret))));
}

TEST(KeySchedule, CallsOutOfOrderFailAndChangeNothing) {
    const std::vector<uint8_t> hash(32, 0x11);
    const std::vector<uint8_t> dhe(32, 0x22);
    auto refused = [](const auto& result) {
        return !result.ok() && result.error().fault == Fault::internal_failure &&
               result.error().alert == Alert::internal_error && !result.error().reason.empty();
    };

    Result<KeySchedule> ks = KeySchedule::without_psk(KeyDerivation(crypto::HashAlgorithm::sha256));
    ASSERT_TRUE(ks.ok());
    const std::string early = to_hex(ks->stage_secret());
    EXPECT_TRUE(refused(ks->handshake_traffic_secrets(hash)));
    EXPECT_TRUE(refused(ks->derive_master_secret()));
    EXPECT_TRUE(refused(ks->application_traffic_secrets(hash)));
    EXPECT_TRUE(refused(ks->exporter_master_secret(hash)));
    EXPECT_TRUE(refused(ks->resumption_master_secret(hash)));
    EXPECT_TRUE(refused(ks->end()));
    EXPECT_EQ(ks->stage(), Stage::early);
    EXPECT_EQ(to_hex(ks->stage_secret()), early);

    ASSERT_TRUE(ks->derive_handshake_secret(dhe).ok());
    const std::string handshake = to_hex(ks->stage_secret());
    EXPECT_TRUE(refused(ks->binder_key(PskKind::external)));
    EXPECT_TRUE(refused(ks->client_early_traffic_secret(hash)));
    EXPECT_TRUE(refused(ks->early_exporter_master_secret(hash)));
    EXPECT_TRUE(refused(ks->derive_handshake_secret(dhe)));
    EXPECT_TRUE(refused(ks->derive_handshake_secret_without_dhe()));
    EXPECT_TRUE(refused(ks->application_traffic_secrets(hash)));
    EXPECT_EQ(ks->stage(), Stage::handshake);
    EXPECT_EQ(to_hex(ks->stage_secret()), handshake);

    ASSERT_TRUE(ks->derive_master_secret().ok());
    const std::string master = to_hex(ks->stage_secret());
    EXPECT_TRUE(refused(ks->handshake_traffic_secrets(hash)));
    EXPECT_TRUE(refused(ks->derive_master_secret()));
    EXPECT_EQ(to_hex(ks->stage_secret()), master);

    ASSERT_TRUE(ks->end().ok());
    EXPECT_EQ(ks->stage(), Stage::ended);
    EXPECT_TRUE(ks->stage_secret().empty());
    EXPECT_TRUE(refused(ks->application_traffic_secrets(hash)));
    EXPECT_TRUE(refused(ks->resumption_master_secret(hash)));
    EXPECT_TRUE(refused(ks->end()));
}

TEST(KeySchedule, RefusesInputsThatWouldMeanSomethingElse) {
    const KeyDerivation kdf(crypto::HashAlgorithm::sha256);
    // An empty PSK is not "no PSK": HKDF-Extract(0, "") is not HKDF-Extract(0, 0).
    Result<KeySchedule> empty_psk = KeySchedule::with_psk(kdf, {});
    ASSERT_FALSE(empty_psk.ok());
    EXPECT_EQ(empty_psk.error().fault, Fault::internal_failure);

    Result<KeySchedule> ks = KeySchedule::without_psk(kdf);
    ASSERT_TRUE(ks.ok());
    Status empty_dhe = ks->derive_handshake_secret({});
    ASSERT_FALSE(empty_dhe.ok());
    EXPECT_EQ(empty_dhe.error().fault, Fault::internal_failure);
    EXPECT_EQ(ks->stage(), Stage::early);

    // A transcript hash of the wrong length: the messages themselves, or a
    // SHA-384 hash given to a SHA-256 schedule.
    for (size_t length : {0u, 31u, 33u, 48u}) {
        const std::vector<uint8_t> wrong(length, 0x33);
        Result<crypto::SecretBytes> secret = ks->client_early_traffic_secret(wrong);
        ASSERT_FALSE(secret.ok()) << length;
        EXPECT_EQ(secret.error().fault, Fault::internal_failure);
    }
}

TEST(KeySchedule, ExternalAndResumptionBinderKeysDiffer) {
    Result<KeySchedule> ks = KeySchedule::with_psk(KeyDerivation(crypto::HashAlgorithm::sha384),
                                                   std::vector<uint8_t>(48, 7));
    ASSERT_TRUE(ks.ok());
    const std::string external = hex_of(ks->binder_key(PskKind::external));
    const std::string resumption = hex_of(ks->binder_key(PskKind::resumption));
    EXPECT_EQ(external.size(), 96u);
    EXPECT_NE(external, resumption);
}

}  // namespace
}  // namespace dtls::tls13
