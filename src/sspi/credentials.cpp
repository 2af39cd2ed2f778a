// AcquireCredentialsHandle and what feeds it: certificates with their keys,
// CA stores, the package description.
#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

#include "sspi/common.hpp"

namespace dtls::sspi {

namespace {

constexpr const char* kPackageName = UNISP_NAME_A;
constexpr const char* kPackageComment = "DTLS 1.2 through the dtls engine (Schannel-compatible)";
// Where Debian and most Linux systems keep the OpenSSL hashed system roots;
// used when the application gives no root store, as Windows uses its own.
constexpr const char* kSystemRoots = "/etc/ssl/certs";

bool is_our_package(const std::string& name) {
    return name == UNISP_NAME_A || name == SCHANNEL_NAME_A;
}

bool looks_like_pem(std::span<const uint8_t> bytes) {
    static constexpr char kArmour[] = "-----BEGIN";
    return std::search(bytes.begin(), bytes.end(), kArmour, kArmour + sizeof(kArmour) - 1) != bytes.end();
}

// The protocols this credential may use, checked for the roles it serves.
SECURITY_STATUS check_protocols(DWORD enabled, DWORD disabled, bool inbound, bool outbound) {
    DWORD want = 0, legacy = 0;
    if (outbound) {
        want |= SP_PROT_DTLS1_2_CLIENT;
        legacy |= SP_PROT_DTLS1_0_CLIENT;
    }
    if (inbound) {
        want |= SP_PROT_DTLS1_2_SERVER;
        legacy |= SP_PROT_DTLS1_0_SERVER;
    }
    const DWORD usable = (enabled == 0 ? SP_PROT_ALL : enabled) & ~disabled;
    if (usable & want) return SEC_E_OK;
    if (usable & legacy) {
        return fail(SEC_E_UNSUPPORTED_FUNCTION,
                    "DTLS 1.0 is not offered (RFC 8996 deprecates it); enable SP_PROT_DTLS1_2_CLIENT / "
                    "SP_PROT_DTLS1_2_SERVER or pass 0 for the default");
    }
    return fail(SEC_E_UNSUPPORTED_FUNCTION,
                "no DTLS 1.2 protocol is enabled for this credential's role; this provider offers DTLS 1.2 only "
                "(SP_PROT_DTLS1_2_CLIENT / SP_PROT_DTLS1_2_SERVER)");
}

// Keeps the suites whose key size lies within [minimum, maximum] bits
// (0 meaning no bound), as dwMinimumCipherStrength / dwMaximumCipherStrength.
SECURITY_STATUS apply_strength(Config& config, DWORD minimum, DWORD maximum) {
    std::erase_if(config.cipher_suites, [&](CipherSuite s) {
        const SuiteInfo* info = suite_info(s);
        const DWORD bits = info ? info->cipher_bits : 0;
        return (minimum && bits < minimum) || (maximum && bits > maximum);
    });
    if (config.cipher_suites.empty()) {
        return fail(SEC_E_ALGORITHM_MISMATCH, "no cipher suite has a strength within the requested bounds");
    }
    return SEC_E_OK;
}

struct CommonFields {
    DWORD cred_format = 0;
    DWORD certificate_count = 0;
    PCCERT_CONTEXT* certificates = nullptr;
    HCERTSTORE root_store = nullptr;
    DWORD flags = 0;
};

SECURITY_STATUS acquire(const std::string& package, ULONG use, PVOID auth_data, PCredHandle handle,
                        PTimeStamp expiry) {
    clear_last_error();
    if (!handle) return fail(SEC_E_INVALID_PARAMETER, "phCredential is NULL");
    if (!is_our_package(package)) {
        return fail(SEC_E_SECPKG_NOT_FOUND, "package '" + package + "' is not provided; use UNISP_NAME or SCHANNEL_NAME");
    }
    auto cred = std::make_shared<CredentialObject>();
    cred->inbound = use & SECPKG_CRED_INBOUND;
    cred->outbound = use & SECPKG_CRED_OUTBOUND;
    if (!cred->inbound && !cred->outbound) {
        return fail(SEC_E_INVALID_PARAMETER, "fCredentialUse must be SECPKG_CRED_INBOUND, _OUTBOUND or _BOTH");
    }

    CommonFields fields;
    DWORD enabled = 0, disabled = 0, min_strength = 0, max_strength = 0;
    if (auth_data) {
        const DWORD version = *static_cast<const DWORD*>(auth_data);
        if (version == SCHANNEL_CRED_VERSION) {
            const auto* c = static_cast<const SCHANNEL_CRED*>(auth_data);
            fields = {c->dwCredFormat, c->cCreds, c->paCred, c->hRootStore, c->dwFlags};
            enabled = c->grbitEnabledProtocols;
            min_strength = c->dwMinimumCipherStrength;
            max_strength = c->dwMaximumCipherStrength;
        } else if (version == SCH_CREDENTIALS_VERSION) {
            const auto* c = static_cast<const SCH_CREDENTIALS*>(auth_data);
            fields = {c->dwCredFormat, c->cCreds, c->paCred, c->hRootStore, c->dwFlags};
            for (DWORD i = 0; c->pTlsParameters && i < c->cTlsParameters; ++i) {
                // Parameters restricted to some ALPN ids cannot be honoured
                // before ALPN is known; those for all connections can.
                if (c->pTlsParameters[i].cAlpnIds == 0) disabled |= c->pTlsParameters[i].grbitDisabledProtocols;
            }
        } else {
            return fail(SEC_E_INVALID_PARAMETER, "pAuthData must be a SCHANNEL_CRED (SCHANNEL_CRED_VERSION) or "
                                                 "SCH_CREDENTIALS (SCH_CREDENTIALS_VERSION)");
        }
    }
    if (SECURITY_STATUS s = check_protocols(enabled, disabled, cred->inbound, cred->outbound); s != SEC_E_OK) return s;
    // Schannel has no DTLS 1.3, so neither does this facade (docs/sspi.md).
    cred->base.min_version = ProtocolVersion::dtls1_2;
    cred->base.max_version = ProtocolVersion::dtls1_2;
    std::erase_if(cred->base.cipher_suites, [](CipherSuite s) { return suite_info(s) == nullptr; });
    if (SECURITY_STATUS s = apply_strength(cred->base, min_strength, max_strength); s != SEC_E_OK) return s;
    if (fields.cred_format != SCH_CRED_FORMAT_CERT_CONTEXT) {
        return fail(SEC_E_UNKNOWN_CREDENTIALS, "only SCH_CRED_FORMAT_CERT_CONTEXT is supported");
    }
    if (fields.certificate_count > 0) {
        if (!fields.certificates) return fail(SEC_E_INVALID_PARAMETER, "cCreds is set but paCred is NULL");
        // Windows picks among several by key type; the first one is used here.
        std::shared_ptr<CertificateObject> certificate = find_certificate(fields.certificates[0]);
        if (!certificate || !certificate->credential) {
            return fail(SEC_E_UNKNOWN_CREDENTIALS, "paCred[0] was not made by DtlsSspiCertificateFromFiles or "
                                                   "DtlsSspiCertificateFromMemory (it carries no private key)");
        }
        cred->base.credential = certificate->credential;
    } else if (cred->inbound && !cred->outbound) {
        return fail(SEC_E_NO_CREDENTIALS, "a server credential needs a certificate with its private key in paCred");
    }
    if (fields.root_store) {
        std::shared_ptr<StoreObject> store = find_store(fields.root_store);
        if (!store) return fail(SEC_E_INVALID_PARAMETER, "hRootStore was not made by DtlsSspiOpenCaFile/Memory");
        cred->base.ca_file = store->ca_file;
        cred->base.ca_path = store->ca_path;
        cred->base.ca_pem = store->ca_pem;
        cred->has_trust = true;
    } else {
        cred->base.ca_path = kSystemRoots;
    }
    cred->manual_validation = fields.flags & SCH_CRED_MANUAL_CRED_VALIDATION;
    cred->no_server_name_check = fields.flags & SCH_CRED_NO_SERVERNAME_CHECK;
    cred->base.mtu = kDefaultMtu;

    register_credential(std::move(cred), handle);
    if (expiry) *expiry = {0xFFFFFFFF, 0x7FFFFFFF};
    return SEC_E_OK;
}

template <class Info, class Char>
SECURITY_STATUS package_info(const std::string& name, Info** out, const Char* wide_name, const Char* wide_comment,
                             size_t name_length, size_t comment_length) {
    clear_last_error();
    if (!out) return fail(SEC_E_INVALID_PARAMETER, "ppPackageInfo is NULL");
    if (!is_our_package(name)) return fail(SEC_E_SECPKG_NOT_FOUND, "package '" + name + "' is not provided");
    // One block, freed by one FreeContextBuffer: the structure, then the strings.
    const size_t size = sizeof(Info) + (name_length + 1 + comment_length + 1) * sizeof(Char);
    auto* info = static_cast<Info*>(allocate_context_buffer(size));
    if (!info) return fail(SEC_E_INSUFFICIENT_MEMORY, "out of memory");
    Char* strings = reinterpret_cast<Char*>(info + 1);
    std::memcpy(strings, wide_name, (name_length + 1) * sizeof(Char));
    std::memcpy(strings + name_length + 1, wide_comment, (comment_length + 1) * sizeof(Char));
    info->fCapabilities = SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY | SECPKG_FLAG_DATAGRAM |
                          SECPKG_FLAG_CONNECTION | SECPKG_FLAG_MULTI_REQUIRED | SECPKG_FLAG_EXTENDED_ERROR |
                          SECPKG_FLAG_MUTUAL_AUTH;
    info->wVersion = 1;
    info->wRPCID = UNISP_RPC_ID;
    info->cbMaxToken = static_cast<ULONG>(Config::max_mtu);
    info->Name = strings;
    info->Comment = strings + name_length + 1;
    *out = info;
    return SEC_E_OK;
}

std::wstring widen(const char* text) { return std::wstring(text, text + std::strlen(text)); }

PCCERT_CONTEXT certificate_from(Result<Credential> loaded) {
    clear_last_error();
    if (!loaded) {
        fail(SEC_E_UNKNOWN_CREDENTIALS, loaded.error().reason);
        return nullptr;
    }
    auto object = std::make_unique<CertificateObject>();
    object->der = loaded->chain().front();
    object->credential = std::make_shared<const Credential>(std::move(*loaded));
    return register_certificate(std::move(object));
}

}  // namespace

}  // namespace dtls::sspi

using namespace dtls::sspi;

extern "C" {

SECURITY_STATUS SEC_ENTRY AcquireCredentialsHandleA(SEC_CHAR*, SEC_CHAR* pszPackage, ULONG fCredentialUse, PLUID,
                                                    PVOID pAuthData, SEC_GET_KEY_FN, PVOID, PCredHandle phCredential,
                                                    PTimeStamp ptsExpiry) {
    return acquire(pszPackage ? pszPackage : "", fCredentialUse, pAuthData, phCredential, ptsExpiry);
}

SECURITY_STATUS SEC_ENTRY AcquireCredentialsHandleW(SEC_WCHAR*, SEC_WCHAR* pszPackage, ULONG fCredentialUse, PLUID,
                                                    PVOID pAuthData, SEC_GET_KEY_FN, PVOID, PCredHandle phCredential,
                                                    PTimeStamp ptsExpiry) {
    return acquire(narrow(pszPackage), fCredentialUse, pAuthData, phCredential, ptsExpiry);
}

SECURITY_STATUS SEC_ENTRY FreeCredentialsHandle(PCredHandle phCredential) {
    clear_last_error();
    if (!release_credential(phCredential)) return fail(SEC_E_INVALID_HANDLE, "not a credential handle");
    return SEC_E_OK;
}

SECURITY_STATUS SEC_ENTRY QuerySecurityPackageInfoA(SEC_CHAR* pszPackageName, PSecPkgInfoA* ppPackageInfo) {
    const std::string comment = kPackageComment;
    return package_info<SecPkgInfoA, char>(pszPackageName ? pszPackageName : "", ppPackageInfo, kPackageName,
                                           comment.c_str(), std::strlen(kPackageName), comment.size());
}

SECURITY_STATUS SEC_ENTRY QuerySecurityPackageInfoW(SEC_WCHAR* pszPackageName, PSecPkgInfoW* ppPackageInfo) {
    const std::wstring name = widen(kPackageName), comment = widen(kPackageComment);
    return package_info<SecPkgInfoW, wchar_t>(narrow(pszPackageName), ppPackageInfo, name.c_str(), comment.c_str(),
                                              name.size(), comment.size());
}

SECURITY_STATUS SEC_ENTRY FreeContextBuffer(PVOID pvContextBuffer) {
    std::free(pvContextBuffer);
    return SEC_E_OK;
}

PCCERT_CONTEXT DtlsSspiCertificateFromFiles(const char* certificate_path, const char* private_key_path) {
    if (!certificate_path || !private_key_path) {
        fail(SEC_E_INVALID_PARAMETER, "a certificate path and a private key path are needed");
        return nullptr;
    }
    return certificate_from(dtls::Credential::from_files(certificate_path, private_key_path));
}

PCCERT_CONTEXT DtlsSspiCertificateFromMemory(const void* certificate, DWORD cb_certificate, const void* private_key,
                                             DWORD cb_private_key) {
    if (!certificate || !private_key || !cb_certificate || !cb_private_key) {
        fail(SEC_E_INVALID_PARAMETER, "a certificate and a private key are needed");
        return nullptr;
    }
    std::span<const uint8_t> cert(static_cast<const uint8_t*>(certificate), cb_certificate);
    std::span<const uint8_t> key(static_cast<const uint8_t*>(private_key), cb_private_key);
    if (looks_like_pem(cert) && looks_like_pem(key)) {
        return certificate_from(dtls::Credential::from_pem(
            std::string_view(reinterpret_cast<const char*>(cert.data()), cert.size()),
            std::string_view(reinterpret_cast<const char*>(key.data()), key.size())));
    }
    dtls::Bytes der(cert.begin(), cert.end());
    return certificate_from(dtls::Credential::from_der(std::span<const dtls::Bytes>(&der, 1), key));
}

HCERTSTORE DtlsSspiOpenCaFile(const char* path) {
    clear_last_error();
    if (!path) {
        fail(SEC_E_INVALID_PARAMETER, "no CA path given");
        return nullptr;
    }
    std::ifstream probe(path);
    if (!probe) {
        fail(SEC_E_INVALID_PARAMETER, std::string("cannot read CA file or directory '") + path + "'");
        return nullptr;
    }
    auto store = std::make_unique<StoreObject>();
    std::ifstream file(path, std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    // A directory opens as a stream that reads nothing.
    if (text.str().empty()) {
        store->ca_path = path;
    } else {
        store->ca_file = path;
    }
    return register_store(std::move(store));
}

HCERTSTORE DtlsSspiOpenCaMemory(const void* pem, DWORD cb_pem) {
    clear_last_error();
    if (!pem || !cb_pem) {
        fail(SEC_E_INVALID_PARAMETER, "no CA PEM given");
        return nullptr;
    }
    auto store = std::make_unique<StoreObject>();
    store->ca_pem.assign(static_cast<const char*>(pem), cb_pem);
    return register_store(std::move(store));
}

BOOL WINAPI CertFreeCertificateContext(PCCERT_CONTEXT pCertContext) {
    // Windows accepts NULL; so do we.
    if (pCertContext) release_certificate(pCertContext);
    return TRUE;
}

PCCERT_CONTEXT WINAPI CertDuplicateCertificateContext(PCCERT_CONTEXT pCertContext) {
    std::shared_ptr<CertificateObject> original = find_certificate(pCertContext);
    if (!original) return nullptr;
    auto copy = std::make_unique<CertificateObject>();
    copy->der = original->der;
    copy->credential = original->credential;
    return register_certificate(std::move(copy));
}

BOOL WINAPI CertCloseStore(HCERTSTORE hCertStore, DWORD) {
    if (hCertStore) release_store(hCertStore);
    return TRUE;
}

}  // extern "C"
