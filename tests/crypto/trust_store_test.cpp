// Certificate path validation: a good chain through an intermediate, and
// each way a peer's chain can be wrong sorted into the problem TLS alerts
// distinguish, with OpenSSL's readable reason.
#include <gtest/gtest.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "crypto/certificate_chain.hpp"
#include "crypto/trust_store.hpp"
#include "support/certs.hpp"

namespace dtls::crypto {
namespace {

using test::IssueOptions;
using test::KeyKind;

std::shared_ptr<const TrustStore> store_trusting(const std::string& ca_pem) {
    TrustAnchors anchors;
    anchors.ca_pem = ca_pem;
    auto store = TrustStore::create(anchors);
    EXPECT_TRUE(store.ok()) << store.error().reason;
    return store.ok() ? store.value() : nullptr;
}

std::vector<Bytes> chain_of(const test::Issued& issued) {
    std::vector<Bytes> chain;
    BIO* bio = BIO_new_mem_buf(issued.chain_pem.data(), static_cast<int>(issued.chain_pem.size()));
    while (X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) {
        int len = i2d_X509(cert, nullptr);
        Bytes der(static_cast<size_t>(len));
        unsigned char* out = der.data();
        i2d_X509(cert, &out);
        chain.push_back(std::move(der));
        X509_free(cert);
    }
    ERR_clear_error();
    BIO_free(bio);
    return chain;
}

// Parses the chain as the handshake does (through the store's cache of
// parsed certificates), then asks the store about it. A chain that does not
// parse is never trusted.
ChainVerdict verify_chain(const TrustStore& store, std::span<const Bytes> chain, std::string_view name,
                          bool peer_is_server) {
    auto parsed = CertificateChain::parse(chain, &store.certificate_cache());
    EXPECT_TRUE(parsed.ok()) << parsed.error().reason;
    if (!parsed) return ChainVerdict{false, ChainProblem::invalid, parsed.error().reason};
    return store.verify(*parsed, name, peer_is_server);
}

IssueOptions names(std::vector<std::string> dns, std::vector<std::string> ips = {}) {
    IssueOptions options;
    options.dns_names = std::move(dns);
    options.ip_addresses = std::move(ips);
    return options;
}

class TrustStoreTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        root_ = new test::TestCa(test::TestCa::create(KeyKind::ecdsa_p256, "dtls test root"));
        intermediate_ = new test::TestCa(root_->intermediate(KeyKind::ecdsa_p384, "dtls test intermediate"));
    }
    static void TearDownTestSuite() {
        delete intermediate_;
        delete root_;
    }

    static test::TestCa* root_;
    static test::TestCa* intermediate_;
};

test::TestCa* TrustStoreTest::root_ = nullptr;
test::TestCa* TrustStoreTest::intermediate_ = nullptr;

TEST_F(TrustStoreTest, AcceptsAGoodChainThroughAnIntermediate) {
    auto store = store_trusting(root_->cert_pem());
    test::Issued leaf = intermediate_->issue(KeyKind::ecdsa_p256, "server.example", names({"server.example"}));
    std::vector<Bytes> chain = chain_of(leaf);
    ASSERT_EQ(chain.size(), 2u);

    ChainVerdict server = verify_chain(*store, chain, "server.example", true);
    EXPECT_TRUE(server.trusted) << server.error;
    EXPECT_TRUE(server.error.empty());
    // The factory's certificates are valid for clients too.
    ChainVerdict client = verify_chain(*store, chain, "", false);
    EXPECT_TRUE(client.trusted) << client.error;
}

TEST_F(TrustStoreTest, AnIntermediateAloneIsNotATrustAnchor) {
    auto store = store_trusting(intermediate_->cert_pem());
    test::Issued leaf = intermediate_->issue(KeyKind::rsa2048, "server.example");
    std::vector<Bytes> chain{leaf.cert_der};
    // OpenSSL accepts a chain ending at a trusted non-self-signed CA only with
    // partial-chain mode, which we do not enable: the root must be trusted.
    ChainVerdict verdict = verify_chain(*store, chain, "server.example", true);
    EXPECT_FALSE(verdict.trusted);
    EXPECT_EQ(verdict.problem, ChainProblem::unknown_issuer);
}

TEST_F(TrustStoreTest, MissingIntermediateIsAnUnknownCa) {
    auto store = store_trusting(root_->cert_pem());
    test::Issued leaf = intermediate_->issue(KeyKind::ecdsa_p256, "server.example");
    std::vector<Bytes> leaf_only{leaf.cert_der};
    ChainVerdict verdict = verify_chain(*store, leaf_only, "server.example", true);
    EXPECT_FALSE(verdict.trusted);
    EXPECT_EQ(verdict.problem, ChainProblem::unknown_issuer);
    EXPECT_EQ(verdict.error, "unable to get local issuer certificate");
}

TEST_F(TrustStoreTest, ChainFromAnotherCaIsAnUnknownCa) {
    auto store = store_trusting(root_->cert_pem());
    test::TestCa stranger = test::TestCa::create(KeyKind::ecdsa_p256, "someone else's CA");
    test::Issued leaf = stranger.issue(KeyKind::ecdsa_p256, "server.example");
    ChainVerdict verdict = verify_chain(*store, chain_of(leaf), "server.example", true);
    EXPECT_FALSE(verdict.trusted);
    EXPECT_EQ(verdict.problem, ChainProblem::unknown_issuer);
    EXPECT_EQ(verdict.error, "unable to get local issuer certificate");

    // A CA with the same name but another key does not help a forger either.
    test::TestCa impostor = test::TestCa::create(KeyKind::ecdsa_p256, "dtls test root");
    ChainVerdict forged =
        verify_chain(*store, chain_of(impostor.issue(KeyKind::ecdsa_p256, "server.example")), "server.example", true);
    EXPECT_FALSE(forged.trusted);
}

TEST_F(TrustStoreTest, SelfSignedLeafIsAnUnknownCa) {
    auto store = store_trusting(root_->cert_pem());
    test::Issued self = test::self_signed(KeyKind::ecdsa_p256, "peer.example");
    ChainVerdict verdict = verify_chain(*store, chain_of(self), "peer.example", true);
    EXPECT_FALSE(verdict.trusted);
    EXPECT_EQ(verdict.problem, ChainProblem::unknown_issuer);
    EXPECT_FALSE(verdict.error.empty());
}

TEST_F(TrustStoreTest, ExpiredAndNotYetValidCertificates) {
    auto store = store_trusting(root_->cert_pem());
    IssueOptions expired = names({"server.example"});
    expired.not_before_days = -30;
    expired.not_after_days = -1;
    std::vector<Bytes> old_chain = chain_of(intermediate_->issue(KeyKind::ecdsa_p256, "server.example", expired));
    ChainVerdict old = verify_chain(*store, old_chain, "server.example", true);
    EXPECT_FALSE(old.trusted);
    EXPECT_EQ(old.problem, ChainProblem::expired);
    EXPECT_EQ(old.error, "certificate has expired");

    IssueOptions future = names({"server.example"});
    future.not_before_days = 2;
    future.not_after_days = 30;
    std::vector<Bytes> early_chain = chain_of(intermediate_->issue(KeyKind::ecdsa_p256, "server.example", future));
    ChainVerdict early = verify_chain(*store, early_chain, "server.example", true);
    EXPECT_FALSE(early.trusted);
    EXPECT_EQ(early.problem, ChainProblem::expired);
    EXPECT_EQ(early.error, "certificate is not yet valid");
}

TEST_F(TrustStoreTest, WrongHostNameIsABadCertificate) {
    auto store = store_trusting(root_->cert_pem());
    test::Issued leaf = intermediate_->issue(KeyKind::ecdsa_p256, "server.example", names({"server.example"}));
    ChainVerdict verdict = verify_chain(*store, chain_of(leaf), "other.example", true);
    EXPECT_FALSE(verdict.trusted);
    EXPECT_EQ(verdict.problem, ChainProblem::invalid);
    EXPECT_EQ(verdict.error, "hostname mismatch");

    // A suffix or a parent domain is not a match.
    EXPECT_FALSE(verify_chain(*store, chain_of(leaf), "example", true).trusted);
    EXPECT_FALSE(verify_chain(*store, chain_of(leaf), "evil-server.example", true).trusted);
}

TEST_F(TrustStoreTest, MatchesAnyOfSeveralNamesAndWildcards) {
    auto store = store_trusting(root_->cert_pem());
    test::Issued leaf = intermediate_->issue(KeyKind::ecdsa_p256, "multi",
                                             names({"a.example", "b.example", "*.devices.example"}));
    EXPECT_TRUE(verify_chain(*store, chain_of(leaf), "a.example", true).trusted);
    EXPECT_TRUE(verify_chain(*store, chain_of(leaf), "B.EXAMPLE", true).trusted) << "names are case-insensitive";
    EXPECT_TRUE(verify_chain(*store, chain_of(leaf), "node7.devices.example", true).trusted);
    EXPECT_FALSE(verify_chain(*store, chain_of(leaf), "a.b.devices.example", true).trusted) << "one label only";
}

TEST_F(TrustStoreTest, MatchesIpAddressesAgainstIpEntries) {
    auto store = store_trusting(root_->cert_pem());
    test::Issued leaf = intermediate_->issue(KeyKind::ecdsa_p256, "addressed",
                                             names({"server.example"}, {"192.0.2.7", "2001:db8::1"}));
    std::vector<Bytes> chain = chain_of(leaf);
    EXPECT_TRUE(verify_chain(*store, chain, "192.0.2.7", true).trusted);
    EXPECT_TRUE(verify_chain(*store, chain, "2001:db8::1", true).trusted);
    EXPECT_TRUE(verify_chain(*store, chain, "2001:0db8:0:0:0:0:0:1", true).trusted) << "any spelling of the address";

    ChainVerdict wrong = verify_chain(*store, chain, "192.0.2.8", true);
    EXPECT_FALSE(wrong.trusted);
    EXPECT_EQ(wrong.problem, ChainProblem::invalid);
    EXPECT_EQ(wrong.error, "IP address mismatch");

    // An address written as a DNS name in the certificate does not count as an IP entry.
    test::Issued dns_only = intermediate_->issue(KeyKind::ecdsa_p256, "dns only", names({"192.0.2.9"}));
    EXPECT_FALSE(verify_chain(*store, chain_of(dns_only), "192.0.2.9", true).trusted);
}

TEST_F(TrustStoreTest, EmptyExpectedNameSkipsTheNameCheck) {
    auto store = store_trusting(root_->cert_pem());
    test::Issued leaf = intermediate_->issue(KeyKind::ecdsa_p256, "server.example", names({"server.example"}));
    ChainVerdict verdict = verify_chain(*store, chain_of(leaf), "", true);
    EXPECT_TRUE(verdict.trusted) << verdict.error;
}

TEST_F(TrustStoreTest, ChecksTheCertificateIsMeantForThePeersRole) {
    auto store = store_trusting(root_->cert_pem());
    IssueOptions client_only = names({"client.example"});
    client_only.server_auth = false;
    std::vector<Bytes> chain = chain_of(intermediate_->issue(KeyKind::ecdsa_p256, "client.example", client_only));
    EXPECT_TRUE(verify_chain(*store, chain, "", false).trusted) << "valid as a client";
    ChainVerdict as_server = verify_chain(*store, chain, "client.example", true);
    EXPECT_FALSE(as_server.trusted);
    EXPECT_EQ(as_server.problem, ChainProblem::wrong_purpose);
    EXPECT_EQ(as_server.error, "unsuitable certificate purpose");

    IssueOptions server_only = names({"server.example"});
    server_only.client_auth = false;
    chain = chain_of(intermediate_->issue(KeyKind::ecdsa_p256, "server.example", server_only));
    EXPECT_TRUE(verify_chain(*store, chain, "server.example", true).trusted) << "valid as a server";
    EXPECT_FALSE(verify_chain(*store, chain, "", false).trusted) << "not valid as a client";
}

TEST_F(TrustStoreTest, AnEmptyStoreTrustsNothing) {
    auto store = TrustStore::create(TrustAnchors{});
    ASSERT_TRUE(store.ok());
    test::Issued leaf = intermediate_->issue(KeyKind::ecdsa_p256, "server.example");
    ChainVerdict verdict = verify_chain(*store.value(), chain_of(leaf), "", true);
    EXPECT_FALSE(verdict.trusted);
    EXPECT_EQ(verdict.problem, ChainProblem::unknown_issuer);
}

TEST_F(TrustStoreTest, ParsingRejectsEmptyAndMalformedChains) {
    // What the peer sent is parsed before the store sees it; these never
    // reach verification.
    auto empty = CertificateChain::parse({});
    ASSERT_FALSE(empty.ok());
    EXPECT_EQ(empty.error().code, ErrorCode::invalid_argument);
    EXPECT_EQ(empty.error().reason, "no certificate");

    std::vector<Bytes> garbage{Bytes{0x30, 0x03, 0x01, 0x01, 0xff}};
    auto bad = CertificateChain::parse(garbage);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, ErrorCode::invalid_argument);
    EXPECT_EQ(bad.error().reason, "cannot parse certificate");

    test::Issued leaf = intermediate_->issue(KeyKind::ecdsa_p256, "server.example");
    std::vector<Bytes> chain = chain_of(leaf);
    ASSERT_TRUE(CertificateChain::parse(chain).ok());
    chain[1].push_back(0);
    auto trailing = CertificateChain::parse(chain);
    ASSERT_FALSE(trailing.ok()) << "trailing bytes after an intermediate";
    EXPECT_EQ(trailing.error().code, ErrorCode::invalid_argument);
    chain = chain_of(leaf);
    chain[0].push_back(0);
    EXPECT_FALSE(CertificateChain::parse(chain).ok()) << "trailing bytes after the leaf";
}

TEST_F(TrustStoreTest, OneParsedChainCanBeVerifiedForSeveralNames) {
    auto store = store_trusting(root_->cert_pem());
    test::Issued leaf = intermediate_->issue(KeyKind::ecdsa_p256, "server.example", names({"server.example"}));
    auto parsed = CertificateChain::parse(chain_of(leaf));
    ASSERT_TRUE(parsed.ok()) << parsed.error().reason;
    EXPECT_FALSE(store->verify(*parsed, "other.example", true).trusted);
    EXPECT_TRUE(store->verify(*parsed, "server.example", true).trusted) << "an earlier failure leaves no trace";
    auto key = parsed->leaf_key();
    ASSERT_TRUE(key.ok()) << key.error().reason;
    EXPECT_EQ(key->type(), KeyType::ecdsa_p256);
}

TEST_F(TrustStoreTest, ACachedCertificateIsStillCheckedEveryTime) {
    // The cache saves parsing, not verdicts: the same certificate, parsed
    // once, is judged afresh for each name and by each store.
    auto store = store_trusting(root_->cert_pem());
    test::Issued leaf = intermediate_->issue(KeyKind::ecdsa_p256, "server.example", names({"server.example"}));
    const std::vector<Bytes> chain = chain_of(leaf);
    EXPECT_TRUE(verify_chain(*store, chain, "server.example", true).trusted);
    EXPECT_EQ(store->certificate_cache().size(), 2u) << "leaf and intermediate";
    EXPECT_FALSE(verify_chain(*store, chain, "other.example", true).trusted);
    EXPECT_TRUE(verify_chain(*store, chain, "server.example", true).trusted);
    EXPECT_EQ(store->certificate_cache().size(), 2u) << "found again, not added again";

    auto stranger = store_trusting(test::TestCa::create(KeyKind::ecdsa_p256, "unrelated root").cert_pem());
    EXPECT_FALSE(verify_chain(*stranger, chain, "server.example", true).trusted);
    EXPECT_FALSE(verify_chain(*stranger, chain, "server.example", true).trusted) << "also when cached";
}

TEST_F(TrustStoreTest, CertificateCacheIsBoundedAndKeepsOnlyWhatParses) {
    CertificateCache cache(3);
    std::vector<std::vector<Bytes>> chains;
    for (int i = 0; i < 5; ++i) {
        chains.push_back({intermediate_->issue(KeyKind::ecdsa_p256, "peer" + std::to_string(i) + ".example").cert_der});
        ASSERT_TRUE(CertificateChain::parse(chains.back(), &cache).ok());
        EXPECT_LE(cache.size(), 3u);
    }
    EXPECT_EQ(cache.size(), 3u);
    std::vector<Bytes> garbage{Bytes{0x30, 0x03, 0x01, 0x01, 0xff}};
    EXPECT_FALSE(CertificateChain::parse(garbage, &cache).ok());
    EXPECT_EQ(cache.size(), 3u);
    // Evicted and cached certificates parse the same way.
    for (const auto& chain : chains) {
        auto parsed = CertificateChain::parse(chain, &cache);
        ASSERT_TRUE(parsed.ok());
        EXPECT_EQ(parsed->leaf_key()->type(), KeyType::ecdsa_p256);
    }
    CertificateCache none(0);
    EXPECT_TRUE(CertificateChain::parse(chains[0], &none).ok());
    EXPECT_EQ(none.size(), 0u);
}

TEST_F(TrustStoreTest, OneStoreServesManyThreads) {
    // Connections on different threads share their Client's or Server's
    // store, and with it the cache.
    auto store = store_trusting(root_->cert_pem());
    std::vector<std::vector<Bytes>> chains;
    for (int i = 0; i < 4; ++i) {
        std::string name = "t" + std::to_string(i) + ".example";
        chains.push_back(chain_of(intermediate_->issue(KeyKind::ecdsa_p256, name, names({name}))));
    }
    std::atomic<int> trusted{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 25; ++i) {
                const int which = (t + i) % 4;
                std::string name = "t" + std::to_string(which) + ".example";
                if (verify_chain(*store, chains[which], name, true).trusted) ++trusted;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(trusted.load(), 100);
}

TEST_F(TrustStoreTest, LoadsRootsFromAFile) {
    std::string path = ::testing::TempDir() + "dtls_trust_store_test_roots.pem";
    {
        test::TestCa other = test::TestCa::create(KeyKind::ed25519, "another root");
        std::ofstream out(path);
        out << other.cert_pem() << root_->cert_pem();  // several roots in one file
    }
    TrustAnchors anchors;
    anchors.ca_file = path;
    auto store = TrustStore::create(anchors);
    ASSERT_TRUE(store.ok()) << store.error().reason;
    test::Issued leaf = intermediate_->issue(KeyKind::ecdsa_p256, "server.example");
    EXPECT_TRUE(verify_chain(*store.value(), chain_of(leaf), "server.example", true).trusted);
    std::remove(path.c_str());
}

TEST_F(TrustStoreTest, LoadsRootsFromAHashedDirectory) {
    namespace fs = std::filesystem;
    fs::path dir = fs::path(::testing::TempDir()) / "dtls_trust_store_test_capath";
    fs::create_directories(dir);
    // OpenSSL looks roots up as <subject name hash>.0 (what `openssl rehash` writes).
    BIO* bio = BIO_new_mem_buf(root_->cert_pem().data(), static_cast<int>(root_->cert_pem().size()));
    X509* root = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    ASSERT_NE(root, nullptr);
    char name[16];
    std::snprintf(name, sizeof(name), "%08lx.0", X509_subject_name_hash(root));
    X509_free(root);
    {
        std::ofstream out(dir / name);
        out << root_->cert_pem();
    }
    TrustAnchors anchors;
    anchors.ca_path = dir.string();
    auto store = TrustStore::create(anchors);
    ASSERT_TRUE(store.ok()) << store.error().reason;
    test::Issued leaf = intermediate_->issue(KeyKind::ecdsa_p256, "server.example");
    EXPECT_TRUE(verify_chain(*store.value(), chain_of(leaf), "server.example", true).trusted);
    fs::remove_all(dir);
}

TEST(TrustStore, ReportsRootsThatCannotBeLoaded) {
    TrustAnchors missing_file;
    missing_file.ca_file = "/nonexistent/dtls/roots.pem";
    auto a = TrustStore::create(missing_file);
    ASSERT_FALSE(a.ok());
    EXPECT_EQ(a.error().code, ErrorCode::credential);
    EXPECT_NE(a.error().reason.find(missing_file.ca_file), std::string::npos) << a.error().reason;

    TrustAnchors missing_dir;
    missing_dir.ca_path = "/nonexistent/dtls/certs";
    auto b = TrustStore::create(missing_dir);
    ASSERT_FALSE(b.ok());
    EXPECT_NE(b.error().reason.find(missing_dir.ca_path), std::string::npos) << b.error().reason;

    TrustAnchors bad_pem;
    bad_pem.ca_pem = "not a certificate";
    EXPECT_FALSE(TrustStore::create(bad_pem).ok());
}

}  // namespace
}  // namespace dtls::crypto
