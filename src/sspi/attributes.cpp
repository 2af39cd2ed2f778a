// QueryContextAttributes, SetContextAttributes, ApplyControlToken and
// DeleteSecurityContext.
#include <chrono>
#include <cstring>
#include <cwchar>

#include "sspi/common.hpp"

namespace dtls::sspi {

namespace {

void copy_wide(WCHAR (&out)[SZ_ALG_MAX_SIZE], const wchar_t* text) {
    std::wcsncpy(out, text, SZ_ALG_MAX_SIZE - 1);
    out[SZ_ALG_MAX_SIZE - 1] = 0;
}

DWORD protocol_bit(const ContextObject& ctx) {
    return ctx.role == Role::client ? SP_PROT_DTLS1_2_CLIENT : SP_PROT_DTLS1_2_SERVER;
}

SECURITY_STATUS need_complete(const ContextObject& ctx) {
    if (!ctx.connection || !ctx.complete) {
        return fail(SEC_E_INVALID_HANDLE, "this attribute is available once the handshake has completed");
    }
    return SEC_E_OK;
}

SECURITY_STATUS query(ContextObject& ctx, ULONG attribute, void* buffer) {
    if (!buffer) return fail(SEC_E_INVALID_PARAMETER, "pBuffer is NULL");
    switch (attribute) {
        case SECPKG_ATTR_DTLS_MTU: {
            *static_cast<ULONG*>(buffer) = static_cast<ULONG>(ctx.mtu);
            return SEC_E_OK;
        }
        case DTLSSSPI_ATTR_NEXT_TIMEOUT: {
            auto* out = static_cast<DtlsSspiNextTimeout*>(buffer);
            out->dwMilliseconds = INFINITE;
            if (!ctx.connection) return SEC_E_OK;
            std::optional<Instant> deadline = ctx.connection->next_timeout();
            if (!deadline) return SEC_E_OK;
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - now()).count();
            out->dwMilliseconds = left <= 0 ? 0 : static_cast<ULONG>(std::min<long long>(left, 0xFFFFFFFE));
            return SEC_E_OK;
        }
        case SECPKG_ATTR_SIZES: {
            auto* out = static_cast<SecPkgContext_Sizes*>(buffer);
            *out = {static_cast<ULONG>(Config::max_mtu), 0, 1, static_cast<ULONG>(kAeadTag)};
            return SEC_E_OK;
        }
        default: break;
    }
    if (SECURITY_STATUS s = need_complete(ctx); s != SEC_E_OK) return s;
    const Connection& conn = *ctx.connection;
    const Negotiated& n = conn.negotiated();
    const SuiteInfo* suite = suite_info(n.cipher_suite);
    if (!suite) return fail(SEC_E_INTERNAL_ERROR, "unknown cipher suite");
    switch (attribute) {
        case SECPKG_ATTR_STREAM_SIZES: {  // == SECPKG_ATTR_DATAGRAM_SIZES
            auto* out = static_cast<SecPkgContext_StreamSizes*>(buffer);
            out->cbHeader = static_cast<ULONG>(kRecordHeader + suite->explicit_nonce);
            out->cbTrailer = static_cast<ULONG>(kAeadTag);
            out->cbMaximumMessage = static_cast<ULONG>(conn.max_payload());
            out->cBuffers = 4;
            out->cbBlockSize = 1;
            return SEC_E_OK;
        }
        case SECPKG_ATTR_CONNECTION_INFO: {
            auto* out = static_cast<SecPkgContext_ConnectionInfo*>(buffer);
            *out = {protocol_bit(ctx), suite->cipher, suite->cipher_bits, suite->hash, suite->hash_bits,
                    CALG_ECDH_EPHEM, group_bits(n.group)};
            return SEC_E_OK;
        }
        case SECPKG_ATTR_CIPHER_INFO: {
            auto* out = static_cast<SecPkgContext_CipherInfo*>(buffer);
            std::memset(out, 0, sizeof *out);
            out->dwVersion = SECPKGCONTEXT_CIPHERINFO_V1;
            out->dwProtocol = protocol_bit(ctx);
            out->dwCipherSuite = out->dwBaseCipherSuite = static_cast<DWORD>(n.cipher_suite);
            copy_wide(out->szCipherSuite, suite->name);
            copy_wide(out->szCipher, suite->cipher_name);
            out->dwCipherLen = suite->cipher_bits;
            out->dwCipherBlockLen = suite->cipher ? 16 : 1;
            copy_wide(out->szHash, suite->hash_name);
            out->dwHashLen = suite->hash_bits;
            copy_wide(out->szExchange, L"ECDHE");
            out->dwMinExchangeLen = out->dwMaxExchangeLen = group_bits(n.group);
            copy_wide(out->szCertificate, suite->certificate);
            return SEC_E_OK;
        }
        case SECPKG_ATTR_REMOTE_CERT_CONTEXT: {
            if (n.peer_chain.empty()) return fail(SEC_E_NO_CREDENTIALS, "the peer sent no certificate");
            auto object = std::make_unique<CertificateObject>();
            object->der = n.peer_chain.front();
            *static_cast<PCCERT_CONTEXT*>(buffer) = register_certificate(std::move(object));
            return SEC_E_OK;
        }
        case SECPKG_ATTR_APPLICATION_PROTOCOL: {
            auto* out = static_cast<SecPkgContext_ApplicationProtocol*>(buffer);
            std::memset(out, 0, sizeof *out);
            if (!n.alpn.empty()) {
                out->ProtoNegoStatus = SecApplicationProtocolNegotiationStatus_Success;
                out->ProtoNegoExt = SecApplicationProtocolNegotiationExt_ALPN;
                out->ProtocolIdSize = static_cast<unsigned char>(n.alpn.size());
                std::memcpy(out->ProtocolId, n.alpn.data(), n.alpn.size());
            }
            return SEC_E_OK;
        }
        case SECPKG_ATTR_KEYING_MATERIAL: {
            if (!ctx.keying_material) {
                return fail(SEC_E_INVALID_PARAMETER,
                            "no keying material: set SECPKG_ATTR_KEYING_MATERIAL_INFO before the handshake completes");
            }
            auto* out = static_cast<SecPkgContext_KeyingMaterial*>(buffer);
            out->pbKeyingMaterial = static_cast<PBYTE>(allocate_context_buffer(ctx.keying_material->size()));
            if (!out->pbKeyingMaterial) return fail(SEC_E_INSUFFICIENT_MEMORY, "out of memory");
            std::memcpy(out->pbKeyingMaterial, ctx.keying_material->data(), ctx.keying_material->size());
            out->cbKeyingMaterial = static_cast<DWORD>(ctx.keying_material->size());
            return SEC_E_OK;
        }
        default: break;
    }
    return fail(SEC_E_UNSUPPORTED_FUNCTION, "attribute " + std::to_string(attribute) + " is not supported");
}

SECURITY_STATUS set(ContextObject& ctx, ULONG attribute, void* buffer, ULONG size) {
    if (!buffer) return fail(SEC_E_INVALID_PARAMETER, "pBuffer is NULL");
    switch (attribute) {
        case SECPKG_ATTR_DTLS_MTU: {
            // Windows code passes a ULONG; a USHORT (SEC_DTLS_MTU) is accepted too.
            size_t mtu;
            if (size == sizeof(ULONG)) {
                mtu = *static_cast<const ULONG*>(buffer);
            } else if (size == sizeof(USHORT)) {
                mtu = *static_cast<const USHORT*>(buffer);
            } else {
                return fail(SEC_E_INVALID_PARAMETER, "SECPKG_ATTR_DTLS_MTU takes a ULONG");
            }
            if (mtu < Config::min_mtu || mtu > Config::max_mtu) {
                return fail(SEC_E_INVALID_PARAMETER, "the DTLS MTU must be between 200 and 65535 bytes");
            }
            ctx.mtu = mtu;
            if (ctx.connection) (void)ctx.connection->set_mtu(mtu);
            return SEC_E_OK;
        }
        case SECPKG_ATTR_KEYING_MATERIAL_INFO: {
            if (size < sizeof(SecPkgContext_KeyingMaterialInfo)) {
                return fail(SEC_E_INVALID_PARAMETER, "pBuffer must be a SecPkgContext_KeyingMaterialInfo");
            }
            const auto* info = static_cast<const SecPkgContext_KeyingMaterialInfo*>(buffer);
            if (!info->pszLabel || info->cbLabel == 0 || info->cbKeyingMaterial == 0 ||
                (info->cbContextValue && !info->pbContextValue)) {
                return fail(SEC_E_INVALID_PARAMETER, "a label and a length are required");
            }
            KeyingRequest r;
            r.label.assign(info->pszLabel, info->cbLabel);
            while (!r.label.empty() && r.label.back() == '\0') r.label.pop_back();  // as Schannel: NUL dropped
            r.use_context = info->cbContextValue > 0;
            if (r.use_context) r.context.assign(info->pbContextValue, info->pbContextValue + info->cbContextValue);
            r.length = info->cbKeyingMaterial;
            ctx.keying_request = r;
            if (ctx.complete && ctx.connection) {
                auto material = ctx.connection->export_keying_material(r.label, r.context, r.use_context, r.length);
                if (!material) return fail(status_for(material.error()), material.error().reason);
                ctx.keying_material = std::move(*material);
            }
            return SEC_E_OK;
        }
        default: break;
    }
    return fail(SEC_E_UNSUPPORTED_FUNCTION, "attribute " + std::to_string(attribute) + " cannot be set");
}

}  // namespace

}  // namespace dtls::sspi

using namespace dtls::sspi;

namespace {

template <class Call>
SECURITY_STATUS with_context(PCtxtHandle handle, Call&& call) {
    clear_last_error();
    std::shared_ptr<ContextObject> ctx = find_context(handle);
    if (!ctx) return fail(SEC_E_INVALID_HANDLE, "not a context handle");
    std::lock_guard lock(ctx->mutex);
    return call(*ctx);
}

}  // namespace

extern "C" {

SECURITY_STATUS SEC_ENTRY QueryContextAttributesA(PCtxtHandle phContext, ULONG ulAttribute, void* pBuffer) {
    return with_context(phContext, [&](ContextObject& ctx) { return query(ctx, ulAttribute, pBuffer); });
}

SECURITY_STATUS SEC_ENTRY QueryContextAttributesW(PCtxtHandle phContext, ULONG ulAttribute, void* pBuffer) {
    return QueryContextAttributesA(phContext, ulAttribute, pBuffer);  // no attribute here carries narrow text
}

SECURITY_STATUS SEC_ENTRY SetContextAttributesA(PCtxtHandle phContext, ULONG ulAttribute, void* pBuffer,
                                                ULONG cbBuffer) {
    return with_context(phContext, [&](ContextObject& ctx) { return set(ctx, ulAttribute, pBuffer, cbBuffer); });
}

SECURITY_STATUS SEC_ENTRY SetContextAttributesW(PCtxtHandle phContext, ULONG ulAttribute, void* pBuffer,
                                                ULONG cbBuffer) {
    return SetContextAttributesA(phContext, ulAttribute, pBuffer, cbBuffer);
}

// SCHANNEL_SHUTDOWN queues a close_notify alert; the next ISC/ASC call
// without input returns it as the token, with SEC_E_OK. Nothing else is
// accepted: DTLS has no renegotiation, and alerts are the engine's to send.
SECURITY_STATUS SEC_ENTRY ApplyControlToken(PCtxtHandle phContext, PSecBufferDesc pInput) {
    return with_context(phContext, [&](ContextObject& ctx) -> SECURITY_STATUS {
        SecBuffer* token = find_buffer(pInput, SECBUFFER_TOKEN);
        if (!token || !token->pvBuffer || token->cbBuffer < sizeof(DWORD)) {
            return fail(SEC_E_INVALID_TOKEN, "ApplyControlToken needs a SECBUFFER_TOKEN holding a DWORD");
        }
        DWORD type;
        std::memcpy(&type, token->pvBuffer, sizeof type);
        if (type != SCHANNEL_SHUTDOWN) {
            return fail(SEC_E_UNSUPPORTED_FUNCTION, "only SCHANNEL_SHUTDOWN is supported for DTLS");
        }
        if (ctx.connection) ctx.connection->close(now());
        return SEC_E_OK;
    });
}

SECURITY_STATUS SEC_ENTRY DeleteSecurityContext(PCtxtHandle phContext) {
    clear_last_error();
    if (!release_context(phContext)) return fail(SEC_E_INVALID_HANDLE, "not a context handle");
    return SEC_E_OK;
}

}  // extern "C"
