// Throwaway certificates made in memory for tests and examples: a test CA
// (optionally with intermediates), leaf certificates for servers and clients,
// and self-signed certificates as WebRTC uses them. Nothing here is secure;
// it exists so that no test depends on files on disk.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dtls/config.hpp"

namespace dtls::test {

enum class KeyKind { ecdsa_p256, ecdsa_p384, rsa2048, ed25519 };

struct Issued {
    std::string cert_pem;
    std::string key_pem;    // PKCS#8, unencrypted
    std::string chain_pem;  // leaf then intermediates (not the root)
    std::vector<uint8_t> cert_der;
};

struct IssueOptions {
    // subjectAltName entries. When both are empty, the common name is used as
    // the only DNS name (if it has no spaces).
    std::vector<std::string> dns_names;
    std::vector<std::string> ip_addresses;
    // Validity relative to now, in days (negative is in the past).
    long not_before_days = -1;
    long not_after_days = 30;
    bool is_ca = false;
    // extendedKeyUsage of a leaf; both by default so one certificate serves
    // either role.
    bool server_auth = true;
    bool client_auth = true;
};

class TestCa {
public:
    static TestCa create(KeyKind kind = KeyKind::ecdsa_p256, const std::string& common_name = "dtls test CA");

    // A certificate signed by this CA, usable as both server and client
    // (extendedKeyUsage serverAuth and clientAuth).
    Issued issue(KeyKind kind, const std::string& common_name, const IssueOptions& options = {}) const;

    // A sub-CA signed by this CA; what it issues chains through it to this CA.
    TestCa intermediate(KeyKind kind, const std::string& common_name) const;

    const std::string& cert_pem() const;  // the CA certificate (trust anchor)
    const std::string& key_pem() const;   // the CA's private key
    const std::vector<uint8_t>& cert_der() const;

private:
    struct State;
    explicit TestCa(std::shared_ptr<const State> s);
    std::shared_ptr<const State> state_;
};

Issued self_signed(KeyKind kind, const std::string& common_name, const IssueOptions& options = {});

// One test CA per process, and a "server.test" certificate of each key kind
// it issued, made on first use: the fixture most handshake tests share.
const TestCa& shared_ca();
const Issued& shared_server_cert(KeyKind kind = KeyKind::ecdsa_p256);

// Credential::from_pem(chain_pem, key_pem); aborts the test binary with the
// reason if that fails, since every test using it depends on it.
dtls::Credential credential_of(const Issued& issued);

// A fresh private key of this kind as PKCS#8 PEM (RSA keys come from a small
// reused pool, since generating them is slow).
std::string generate_key_pem(KeyKind kind);

}  // namespace dtls::test
