// InitializeSecurityContext and AcceptSecurityContext: the DTLS handshake
// loop. Each call feeds at most one received datagram to the engine and hands
// back at most one datagram to send; SEC_I_MESSAGE_FRAGMENT says another is
// waiting. A call without input is a timeout (retransmit) or a request for
// the next fragment. docs/sspi.md describes the loop.
#include <algorithm>
#include <cstring>

#include "sspi/common.hpp"

namespace dtls::sspi {

namespace {

// Bounds what one call may take from the engine; a flight at MTU 200 is far
// below this.
constexpr size_t kMaxQueuedDatagrams = 256;

struct Input {
    std::span<const uint8_t> token;  // empty: no new datagram
    std::optional<std::span<const uint8_t>> address;
    std::optional<size_t> mtu;
    std::optional<std::vector<std::string>> alpn;
};

// SECBUFFER_APPLICATION_PROTOCOLS: lists of length-prefixed names; only the
// ALPN list is used.
std::optional<std::vector<std::string>> parse_alpn(std::span<const uint8_t> buffer) {
    if (buffer.size() < sizeof(ULONG)) return std::nullopt;
    ULONG lists_size;
    std::memcpy(&lists_size, buffer.data(), sizeof lists_size);
    const size_t header = offsetof(SEC_APPLICATION_PROTOCOLS, ProtocolLists);
    if (lists_size > buffer.size() - header) return std::nullopt;
    std::span<const uint8_t> lists = buffer.subspan(header, lists_size);
    const size_t list_header = offsetof(SEC_APPLICATION_PROTOCOL_LIST, ProtocolList);
    std::vector<std::string> names;
    while (!lists.empty()) {
        if (lists.size() < list_header) return std::nullopt;
        SEC_APPLICATION_PROTOCOL_LIST list_head;
        std::memcpy(&list_head, lists.data(), list_header);
        if (list_head.ProtocolListSize > lists.size() - list_header) return std::nullopt;
        std::span<const uint8_t> list = lists.subspan(list_header, list_head.ProtocolListSize);
        lists = lists.subspan(list_header + list_head.ProtocolListSize);
        if (list_head.ProtoNegoExt != SecApplicationProtocolNegotiationExt_ALPN) continue;
        while (!list.empty()) {
            const size_t length = list[0];
            if (length == 0 || length + 1 > list.size()) return std::nullopt;
            names.emplace_back(reinterpret_cast<const char*>(list.data() + 1), length);
            list = list.subspan(length + 1);
        }
    }
    return names;
}

SECURITY_STATUS parse_input(PSecBufferDesc desc, Input& in) {
    if (!desc || !desc->pBuffers) return SEC_E_OK;
    for (ULONG i = 0; i < desc->cBuffers; ++i) {
        const SecBuffer& b = desc->pBuffers[i];
        switch (buffer_type(b)) {
            case SECBUFFER_TOKEN:
                if (b.cbBuffer > 0 && b.pvBuffer) in.token = bytes_of(b);
                break;
            case SECBUFFER_EXTRA: in.address = bytes_of(b); break;
            case SECBUFFER_DTLS_MTU:
                if (b.cbBuffer < sizeof(SEC_DTLS_MTU) || !b.pvBuffer) {
                    return fail(SEC_E_INVALID_PARAMETER, "SECBUFFER_DTLS_MTU must hold a SEC_DTLS_MTU");
                }
                in.mtu = static_cast<const SEC_DTLS_MTU*>(b.pvBuffer)->PathMTU;
                break;
            case SECBUFFER_APPLICATION_PROTOCOLS:
                in.alpn = parse_alpn(bytes_of(b));
                if (!in.alpn) return fail(SEC_E_INVALID_PARAMETER, "malformed SECBUFFER_APPLICATION_PROTOCOLS");
                break;
            default: break;
        }
    }
    if (in.mtu && (*in.mtu < Config::min_mtu || *in.mtu > Config::max_mtu)) {
        return fail(SEC_E_INVALID_PARAMETER, "the DTLS MTU must be between 200 and 65535 bytes");
    }
    return SEC_E_OK;
}

// The address bytes the cookie is bound to. For sockaddr_in / sockaddr_in6
// only family, port, address (and IPv6 scope) count, not padding; anything
// else is taken as an opaque client identifier, as Schannel allows.
SECURITY_STATUS address_key(std::span<const uint8_t> extra, Bytes& key) {
    if (extra.empty()) {
        return fail(SEC_E_INVALID_PARAMETER,
                    "AcceptSecurityContext needs the client's address: pass its SOCKADDR (sockaddr_in or "
                    "sockaddr_in6, as returned by recvfrom) in a SECBUFFER_EXTRA input buffer; the stateless "
                    "cookie is bound to it");
    }
    if (extra.size() > ContextObject::kMaxAddress) {
        return fail(SEC_E_INVALID_PARAMETER, "the SECBUFFER_EXTRA address is longer than 128 bytes");
    }
    uint16_t family = 0;
    if (extra.size() >= 2) std::memcpy(&family, extra.data(), 2);
    if (family == 2 /* AF_INET */ && extra.size() >= 16) {
        key.assign(extra.begin(), extra.begin() + 8);
    } else if (family == 10 /* AF_INET6 */ && extra.size() >= 28) {
        key.assign(extra.begin(), extra.begin() + 4);               // family, port
        key.insert(key.end(), extra.begin() + 8, extra.begin() + 28);  // address, scope id
    } else {
        key.assign(extra.begin(), extra.end());
    }
    return SEC_E_OK;
}

Config client_config(const CredentialObject& cred, const std::string& target, ULONG requirements, size_t mtu,
                     const std::vector<std::string>& alpn) {
    Config config = cred.base;
    config.mtu = mtu;
    config.alpn = alpn;
    const bool manual = cred.manual_validation || (requirements & ISC_REQ_MANUAL_CRED_VALIDATION);
    config.verify_peer = !manual;
    // The target name is sent as SNI whatever is checked. Without one there
    // is no name to check the certificate against: the chain alone is
    // checked (see docs/sspi.md).
    config.server_name = target;
    config.verify_server_name = !cred.no_server_name_check && !target.empty();
    return config;
}

// The credential's front door for these settings, shared by every context
// accepting with it (a Server may be used from several threads at once), so
// they share one cookie secret.
std::shared_ptr<Server> front_door_for(CredentialObject& cred, const std::vector<std::string>& alpn,
                                       bool client_certificate, SECURITY_STATUS& status) {
    std::lock_guard lock(cred.servers_mutex);
    auto key = std::make_pair(alpn, client_certificate);
    if (auto it = cred.servers.find(key); it != cred.servers.end()) return it->second;
    Config config = cred.base;
    config.alpn = alpn;
    if (client_certificate) {
        config.client_auth = ClientAuth::request;
        if (cred.manual_validation) config.verifier = [](const CertificateCheck&) { return VerifyDecision::accepted(); };
    }
    auto server = Server::create(config, now());
    if (!server) {
        status = fail(status_for(server.error()), server.error().reason);
        return nullptr;
    }
    // A handful of ALPN lists per credential is normal; a flood is not kept.
    if (cred.servers.size() >= 16) cred.servers.clear();
    auto shared = std::make_shared<Server>(std::move(*server));
    cred.servers.emplace(std::move(key), shared);
    return shared;
}

class HandshakeCall {
public:
    HandshakeCall(ContextObject& ctx, PSecBufferDesc output, ULONG requirements)
        : ctx_(ctx), allocate_(requirements & ISC_REQ_ALLOCATE_MEMORY) {
        token_ = find_buffer(output, SECBUFFER_TOKEN);
        alert_ = find_buffer(output, SECBUFFER_ALERT);
    }

    // Feeds the input (or the timeout) and answers with one datagram. Output
    // buffers that receive nothing are returned empty.
    SECURITY_STATUS run(const Input& in) {
        const SECURITY_STATUS status = feed(in);
        if (!token_written_) clear_output(token_, allocate_);
        if (!alert_written_) clear_output(alert_, allocate_);
        return status;
    }

private:
    SECURITY_STATUS write(SecBuffer* buffer, std::span<const uint8_t> datagram) {
        SECURITY_STATUS s = write_output(buffer, datagram, allocate_);
        if (s == SEC_E_OK) (buffer == token_ ? token_written_ : alert_written_) = true;
        return s;
    }

    SECURITY_STATUS feed(const Input& in) {
        Connection* conn = ctx_.connection ? &*ctx_.connection : nullptr;
        if (!conn) {
            // A server before the cookie: the front door answers statelessly.
            if (in.token.empty()) return fail(SEC_E_INCOMPLETE_MESSAGE, "waiting for the client's ClientHello");
            std::vector<uint8_t> reply;
            Server::Answer answer = ctx_.front_door->handle_datagram(ctx_.address, in.token, now(), reply);
            switch (answer.outcome) {
                case Server::Outcome::dropped:
                    return fail(SEC_E_INCOMPLETE_MESSAGE, "datagram ignored: not a ClientHello this server answers");
                case Server::Outcome::reply:
                    if (SECURITY_STATUS s = write(token_, reply); s != SEC_E_OK) return s;
                    return SEC_I_CONTINUE_NEEDED;
                case Server::Outcome::accepted:
                    ctx_.connection = std::move(answer.connection);
                    ctx_.front_door.reset();
                    conn = &*ctx_.connection;
                    (void)conn->set_mtu(ctx_.mtu);
                    break;
            }
        } else if (!in.token.empty()) {
            // After DecryptMessage returned SEC_E_UNFINISHED_CONTEXT_DELETED the
            // application passes the same datagram again; it was processed then.
            if (ctx_.retransmit_pending) {
                ctx_.retransmit_pending = false;
            } else {
                conn->handle_datagram(in.token, now());
            }
        } else if (ctx_.outgoing.empty() && conn->state() == State::handshaking) {
            // The application's timer fired: resend now, whatever the engine's
            // own timer says (Schannel leaves the timing to the application).
            if (std::optional<Instant> deadline = conn->next_timeout()) {
                conn->handle_timeout(std::max(now(), *deadline));
            }
        }
        return answer(*conn);
    }

    SECURITY_STATUS answer(Connection& conn) {
        drain_events(conn);
        const bool before_server_hello = conn.role() == Role::client && conn.negotiated().cipher_suite == CipherSuite{};
        const size_t queued_before = ctx_.outgoing.size();
        refill(conn);
        // A ClientHello is the only flight sent before the ServerHello; it
        // must fit one datagram (servers, ours included, do not reassemble one).
        if (before_server_hello && queued_before == 0 && ctx_.outgoing.size() > 1 && !ctx_.failure) {
            ctx_.outgoing.clear();
            ctx_.failure = SEC_E_CANNOT_PACK;
            return fail(SEC_E_CANNOT_PACK, "the ClientHello does not fit one datagram at MTU " +
                                               std::to_string(conn.mtu()) + "; raise SECPKG_ATTR_DTLS_MTU");
        }
        if (ctx_.failure) return report_failure(conn);
        if (ctx_.outgoing.empty()) {
            if (conn.state() != State::handshaking) return SEC_E_OK;
            return fail(SEC_E_INCOMPLETE_MESSAGE, "waiting for more of the peer's flight");
        }
        if (SECURITY_STATUS s = write(token_, ctx_.outgoing.front()); s != SEC_E_OK) return s;
        ctx_.outgoing.pop_front();
        refill(conn);
        if (!ctx_.outgoing.empty()) return SEC_I_MESSAGE_FRAGMENT;
        return conn.state() == State::handshaking ? SEC_I_CONTINUE_NEEDED : SEC_E_OK;
    }

    void drain_events(Connection& conn) {
        while (std::optional<Event> e = conn.poll_event()) {
            if (std::holds_alternative<event::HandshakeComplete>(*e)) {
                ctx_.complete = true;
                export_keying_material(conn);
            } else if (auto* failed = std::get_if<event::Failed>(&*e)) {
                ctx_.failure = fail(status_for(failed->error), failed->error.reason);
            } else if (std::holds_alternative<event::Closed>(*e)) {
                ctx_.peer_closed = true;
            }
            // Application data in the same datagram as the peer's last flight
            // has no in-place buffer to go to and is not delivered.
        }
    }

    void export_keying_material(Connection& conn) {
        if (!ctx_.keying_request) return;
        const KeyingRequest& r = *ctx_.keying_request;
        auto material = conn.export_keying_material(r.label, r.context, r.use_context, r.length);
        if (material) ctx_.keying_material = std::move(*material);
    }

    void refill(Connection& conn) {
        std::vector<uint8_t> datagram;
        while (ctx_.outgoing.size() < 2 && ctx_.outgoing.size() < kMaxQueuedDatagrams && conn.poll_datagram(datagram)) {
            ctx_.outgoing.push_back(std::move(datagram));
        }
    }

    SECURITY_STATUS report_failure(Connection& conn) {
        // The alert record (if the engine sent one) goes in SECBUFFER_ALERT,
        // or in the token buffer when no alert buffer was given.
        std::vector<uint8_t> datagram;
        while (conn.poll_datagram(datagram)) ctx_.outgoing.push_back(std::move(datagram));
        if (!ctx_.outgoing.empty()) {
            (void)write(alert_ ? alert_ : token_, ctx_.outgoing.back());
            ctx_.outgoing.clear();
        }
        return *ctx_.failure;
    }

    ContextObject& ctx_;
    bool allocate_;
    SecBuffer* token_ = nullptr;
    SecBuffer* alert_ = nullptr;
    bool token_written_ = false;
    bool alert_written_ = false;
};

ULONG returned_attributes(Role role, ULONG requirements, bool manual) {
    if (role == Role::client) {
        ULONG a = ISC_RET_DATAGRAM | ISC_RET_CONFIDENTIALITY | ISC_RET_REPLAY_DETECT | ISC_RET_SEQUENCE_DETECT |
                  ISC_RET_INTEGRITY;
        if (requirements & ISC_REQ_ALLOCATE_MEMORY) a |= ISC_RET_ALLOCATED_MEMORY;
        if (requirements & ISC_REQ_EXTENDED_ERROR) a |= ISC_RET_EXTENDED_ERROR;
        if (manual) a |= ISC_RET_MANUAL_CRED_VALIDATION;
        return a;
    }
    ULONG a = ASC_RET_DATAGRAM | ASC_RET_CONFIDENTIALITY | ASC_RET_REPLAY_DETECT | ASC_RET_SEQUENCE_DETECT |
              ASC_RET_INTEGRITY;
    if (requirements & ASC_REQ_ALLOCATE_MEMORY) a |= ASC_RET_ALLOCATED_MEMORY;
    if (requirements & ASC_REQ_EXTENDED_ERROR) a |= ASC_RET_EXTENDED_ERROR;
    if (requirements & ASC_REQ_MUTUAL_AUTH) a |= ASC_RET_MUTUAL_AUTH;
    return a;
}

SECURITY_STATUS handshake(Role role, PCredHandle phCredential, PCtxtHandle phContext, const std::string& target,
                          ULONG requirements, PSecBufferDesc pInput, PCtxtHandle phNewContext, PSecBufferDesc pOutput,
                          ULONG* pfContextAttr, PTimeStamp ptsExpiry) {
    clear_last_error();
    Input in;
    if (SECURITY_STATUS s = parse_input(pInput, in); s != SEC_E_OK) return s;
    if (pfContextAttr) *pfContextAttr = 0;
    if (ptsExpiry) *ptsExpiry = {0xFFFFFFFF, 0x7FFFFFFF};

    std::shared_ptr<ContextObject> ctx;
    bool created = false;
    if (phContext) {
        ctx = find_context(phContext);
        if (!ctx || ctx->role != role) return fail(SEC_E_INVALID_HANDLE, "not a context handle of this role");
    } else {
        std::shared_ptr<CredentialObject> cred = find_credential(phCredential);
        if (!cred) return fail(SEC_E_INVALID_HANDLE, "not a credential handle");
        if ((role == Role::client && !cred->outbound) || (role == Role::server && !cred->inbound)) {
            return fail(SEC_E_WRONG_CREDENTIAL_HANDLE,
                        role == Role::client ? "the credential was acquired without SECPKG_CRED_OUTBOUND"
                                             : "the credential was acquired without SECPKG_CRED_INBOUND");
        }
        if (!(requirements & ISC_REQ_DATAGRAM)) {  // ASC_REQ_DATAGRAM has the same value
            return fail(SEC_E_UNSUPPORTED_FUNCTION,
                        "this provider offers DTLS only: request ISC_REQ_DATAGRAM / ASC_REQ_DATAGRAM");
        }
        if (!phNewContext) return fail(SEC_E_INVALID_PARAMETER, "phNewContext is NULL");
        ctx = std::make_shared<ContextObject>();
        ctx->credential = cred;
        ctx->role = role;
        ctx->requirements = requirements;
        ctx->mtu = in.mtu.value_or(kDefaultMtu);
        ctx->alpn = in.alpn.value_or(std::vector<std::string>{});
        if (role == Role::client) {
            auto conn = Connection::client(client_config(*cred, target, requirements, ctx->mtu, ctx->alpn), now());
            if (!conn) return fail(status_for(conn.error()), conn.error().reason);
            ctx->connection = std::move(*conn);
        } else {
            if (!in.address) return address_key({}, ctx->address);
            if (SECURITY_STATUS s = address_key(*in.address, ctx->address); s != SEC_E_OK) return s;
            if (in.token.empty()) return fail(SEC_E_INVALID_TOKEN, "the first AcceptSecurityContext needs a datagram");
            SECURITY_STATUS s = SEC_E_OK;
            ctx->front_door = front_door_for(*cred, ctx->alpn, requirements & ASC_REQ_MUTUAL_AUTH, s);
            if (!ctx->front_door) return s;
        }
        created = true;
    }

    std::lock_guard lock(ctx->mutex);
    if (in.mtu) {
        ctx->mtu = *in.mtu;
        if (ctx->connection) (void)ctx->connection->set_mtu(ctx->mtu);
    }
    if (ctx->failure && !created) return fail(*ctx->failure, "the context has failed; delete it");
    HandshakeCall call(*ctx, pOutput, ctx->requirements);
    SECURITY_STATUS status = call.run(in);
    // A server context is created only for a ClientHello it answers; a
    // ClientHello that cannot be packed creates none.
    const bool keep = created && status != SEC_E_CANNOT_PACK &&
                      !(role == Role::server && !ctx->connection && status != SEC_I_CONTINUE_NEEDED);
    if (created && !keep) {
        if (status == SEC_E_INCOMPLETE_MESSAGE) status = fail(SEC_E_INVALID_TOKEN, std::string(DtlsSspiLastError()));
        return status;
    }
    if (created) register_context(ctx, phNewContext);
    else if (phNewContext && phNewContext != phContext) *phNewContext = *phContext;
    const bool manual = ctx->credential->manual_validation || (ctx->requirements & ISC_REQ_MANUAL_CRED_VALIDATION);
    if (pfContextAttr) *pfContextAttr = returned_attributes(role, ctx->requirements, manual);
    return status;
}

}  // namespace

}  // namespace dtls::sspi

using namespace dtls::sspi;

extern "C" {

SECURITY_STATUS SEC_ENTRY InitializeSecurityContextA(PCredHandle phCredential, PCtxtHandle phContext,
                                                     SEC_CHAR* pszTargetName, ULONG fContextReq, ULONG,
                                                     ULONG, PSecBufferDesc pInput, ULONG, PCtxtHandle phNewContext,
                                                     PSecBufferDesc pOutput, ULONG* pfContextAttr,
                                                     PTimeStamp ptsExpiry) {
    return handshake(dtls::Role::client, phCredential, phContext, pszTargetName ? pszTargetName : "", fContextReq,
                     pInput, phNewContext, pOutput, pfContextAttr, ptsExpiry);
}

SECURITY_STATUS SEC_ENTRY InitializeSecurityContextW(PCredHandle phCredential, PCtxtHandle phContext,
                                                     SEC_WCHAR* pszTargetName, ULONG fContextReq, ULONG,
                                                     ULONG, PSecBufferDesc pInput, ULONG, PCtxtHandle phNewContext,
                                                     PSecBufferDesc pOutput, ULONG* pfContextAttr,
                                                     PTimeStamp ptsExpiry) {
    return handshake(dtls::Role::client, phCredential, phContext, narrow(pszTargetName), fContextReq, pInput,
                     phNewContext, pOutput, pfContextAttr, ptsExpiry);
}

SECURITY_STATUS SEC_ENTRY AcceptSecurityContext(PCredHandle phCredential, PCtxtHandle phContext,
                                                PSecBufferDesc pInput, ULONG fContextReq, ULONG,
                                                PCtxtHandle phNewContext, PSecBufferDesc pOutput,
                                                ULONG* pfContextAttr, PTimeStamp ptsExpiry) {
    return handshake(dtls::Role::server, phCredential, phContext, std::string(), fContextReq, pInput, phNewContext,
                     pOutput, pfContextAttr, ptsExpiry);
}

}  // extern "C"
