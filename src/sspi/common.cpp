#include "sspi/common.hpp"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <unordered_map>

#include "dtls/version.hpp"

namespace dtls::sspi {

namespace {

// Tags in SecHandle::dwUpper, so a context handle passed as a credential
// (or the reverse) is refused.
constexpr ULONG_PTR kCredentialTag = 0x43524544;  // "CRED"
constexpr ULONG_PTR kContextTag = 0x43545854;     // "CTXT"

template <class T>
class Table {
public:
    void* add(std::shared_ptr<T> object) {
        std::lock_guard lock(mutex_);
        void* key = object.get();
        objects_[key] = std::move(object);
        return key;
    }
    std::shared_ptr<T> find(const void* key) {
        std::lock_guard lock(mutex_);
        auto it = objects_.find(key);
        return it == objects_.end() ? nullptr : it->second;
    }
    bool remove(const void* key) {
        std::shared_ptr<T> doomed;  // destroyed outside the lock
        std::lock_guard lock(mutex_);
        auto it = objects_.find(key);
        if (it == objects_.end()) return false;
        doomed = std::move(it->second);
        objects_.erase(it);
        return true;
    }

private:
    std::mutex mutex_;
    std::unordered_map<const void*, std::shared_ptr<T>> objects_;
};

Table<CredentialObject>& credentials() {
    static Table<CredentialObject> table;
    return table;
}
Table<ContextObject>& contexts() {
    static Table<ContextObject> table;
    return table;
}
Table<CertificateObject>& certificates() {
    static Table<CertificateObject> table;
    return table;
}
Table<StoreObject>& stores() {
    static Table<StoreObject> table;
    return table;
}

const void* key_of(PSecHandle handle, ULONG_PTR tag) {
    if (!handle || handle->dwUpper != tag) return nullptr;
    return reinterpret_cast<const void*>(handle->dwLower);
}

thread_local std::string last_error;

std::atomic<DTLSSSPI_CLOCK_FN> clock_fn{nullptr};
std::atomic<void*> clock_argument{nullptr};

constexpr SuiteInfo kSuites[] = {
    {CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256, L"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", CALG_AES_128, L"AES",
     128, CALG_SHA_256, L"SHA256", 256, L"ECDSA", 8},
    {CipherSuite::ecdhe_ecdsa_aes256_gcm_sha384, L"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", CALG_AES_256, L"AES",
     256, CALG_SHA_384, L"SHA384", 384, L"ECDSA", 8},
    {CipherSuite::ecdhe_rsa_aes128_gcm_sha256, L"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", CALG_AES_128, L"AES", 128,
     CALG_SHA_256, L"SHA256", 256, L"RSA", 8},
    {CipherSuite::ecdhe_rsa_aes256_gcm_sha384, L"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", CALG_AES_256, L"AES", 256,
     CALG_SHA_384, L"SHA384", 384, L"RSA", 8},
    {CipherSuite::ecdhe_rsa_chacha20_poly1305_sha256, L"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", 0,
     L"CHACHA20_POLY1305", 256, CALG_SHA_256, L"SHA256", 256, L"RSA", 0},
    {CipherSuite::ecdhe_ecdsa_chacha20_poly1305_sha256, L"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", 0,
     L"CHACHA20_POLY1305", 256, CALG_SHA_256, L"SHA256", 256, L"ECDSA", 0},
};

}  // namespace

void register_credential(std::shared_ptr<CredentialObject> object, PCredHandle handle) {
    handle->dwLower = reinterpret_cast<ULONG_PTR>(credentials().add(std::move(object)));
    handle->dwUpper = kCredentialTag;
}
std::shared_ptr<CredentialObject> find_credential(PCredHandle handle) {
    const void* key = key_of(handle, kCredentialTag);
    return key ? credentials().find(key) : nullptr;
}
bool release_credential(PCredHandle handle) {
    const void* key = key_of(handle, kCredentialTag);
    return key && credentials().remove(key);
}

void register_context(std::shared_ptr<ContextObject> object, PCtxtHandle handle) {
    handle->dwLower = reinterpret_cast<ULONG_PTR>(contexts().add(std::move(object)));
    handle->dwUpper = kContextTag;
}
std::shared_ptr<ContextObject> find_context(PCtxtHandle handle) {
    const void* key = key_of(handle, kContextTag);
    return key ? contexts().find(key) : nullptr;
}
bool release_context(PCtxtHandle handle) {
    const void* key = key_of(handle, kContextTag);
    return key && contexts().remove(key);
}

PCCERT_CONTEXT register_certificate(std::unique_ptr<CertificateObject> object) {
    object->context.dwCertEncodingType = X509_ASN_ENCODING | PKCS_7_ASN_ENCODING;
    object->context.pbCertEncoded = object->der.data();
    object->context.cbCertEncoded = static_cast<DWORD>(object->der.size());
    return static_cast<PCCERT_CONTEXT>(certificates().add(std::shared_ptr<CertificateObject>(std::move(object))));
}
std::shared_ptr<CertificateObject> find_certificate(PCCERT_CONTEXT certificate) {
    return certificate ? certificates().find(certificate) : nullptr;
}
bool release_certificate(PCCERT_CONTEXT certificate) { return certificate && certificates().remove(certificate); }

HCERTSTORE register_store(std::unique_ptr<StoreObject> object) {
    return stores().add(std::shared_ptr<StoreObject>(std::move(object)));
}
std::shared_ptr<StoreObject> find_store(HCERTSTORE store) { return store ? stores().find(store) : nullptr; }
bool release_store(HCERTSTORE store) { return store && stores().remove(store); }

SECURITY_STATUS fail(SECURITY_STATUS status, std::string_view why) {
    last_error.assign(why);
    return status;
}
void clear_last_error() { last_error.clear(); }

Instant now() {
    if (DTLSSSPI_CLOCK_FN fn = clock_fn.load()) {
        return Instant{} + std::chrono::milliseconds(fn(clock_argument.load()));
    }
    return Clock::now();
}

SECURITY_STATUS status_for(const Error& error) {
    switch (error.code) {
        case ErrorCode::alert_sent:
        case ErrorCode::alert_received:
            if (!error.alert) return SEC_E_ILLEGAL_MESSAGE;
            switch (*error.alert) {
                case Alert::unknown_ca: return SEC_E_UNTRUSTED_ROOT;
                case Alert::certificate_expired: return SEC_E_CERT_EXPIRED;
                case Alert::bad_certificate:
                case Alert::unsupported_certificate:
                case Alert::certificate_revoked:
                case Alert::certificate_unknown: return SEC_E_CERT_UNKNOWN;
                case Alert::handshake_failure:
                case Alert::insufficient_security: return SEC_E_ALGORITHM_MISMATCH;
                case Alert::protocol_version: return SEC_E_UNSUPPORTED_FUNCTION;
                case Alert::no_application_protocol: return SEC_E_APPLICATION_PROTOCOL_MISMATCH;
                case Alert::decrypt_error:
                case Alert::bad_record_mac: return SEC_E_DECRYPT_FAILURE;
                case Alert::internal_error: return SEC_E_INTERNAL_ERROR;
                default: return SEC_E_ILLEGAL_MESSAGE;
            }
        case ErrorCode::timeout:
        case ErrorCode::closed: return SEC_E_CONTEXT_EXPIRED;
        case ErrorCode::message_too_large:
        case ErrorCode::invalid_argument: return SEC_E_INVALID_PARAMETER;
        case ErrorCode::credential: return SEC_E_UNKNOWN_CREDENTIALS;
        case ErrorCode::invalid_state: return SEC_E_INVALID_HANDLE;
        case ErrorCode::internal: return SEC_E_INTERNAL_ERROR;
    }
    return SEC_E_INTERNAL_ERROR;
}

const SuiteInfo* suite_info(CipherSuite suite) {
    for (const SuiteInfo& info : kSuites) {
        if (info.suite == suite) return &info;
    }
    return nullptr;
}

DWORD group_bits(NamedGroup group) {
    switch (group) {
        case NamedGroup::secp256r1: return 256;
        case NamedGroup::secp384r1: return 384;
        case NamedGroup::x25519: return 255;
    }
    return 0;
}

ULONG buffer_type(const SecBuffer& buffer) { return buffer.BufferType & ~static_cast<ULONG>(SECBUFFER_ATTRMASK); }

SecBuffer* find_buffer(PSecBufferDesc desc, ULONG type) {
    if (!desc || !desc->pBuffers) return nullptr;
    for (ULONG i = 0; i < desc->cBuffers; ++i) {
        if (buffer_type(desc->pBuffers[i]) == type) return &desc->pBuffers[i];
    }
    return nullptr;
}

std::span<uint8_t> bytes_of(const SecBuffer& buffer) {
    if (!buffer.pvBuffer) return {};
    return {static_cast<uint8_t*>(buffer.pvBuffer), buffer.cbBuffer};
}

void* allocate_context_buffer(size_t size) { return std::malloc(size == 0 ? 1 : size); }

SECURITY_STATUS write_output(SecBuffer* buffer, std::span<const uint8_t> data, bool allocate) {
    if (!buffer) return fail(SEC_E_INVALID_TOKEN, "no output SECBUFFER_TOKEN buffer was given");
    if (allocate) {
        void* memory = allocate_context_buffer(data.size());
        if (!memory) return fail(SEC_E_INSUFFICIENT_MEMORY, "out of memory");
        std::memcpy(memory, data.data(), data.size());
        buffer->pvBuffer = memory;
        buffer->cbBuffer = static_cast<ULONG>(data.size());
        return SEC_E_OK;
    }
    if (!buffer->pvBuffer || buffer->cbBuffer < data.size()) {
        return fail(SEC_E_BUFFER_TOO_SMALL, "the output buffer holds " + std::to_string(buffer->cbBuffer) +
                                                " bytes; the datagram needs " + std::to_string(data.size()) +
                                                " (call again with a larger buffer and no input)");
    }
    std::memcpy(buffer->pvBuffer, data.data(), data.size());
    buffer->cbBuffer = static_cast<ULONG>(data.size());
    return SEC_E_OK;
}

void clear_output(SecBuffer* buffer, bool allocate) {
    if (!buffer) return;
    buffer->cbBuffer = 0;
    if (allocate) buffer->pvBuffer = nullptr;
}

std::string narrow(const wchar_t* text) {
    std::string out;
    if (!text) return out;
    for (; *text; ++text) {
        const auto c = static_cast<uint32_t>(*text);
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else if (c < 0x800) {
            out += static_cast<char>(0xC0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out += static_cast<char>(0xE0 | (c >> 12));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (c & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (c >> 18));
            out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (c & 0x3F));
        }
    }
    return out;
}

}  // namespace dtls::sspi

extern "C" {

const char* DtlsSspiLastError(void) { return dtls::sspi::last_error.c_str(); }

// dtls::version() views a string literal, so its data is NUL-terminated.
const char* DtlsSspiVersion(void) { return dtls::version().data(); }

void DtlsSspiSetClock(DTLSSSPI_CLOCK_FN clock, void* argument) {
    dtls::sspi::clock_argument.store(argument);
    dtls::sspi::clock_fn.store(clock);
}

}  // extern "C"
