// Shared plumbing of the SSPI facade: the handle registry, the thread's last
// error text, the clock, status mapping and SecBuffer helpers.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "sspi/objects.hpp"

namespace dtls::sspi {

// Handle registry. Each kind has its own table; lookups return owning
// pointers so an object outlives a concurrent Free/Delete while in use.
void register_credential(std::shared_ptr<CredentialObject> object, PCredHandle handle);
std::shared_ptr<CredentialObject> find_credential(PCredHandle handle);
bool release_credential(PCredHandle handle);

void register_context(std::shared_ptr<ContextObject> object, PCtxtHandle handle);
std::shared_ptr<ContextObject> find_context(PCtxtHandle handle);
bool release_context(PCtxtHandle handle);

PCCERT_CONTEXT register_certificate(std::unique_ptr<CertificateObject> object);
std::shared_ptr<CertificateObject> find_certificate(PCCERT_CONTEXT certificate);
bool release_certificate(PCCERT_CONTEXT certificate);

HCERTSTORE register_store(std::unique_ptr<StoreObject> object);
std::shared_ptr<StoreObject> find_store(HCERTSTORE store);
bool release_store(HCERTSTORE store);

// Records why the call failed (DtlsSspiLastError) and returns `status`.
SECURITY_STATUS fail(SECURITY_STATUS status, std::string_view why);
void clear_last_error();

Instant now();

// The SSPI status for an engine error.
SECURITY_STATUS status_for(const Error& error);

// What QueryContextAttributes reports about a cipher suite.
struct SuiteInfo {
    CipherSuite suite;
    const wchar_t* name;
    ALG_ID cipher;  // 0 for ChaCha20-Poly1305, which has no CALG_ value
    const wchar_t* cipher_name;
    DWORD cipher_bits;
    ALG_ID hash;  // the PRF hash
    const wchar_t* hash_name;
    DWORD hash_bits;
    const wchar_t* certificate;
    size_t explicit_nonce;  // bytes before the ciphertext, after the 13-byte record header
};
const SuiteInfo* suite_info(CipherSuite suite);
DWORD group_bits(NamedGroup group);

constexpr size_t kRecordHeader = 13;  // RFC 6347 4.1
constexpr size_t kAeadTag = 16;       // every suite the engine offers

// SecBuffer helpers. The attribute bits (SECBUFFER_READONLY...) are ignored.
ULONG buffer_type(const SecBuffer& buffer);
SecBuffer* find_buffer(PSecBufferDesc desc, ULONG type);
std::span<uint8_t> bytes_of(const SecBuffer& buffer);

// Writes `data` into an output buffer: allocated (freed with
// FreeContextBuffer) when `allocate`, else copied into the caller's memory.
SECURITY_STATUS write_output(SecBuffer* buffer, std::span<const uint8_t> data, bool allocate);
void clear_output(SecBuffer* buffer, bool allocate);

// Memory the application frees with FreeContextBuffer.
void* allocate_context_buffer(size_t size);

std::string narrow(const wchar_t* text);

}  // namespace dtls::sspi
