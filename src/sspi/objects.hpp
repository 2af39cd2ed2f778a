// The objects behind SSPI handles: credentials, contexts, certificates and
// CA stores. Handles given to the application are raw pointers registered
// in a table (common.hpp), so a stale or foreign handle is refused with
// SEC_E_INVALID_HANDLE instead of being dereferenced.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "dtls/dtls.hpp"
#include "dtls/sspi.h"

namespace dtls::sspi {

// Schannel's default DTLS MTU (SECPKG_ATTR_DTLS_MTU documentation).
constexpr size_t kDefaultMtu = 1096;

// A PCCERT_CONTEXT handed to the application. `context` comes first so the
// pointer the application holds is the object's address.
struct CertificateObject {
    CERT_CONTEXT context{};
    Bytes der;                                     // the leaf, DER
    std::shared_ptr<const Credential> credential;  // set when it carries a private key
};

// An HCERTSTORE of trusted roots (the CA extension).
struct StoreObject {
    std::string ca_file;
    std::string ca_path;
    std::string ca_pem;
};

struct CredentialObject {
    bool inbound = false;   // may accept (server)
    bool outbound = false;  // may initiate (client)
    Config base;            // certificate, trust and suites; role-specific fields are set per context
    bool manual_validation = false;
    bool no_server_name_check = false;
    bool has_trust = false;  // a root store was given

    // Server front doors by (ALPN list, client certificate requested). The
    // cookie secret lives in the front door, so every context accepting with
    // this credential shares one and keeps no state before the cookie; a
    // Server may be used from several threads at once, so contexts on
    // different threads share it. The mutex guards only the map.
    std::mutex servers_mutex;
    std::map<std::pair<std::vector<std::string>, bool>, std::shared_ptr<Server>> servers;
};

struct KeyingRequest {
    std::string label;
    Bytes context;
    bool use_context = false;
    size_t length = 0;
};

struct ContextObject {
    std::mutex mutex;
    std::shared_ptr<CredentialObject> credential;
    Role role = Role::client;
    ULONG requirements = 0;
    size_t mtu = kDefaultMtu;
    std::vector<std::string> alpn;

    // Server, before the cookie comes back: only the client's address and the
    // shared front door. Bounded: kMaxAddress bytes.
    static constexpr size_t kMaxAddress = 128;
    Bytes address;
    std::shared_ptr<Server> front_door;

    std::optional<Connection> connection;
    // Datagrams taken from the engine and not yet handed to the application:
    // the one being handed out and one more, to know whether it is the last.
    std::deque<Bytes> outgoing;
    bool complete = false;          // HandshakeComplete seen
    bool peer_closed = false;       // close_notify received
    bool retransmit_pending = false;  // DecryptMessage queued a handshake retransmission
    std::optional<SECURITY_STATUS> failure;

    std::optional<KeyingRequest> keying_request;
    std::optional<Bytes> keying_material;
};

}  // namespace dtls::sspi
