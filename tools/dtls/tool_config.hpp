// Pieces of a dtls::Config that the client and server commands share.
#pragma once

#include <memory>
#include <string>

#include "dtls/config.hpp"
#include "dtls/errors.hpp"
#include "options.hpp"

namespace dtls_tool {

// Loads and cross-checks a certificate chain and its key; the error says
// which file is unreadable, or that the key does not match the certificate.
dtls::Result<std::shared_ptr<const dtls::Credential>> load_credential(const std::string& cert_path,
                                                                       const std::string& key_path);

// --self-signed: a new ECDSA P-256 key and self-signed certificate.
dtls::Result<std::shared_ptr<const dtls::Credential>> self_signed_credential();

// "fingerprint: sha-256 AB:CD:..." on stderr, for the leaf of `credential`:
// what a peer (a script, a browser test) needs to trust it.
void print_fingerprint(const dtls::Credential& credential);

// --rpk-key FILE: our private key, used as a raw public key (RFC 7250).
dtls::Result<std::shared_ptr<const dtls::Credential>> load_raw_key_credential(const std::string& key_path);

// --rpk-peer FILE...: the DER SubjectPublicKeyInfo of each PEM public key.
dtls::Result<std::vector<dtls::Bytes>> load_raw_public_keys(const std::vector<std::string>& paths);

// Refuses a CA file that cannot be read, before any packet is sent.
dtls::Status check_ca_file(const std::string& path);

dtls::Duration seconds(double value);

// --psk and --cipher-suites: with a key, the DTLS 1.2 PSK suites (all of
// them, ECDHE first) are offered after the certificate suites when
// `with_certificates`; otherwise they and the DTLS 1.3 suites with SHA-256
// (which DTLS 1.3 needs for an external PSK) are the only ones.
// --cipher-suites replaces the list.
void apply_psk(const PskOptions& psk, const std::vector<dtls::CipherSuite>& cipher_suites, bool with_certificates,
               dtls::Config& config);

}  // namespace dtls_tool
