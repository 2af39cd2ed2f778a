// What each command was asked to do, as parsed from the command line.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "dtls/config.hpp"

namespace dtls_tool {

struct DemoOptions {
    bool trace = false;
    std::string keylog;
};

// --export LABEL:LENGTH: keying material (RFC 5705) to print once the
// handshake is complete, exported without a context.
struct ExportRequest {
    std::string label;
    size_t length = 0;
};

// The protocol versions a command may speak, as given by --min-version and
// --max-version ("1.2" or "1.3").
struct VersionOptions {
    dtls::ProtocolVersion min = dtls::ProtocolVersion::dtls1_2;
    std::optional<dtls::ProtocolVersion> max;  // default: Config's

    void apply_to(dtls::Config& config) const {
        config.min_version = min;
        config.max_version = max.value_or(config.max_version);
    }
};

// --psk, --psk-identity, --psk-hint: a pre-shared key for the DTLS 1.2 PSK
// suites.
struct PskOptions {
    std::string identity;
    dtls::Bytes key;   // empty: no PSK
    std::string hint;  // server
    bool without_dhe = false;  // DTLS 1.3: allow psk_ke
};

struct ClientOptions {
    std::string target;  // HOST:PORT
    std::string ca;
    bool insecure = false;
    bool no_name_check = false;
    std::string server_name;  // defaults to HOST
    std::string cert;
    std::string key;
    bool self_signed = false;                    // a fresh self-signed certificate instead of --cert/--key
    std::vector<std::string> peer_fingerprints;  // RFC 8122 text; replace --ca
    std::string rpk_key;                         // our key, used as a raw public key (RFC 7250)
    std::vector<std::string> rpk_peers;          // trusted raw public keys of the server (PEM files)
    std::vector<std::string> alpn;
    std::vector<dtls::SrtpProfile> srtp;  // DTLS-SRTP profiles offered
    dtls::Bytes srtp_mki;                 // the MKI offered, if any
    std::optional<ExportRequest> export_request;
    uint16_t record_size_limit = 0;       // RFC 8449 limit offered; 0: none
    std::optional<size_t> cid_length;     // RFC 9146 CID to issue (0: ask for none); empty: no CID
    bool no_rrc = false;                  // RFC 9853: do not offer rrc with the CID
    size_t mtu = dtls::Config::default_mtu;
    std::string keylog;
    double timeout_seconds = 10;  // for the handshake
    double linger_seconds = 1;    // for answers after end of input
    uint16_t local_port = 0;      // 0: any
    bool resume = false;          // connect twice, the second time resuming the first's session
    bool trace = false;
    VersionOptions versions;
    PskOptions psk;
    std::vector<dtls::CipherSuite> cipher_suites;  // empty: the default
};

struct ServerOptions {
    std::string listen;  // ADDR:PORT
    std::string cert;
    std::string key;
    bool self_signed = false;  // a fresh self-signed certificate instead of --cert/--key
    std::string ca;
    std::vector<std::string> peer_fingerprints;  // RFC 8122 text; replace --ca
    std::string rpk_key;                         // our key, used as a raw public key (RFC 7250)
    std::vector<std::string> rpk_peers;          // trusted raw public keys of clients (PEM files)
    std::string verify_client = "none";  // none, optional or require
    std::vector<std::string> alpn;
    std::vector<dtls::SrtpProfile> srtp;  // DTLS-SRTP profiles accepted
    bool srtp_accept_mki = false;
    std::optional<ExportRequest> export_request;
    uint16_t record_size_limit = 0;  // RFC 8449 limit announced; 0: the protocol's maximum
    std::optional<size_t> cid_length;  // RFC 9146 CID to issue (0: ask for none); empty: no CID
    bool no_rrc = false;               // RFC 9853: do not answer rrc
    size_t mtu = dtls::Config::default_mtu;
    bool echo = false;
    std::string keylog;
    size_t max_connections = 1000;
    double idle_timeout_seconds = 300;
    bool stats = false;
    double stats_interval_seconds = 5;
    bool trace = false;
    bool no_cookie = false;
    unsigned session_tickets = 0;                 // per DTLS 1.3 handshake; any: one per DTLS 1.2 handshake
    bool resume = false;                          // DTLS 1.2 session IDs, and tickets in both versions
    unsigned ticket_lifetime_seconds = 2 * 3600;  // Config's default
    VersionOptions versions;
    PskOptions psk;
    std::vector<dtls::CipherSuite> cipher_suites;  // empty: the default
};

}  // namespace dtls_tool
