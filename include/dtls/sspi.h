/** @file
 * The Schannel DTLS surface of SSPI, on top of the dtls engine.
 *
 * Names, structure layouts, flags, buffer types and status codes are those of
 * the Windows SDK headers sspi.h, schannel.h, winerror.h and the parts of
 * wincrypt.h that DTLS code touches, with the same numeric values, so Schannel
 * DTLS code compiles unchanged. Plain C: compiles as C99 and as C++.
 *
 * Where this differs from Windows, docs/sspi.md ("Differences from Windows")
 * lists every point and what was chosen; the ones that shape this header:
 *  - Windows base types are defined here with their Windows sizes (ULONG and
 *    LONG are 32 bits, as on Windows, even where C's long is 64 bits);
 *    WCHAR is the platform's wchar_t so that L"..." literals still work.
 *  - Certificates come from PEM or DER files or memory through the
 *    DtlsSspi* extension functions below, not from Windows certificate stores.
 *  - Extensions for the things Windows leaves to the registry or never says:
 *    the last error's text, the retransmission timer, the clock.
 *
 * Define DTLS_SSPI_NO_WINDOWS_TYPES if another header already defines the
 * Windows base types (DWORD, ULONG, ...).
 *
 * The comments here describe each family of SDK names once (status codes,
 * flags, attributes) and say what this library does with them;
 * docs/sspi.md describes every call, status and buffer for DTLS.
 */
#ifndef DTLS_SSPI_H
#define DTLS_SSPI_H

#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Windows base types ------------------------------------------------ */

#ifndef DTLS_SSPI_NO_WINDOWS_TYPES
/** @name Windows base types */
/** A Windows base type with its Windows size (WCHAR: the platform's wchar_t), or a pointer to
    one (the P and LP names). None is defined when DTLS_SSPI_NO_WINDOWS_TYPES is. @{ */
typedef int32_t LONG;
typedef uint32_t ULONG, *PULONG;
typedef uint32_t DWORD, *PDWORD;
typedef unsigned short USHORT, *PUSHORT;
typedef unsigned short WORD;
typedef unsigned char UCHAR, *PUCHAR;
typedef unsigned char BYTE, *PBYTE;
typedef char CHAR;
typedef wchar_t WCHAR;
typedef int BOOL;
typedef int64_t LONGLONG;
typedef uint64_t ULONGLONG;
typedef uintptr_t ULONG_PTR;
typedef intptr_t INT_PTR;
typedef void *PVOID;
typedef void *HANDLE;
typedef CHAR *LPSTR, *PSTR;
typedef const CHAR *LPCSTR, *PCSTR;
typedef WCHAR *LPWSTR, *PWSTR;
typedef const WCHAR *LPCWSTR, *PCWSTR;
/** @} */
/** A locally unique identifier: AcquireCredentialsHandle's pvLogonId, which is ignored here. */
typedef struct _LUID {
    DWORD LowPart; /**< low 32 bits */
    LONG HighPart; /**< high 32 bits */
} LUID, *PLUID; /**< Pointer to a LUID. */
#ifndef TRUE
#define TRUE 1 /**< BOOL true. */
#endif
#ifndef FALSE
#define FALSE 0 /**< BOOL false. */
#endif
#ifndef ANYSIZE_ARRAY
#define ANYSIZE_ARRAY 1 /**< The declared length of an array that ends a structure and is longer in memory. */
#endif
#ifndef INFINITE
#define INFINITE 0xFFFFFFFF /**< No timeout (DTLSSSPI_ATTR_NEXT_TIMEOUT when no timer runs). */
#endif
#ifndef __UNICODE_STRING_DEFINED__
#define __UNICODE_STRING_DEFINED__ /**< Marks UNICODE_STRING as defined (the guard other headers use too). */
/** A counted wide string (TLS_PARAMETERS, CRYPTO_SETTINGS: read nowhere here). */
typedef struct _UNICODE_STRING {
    USHORT Length;        /**< bytes, without a terminator */
    USHORT MaximumLength; /**< bytes */
    PWSTR Buffer;         /**< the characters */
} UNICODE_STRING, *PUNICODE_STRING; /**< Pointer to a UNICODE_STRING. */
#endif
#endif /* DTLS_SSPI_NO_WINDOWS_TYPES */

/** @name Calling conventions */
/** A Windows calling-convention marker: empty here. @{ */
#define SEC_ENTRY
#define SEC_FAR
#ifndef WINAPI
#define WINAPI
#endif
/** @} */

/* ---- wincrypt.h: the parts Schannel code uses ---------------------------- */

typedef unsigned int ALG_ID; /**< An algorithm identifier (CALG_*). */
/** A certificate store: here, only the trusted roots of DtlsSspiOpenCaFile and DtlsSspiOpenCaMemory. */
typedef void *HCERTSTORE;
typedef ULONG_PTR HCRYPTPROV; /**< A CryptoAPI provider handle: used by nothing here. */
struct _CERT_INFO;
/** Windows' decoded certificate fields: never provided here. */
typedef struct _CERT_INFO *PCERT_INFO;

/** A certificate: from DtlsSspiCertificateFromFiles or DtlsSspiCertificateFromMemory (with its
    private key), from SECPKG_ATTR_REMOTE_CERT_CONTEXT (the peer's leaf) or from
    CertDuplicateCertificateContext. Free each with CertFreeCertificateContext. */
typedef struct _CERT_CONTEXT {
    DWORD dwCertEncodingType; /**< X509_ASN_ENCODING | PKCS_7_ASN_ENCODING */
    BYTE *pbCertEncoded;      /**< DER of the certificate */
    DWORD cbCertEncoded;      /**< bytes at pbCertEncoded */
    PCERT_INFO pCertInfo;     /**< always NULL here: parse pbCertEncoded instead */
    HCERTSTORE hCertStore;    /**< always NULL here */
} CERT_CONTEXT, *PCERT_CONTEXT; /**< Pointer to a CERT_CONTEXT. */
typedef const CERT_CONTEXT *PCCERT_CONTEXT; /**< A certificate, as the functions take and return it. */

/** @name Certificate encodings */
/** A certificate encoding type (CERT_CONTEXT::dwCertEncodingType). @{ */
#define X509_ASN_ENCODING 0x00000001
#define PKCS_7_ASN_ENCODING 0x00010000
/** @} */

/** @name Algorithm identifiers (ALG_ID) */
/** An ALG_ID with its Windows value. SECPKG_ATTR_CONNECTION_INFO reports the cipher, hash and
    key exchange with these; SCHANNEL_CRED::palgSupportedAlgs is ignored. @{ */
#define CALG_RSA_SIGN 0x00002400
#define CALG_RSA_KEYX 0x0000a400
#define CALG_ECDSA 0x00002203
#define CALG_ECDH 0x0000aa05
#define CALG_ECDH_EPHEM 0x0000ae06
#define CALG_AES_128 0x0000660e
#define CALG_AES_192 0x0000660f
#define CALG_AES_256 0x00006610
#define CALG_AES 0x00006611
#define CALG_SHA_256 0x0000800c
#define CALG_SHA_384 0x0000800d
#define CALG_SHA_512 0x0000800e
/** @} */

/** Frees a certificate made by this library; NULL is accepted. Returns TRUE. */
BOOL WINAPI CertFreeCertificateContext(PCCERT_CONTEXT pCertContext);
/** A new pointer to the same certificate (and key), to be freed separately; NULL if
    pCertContext was not made by this library. Windows returns the same pointer with a reference
    added. */
PCCERT_CONTEXT WINAPI CertDuplicateCertificateContext(PCCERT_CONTEXT pCertContext);
/** Closes a store made by DtlsSspiOpenCaFile or DtlsSspiOpenCaMemory (dwFlags is ignored);
    credentials acquired with it keep what they need. Returns TRUE. */
BOOL WINAPI CertCloseStore(HCERTSTORE hCertStore, DWORD dwFlags);

/* ---- sspi.h: handles, buffers, status ------------------------------------ */

typedef WCHAR SEC_WCHAR; /**< The character of the W functions. */
typedef CHAR SEC_CHAR;   /**< The character of the A functions. */
/** What the SSPI functions return: SEC_E_OK, a SEC_I_ status (positive) or a SEC_E_ failure (negative). */
typedef LONG SECURITY_STATUS;

/** A credential or context handle. A stale handle, or one of the other kind, is refused with
    SEC_E_INVALID_HANDLE. */
typedef struct _SecHandle {
    ULONG_PTR dwLower; /**< opaque */
    ULONG_PTR dwUpper; /**< opaque */
} SecHandle, *PSecHandle; /**< Pointer to a SecHandle. */
typedef SecHandle CredHandle;   /**< A credential handle (AcquireCredentialsHandle). */
typedef PSecHandle PCredHandle; /**< Pointer to a CredHandle. */
/** A context handle: one DTLS association (InitializeSecurityContext, AcceptSecurityContext). */
typedef SecHandle CtxtHandle;
typedef PSecHandle PCtxtHandle; /**< Pointer to a CtxtHandle. */

/** Marks a handle invalid (both words all ones). */
#define SecInvalidateHandle(x)                                  \
    do {                                                        \
        ((PSecHandle)(x))->dwLower = ((ULONG_PTR)((INT_PTR)-1)); \
        ((PSecHandle)(x))->dwUpper = ((ULONG_PTR)((INT_PTR)-1)); \
    } while (0)
/** Whether a handle is not marked invalid (it may still be stale). */
#define SecIsValidHandle(x)                                        \
    ((((PSecHandle)(x))->dwLower != ((ULONG_PTR)((INT_PTR)-1))) && \
     (((PSecHandle)(x))->dwUpper != ((ULONG_PTR)((INT_PTR)-1))))

/** A 64-bit value in two halves. */
typedef struct _SECURITY_INTEGER {
    ULONG LowPart; /**< low 32 bits */
    LONG HighPart; /**< high 32 bits */
} SECURITY_INTEGER, *PSECURITY_INTEGER; /**< Pointer to a SECURITY_INTEGER. */
/** An expiry time (the ptsExpiry arguments): always the far future here. */
typedef SECURITY_INTEGER TimeStamp, *PTimeStamp; /**< Pointer to a TimeStamp. */

/** One buffer of a SecBufferDesc. */
typedef struct _SecBuffer {
    ULONG cbBuffer;   /**< its length in bytes */
    ULONG BufferType; /**< SECBUFFER_ type (attribute bits such as SECBUFFER_READONLY are ignored) */
    PVOID pvBuffer;   /**< its memory */
} SecBuffer, *PSecBuffer; /**< Pointer to a SecBuffer. */

/** The input or output buffers of a call. */
typedef struct _SecBufferDesc {
    ULONG ulVersion;     /**< SECBUFFER_VERSION (not checked here) */
    ULONG cBuffers;      /**< how many buffers pBuffers holds */
    PSecBuffer pBuffers; /**< the buffers */
} SecBufferDesc, *PSecBufferDesc; /**< Pointer to a SecBufferDesc. */

#define SECBUFFER_VERSION 0 /**< SecBufferDesc::ulVersion. */

/** @name Buffer types (SecBuffer::BufferType) */
/** A buffer type with its Windows value. docs/sspi.md says which ones each call reads and
    writes. @{ */
#define SECBUFFER_EMPTY 0
#define SECBUFFER_DATA 1
#define SECBUFFER_TOKEN 2
#define SECBUFFER_PKG_PARAMS 3
#define SECBUFFER_MISSING 4
#define SECBUFFER_EXTRA 5
#define SECBUFFER_STREAM_TRAILER 6
#define SECBUFFER_STREAM_HEADER 7
#define SECBUFFER_NEGOTIATION_INFO 8
#define SECBUFFER_PADDING 9
#define SECBUFFER_STREAM 10
#define SECBUFFER_MECHLIST 11
#define SECBUFFER_MECHLIST_SIGNATURE 12
#define SECBUFFER_TARGET 13
#define SECBUFFER_CHANNEL_BINDINGS 14
#define SECBUFFER_CHANGE_PASS_RESPONSE 15
#define SECBUFFER_TARGET_HOST 16
#define SECBUFFER_ALERT 17
#define SECBUFFER_APPLICATION_PROTOCOLS 18
#define SECBUFFER_SRTP_PROTECTION_PROFILES 19
#define SECBUFFER_SRTP_MASTER_KEY_IDENTIFIER 20
#define SECBUFFER_TOKEN_BINDING 21
#define SECBUFFER_PRESHARED_KEY 22
#define SECBUFFER_PRESHARED_KEY_IDENTITY 23
#define SECBUFFER_DTLS_MTU 24
/** @} */

/** @name Buffer attribute bits */
/** A bit that may be OR-ed into a buffer type: ignored here. @{ */
#define SECBUFFER_ATTRMASK 0xF0000000
#define SECBUFFER_READONLY 0x80000000
#define SECBUFFER_READONLY_WITH_CHECKSUM 0x10000000
#define SECBUFFER_RESERVED 0x60000000
/** @} */

/** The contents of a SECBUFFER_DTLS_MTU input buffer. */
typedef struct _SEC_DTLS_MTU {
    unsigned short PathMTU; /**< the MTU in bytes, 200 to 65535 */
} SEC_DTLS_MTU, *PSEC_DTLS_MTU; /**< Pointer to a SEC_DTLS_MTU. */

/** Whether a protocol was agreed (SecPkgContext_ApplicationProtocol::ProtoNegoStatus). */
typedef enum _SEC_APPLICATION_PROTOCOL_NEGOTIATION_STATUS {
    SecApplicationProtocolNegotiationStatus_None,
    SecApplicationProtocolNegotiationStatus_Success,
    SecApplicationProtocolNegotiationStatus_SelectedClientOnly
} SEC_APPLICATION_PROTOCOL_NEGOTIATION_STATUS,
    *PSEC_APPLICATION_PROTOCOL_NEGOTIATION_STATUS; /**< Pointer to a SEC_APPLICATION_PROTOCOL_NEGOTIATION_STATUS. */

/** The extension a protocol list or result is for: only ALPN is used here. */
typedef enum _SEC_APPLICATION_PROTOCOL_NEGOTIATION_EXT {
    SecApplicationProtocolNegotiationExt_None,
    SecApplicationProtocolNegotiationExt_NPN,
    SecApplicationProtocolNegotiationExt_ALPN
} SEC_APPLICATION_PROTOCOL_NEGOTIATION_EXT,
    *PSEC_APPLICATION_PROTOCOL_NEGOTIATION_EXT; /**< Pointer to a SEC_APPLICATION_PROTOCOL_NEGOTIATION_EXT. */

/** One list of a SECBUFFER_APPLICATION_PROTOCOLS input buffer (SEC_APPLICATION_PROTOCOLS):
    protocol names, each name preceded by its one-byte length (RFC 7301). */
typedef struct _SEC_APPLICATION_PROTOCOL_LIST {
    SEC_APPLICATION_PROTOCOL_NEGOTIATION_EXT ProtoNegoExt; /**< lists other than ALPN are skipped */
    unsigned short ProtocolListSize;                       /**< bytes in ProtocolList */
    unsigned char ProtocolList[ANYSIZE_ARRAY];             /**< the length-prefixed names */
} SEC_APPLICATION_PROTOCOL_LIST, *PSEC_APPLICATION_PROTOCOL_LIST; /**< Pointer to a SEC_APPLICATION_PROTOCOL_LIST. */

/** The contents of a SECBUFFER_APPLICATION_PROTOCOLS input buffer (first call only, either side). */
typedef struct _SEC_APPLICATION_PROTOCOLS {
    ULONG ProtocolListsSize;                                    /**< bytes in ProtocolLists */
    SEC_APPLICATION_PROTOCOL_LIST ProtocolLists[ANYSIZE_ARRAY]; /**< the lists, one after another */
} SEC_APPLICATION_PROTOCOLS, *PSEC_APPLICATION_PROTOCOLS; /**< Pointer to a SEC_APPLICATION_PROTOCOLS. */

/** @name Status codes (winerror.h) */
/** A SECURITY_STATUS with its Windows value. docs/sspi.md says when each call returns which,
    and DtlsSspiLastError() says why a call failed. @{ */
#define SEC_E_OK ((SECURITY_STATUS)0x00000000)
#define SEC_E_INSUFFICIENT_MEMORY ((SECURITY_STATUS)0x80090300)
#define SEC_E_INVALID_HANDLE ((SECURITY_STATUS)0x80090301)
#define SEC_E_UNSUPPORTED_FUNCTION ((SECURITY_STATUS)0x80090302)
#define SEC_E_TARGET_UNKNOWN ((SECURITY_STATUS)0x80090303)
#define SEC_E_INTERNAL_ERROR ((SECURITY_STATUS)0x80090304)
#define SEC_E_SECPKG_NOT_FOUND ((SECURITY_STATUS)0x80090305)
#define SEC_E_NOT_OWNER ((SECURITY_STATUS)0x80090306)
#define SEC_E_INVALID_TOKEN ((SECURITY_STATUS)0x80090308)
#define SEC_E_CANNOT_PACK ((SECURITY_STATUS)0x80090309)
#define SEC_E_QOP_NOT_SUPPORTED ((SECURITY_STATUS)0x8009030A)
#define SEC_E_UNKNOWN_CREDENTIALS ((SECURITY_STATUS)0x8009030D)
#define SEC_E_NO_CREDENTIALS ((SECURITY_STATUS)0x8009030E)
#define SEC_E_MESSAGE_ALTERED ((SECURITY_STATUS)0x8009030F)
#define SEC_E_OUT_OF_SEQUENCE ((SECURITY_STATUS)0x80090310)
#define SEC_I_CONTINUE_NEEDED ((SECURITY_STATUS)0x00090312)
#define SEC_I_COMPLETE_NEEDED ((SECURITY_STATUS)0x00090313)
#define SEC_I_COMPLETE_AND_CONTINUE ((SECURITY_STATUS)0x00090314)
#define SEC_E_CONTEXT_EXPIRED ((SECURITY_STATUS)0x80090317)
#define SEC_I_CONTEXT_EXPIRED ((SECURITY_STATUS)0x00090317)
#define SEC_E_INCOMPLETE_MESSAGE ((SECURITY_STATUS)0x80090318)
#define SEC_E_INCOMPLETE_CREDENTIALS ((SECURITY_STATUS)0x80090320)
#define SEC_I_INCOMPLETE_CREDENTIALS ((SECURITY_STATUS)0x00090320)
#define SEC_E_BUFFER_TOO_SMALL ((SECURITY_STATUS)0x80090321)
#define SEC_I_RENEGOTIATE ((SECURITY_STATUS)0x00090321)
#define SEC_E_WRONG_PRINCIPAL ((SECURITY_STATUS)0x80090322)
#define SEC_E_TIME_SKEW ((SECURITY_STATUS)0x80090324)
#define SEC_E_UNTRUSTED_ROOT ((SECURITY_STATUS)0x80090325)
#define SEC_E_ILLEGAL_MESSAGE ((SECURITY_STATUS)0x80090326)
#define SEC_E_CERT_UNKNOWN ((SECURITY_STATUS)0x80090327)
#define SEC_E_CERT_EXPIRED ((SECURITY_STATUS)0x80090328)
#define SEC_E_ENCRYPT_FAILURE ((SECURITY_STATUS)0x80090329)
#define SEC_E_DECRYPT_FAILURE ((SECURITY_STATUS)0x80090330)
#define SEC_E_ALGORITHM_MISMATCH ((SECURITY_STATUS)0x80090331)
#define SEC_E_UNFINISHED_CONTEXT_DELETED ((SECURITY_STATUS)0x80090333)
#define SEC_E_WRONG_CREDENTIAL_HANDLE ((SECURITY_STATUS)0x80090336)
#define SEC_E_CERT_WRONG_USAGE ((SECURITY_STATUS)0x80090349)
#define SEC_I_SIGNATURE_NEEDED ((SECURITY_STATUS)0x0009035C)
#define SEC_E_INVALID_PARAMETER ((SECURITY_STATUS)0x8009035D)
#define SEC_I_NO_RENEGOTIATION ((SECURITY_STATUS)0x00090360)
#define SEC_E_NO_CONTEXT ((SECURITY_STATUS)0x80090361)
#define SEC_I_MESSAGE_FRAGMENT ((SECURITY_STATUS)0x00090364)
#define SEC_I_CONTINUE_NEEDED_MESSAGE_OK ((SECURITY_STATUS)0x00090366)
#define SEC_E_APPLICATION_PROTOCOL_MISMATCH ((SECURITY_STATUS)0x80090367)
#define SEC_E_EXT_BUFFER_TOO_SMALL ((SECURITY_STATUS)0x8009036A)
#define SEC_E_INSUFFICIENT_BUFFERS ((SECURITY_STATUS)0x8009036B)
/** @} */

/* ---- Package information ------------------------------------------------ */

/** What QuerySecurityPackageInfoA reports about the package. */
typedef struct _SecPkgInfoA {
    ULONG fCapabilities; /**< SECPKG_FLAG_ capabilities */
    USHORT wVersion;     /**< 1 */
    USHORT wRPCID;       /**< UNISP_RPC_ID */
    ULONG cbMaxToken;    /**< the largest token: 65535 bytes */
    SEC_CHAR *Name;      /**< UNISP_NAME */
    SEC_CHAR *Comment;   /**< a description */
} SecPkgInfoA, *PSecPkgInfoA; /**< Pointer to a SecPkgInfoA. */

/** What QuerySecurityPackageInfoW reports about the package. */
typedef struct _SecPkgInfoW {
    ULONG fCapabilities; /**< SECPKG_FLAG_ capabilities */
    USHORT wVersion;     /**< 1 */
    USHORT wRPCID;       /**< UNISP_RPC_ID */
    ULONG cbMaxToken;    /**< the largest token: 65535 bytes */
    SEC_WCHAR *Name;     /**< UNISP_NAME */
    SEC_WCHAR *Comment;  /**< a description */
} SecPkgInfoW, *PSecPkgInfoW; /**< Pointer to a SecPkgInfoW. */

/** @name Package capabilities */
/** A capability bit (SecPkgInfo::fCapabilities) with its Windows value. @{ */
#define SECPKG_FLAG_INTEGRITY 0x00000001
#define SECPKG_FLAG_PRIVACY 0x00000002
#define SECPKG_FLAG_TOKEN_ONLY 0x00000004
#define SECPKG_FLAG_DATAGRAM 0x00000008
#define SECPKG_FLAG_CONNECTION 0x00000010
#define SECPKG_FLAG_MULTI_REQUIRED 0x00000020
#define SECPKG_FLAG_CLIENT_ONLY 0x00000040
#define SECPKG_FLAG_EXTENDED_ERROR 0x00000080
#define SECPKG_FLAG_IMPERSONATION 0x00000100
#define SECPKG_FLAG_ACCEPT_WIN32_NAME 0x00000200
#define SECPKG_FLAG_STREAM 0x00000400
#define SECPKG_FLAG_NEGOTIABLE 0x00000800
#define SECPKG_FLAG_GSS_COMPATIBLE 0x00001000
#define SECPKG_FLAG_LOGON 0x00002000
#define SECPKG_FLAG_ASCII_BUFFERS 0x00004000
#define SECPKG_FLAG_FRAGMENT 0x00008000
#define SECPKG_FLAG_MUTUAL_AUTH 0x00010000
#define SECPKG_FLAG_DELEGATION 0x00020000
/** @} */

/* ---- Credentials ------------------------------------------------------- */

/** @name Credential use */
/** AcquireCredentialsHandle's fCredentialUse: INBOUND accepts (server), OUTBOUND initiates
    (client), BOTH does both; DEFAULT alone is refused. @{ */
#define SECPKG_CRED_INBOUND 0x00000001
#define SECPKG_CRED_OUTBOUND 0x00000002
#define SECPKG_CRED_BOTH 0x00000003
#define SECPKG_CRED_DEFAULT 0x00000004
/** @} */

/** AcquireCredentialsHandle's key callback: never called here. */
typedef void(SEC_ENTRY *SEC_GET_KEY_FN)(void *Arg, void *Principal, ULONG KeyVer, void **Key,
                                        SECURITY_STATUS *Status);

/* ---- Context requirements and attributes --------------------------------- */

/** @name InitializeSecurityContext requests */
/** A bit of InitializeSecurityContext's fContextReq, with its Windows value. ISC_REQ_DATAGRAM
    is required; ISC_REQ_ALLOCATE_MEMORY and ISC_REQ_MANUAL_CRED_VALIDATION are honoured; the
    others are ignored (ISC_REQ_EXTENDED_ERROR is only echoed in the attributes returned). @{ */
#define ISC_REQ_DELEGATE 0x00000001
#define ISC_REQ_MUTUAL_AUTH 0x00000002
#define ISC_REQ_REPLAY_DETECT 0x00000004
#define ISC_REQ_SEQUENCE_DETECT 0x00000008
#define ISC_REQ_CONFIDENTIALITY 0x00000010
#define ISC_REQ_USE_SESSION_KEY 0x00000020
#define ISC_REQ_PROMPT_FOR_CREDS 0x00000040
#define ISC_REQ_USE_SUPPLIED_CREDS 0x00000080
#define ISC_REQ_ALLOCATE_MEMORY 0x00000100
#define ISC_REQ_USE_DCE_STYLE 0x00000200
#define ISC_REQ_DATAGRAM 0x00000400
#define ISC_REQ_CONNECTION 0x00000800
#define ISC_REQ_CALL_LEVEL 0x00001000
#define ISC_REQ_FRAGMENT_SUPPLIED 0x00002000
#define ISC_REQ_EXTENDED_ERROR 0x00004000
#define ISC_REQ_STREAM 0x00008000
#define ISC_REQ_INTEGRITY 0x00010000
#define ISC_REQ_IDENTIFY 0x00020000
#define ISC_REQ_NULL_SESSION 0x00040000
#define ISC_REQ_MANUAL_CRED_VALIDATION 0x00080000
#define ISC_REQ_RESERVED1 0x00100000
#define ISC_REQ_FRAGMENT_TO_FIT 0x00200000
/** @} */

/** @name InitializeSecurityContext attributes */
/** A bit InitializeSecurityContext returns in *pfContextAttr, with its Windows value. Returned
    here: DATAGRAM, CONFIDENTIALITY, REPLAY_DETECT, SEQUENCE_DETECT and INTEGRITY, and
    ALLOCATED_MEMORY, EXTENDED_ERROR and MANUAL_CRED_VALIDATION when requested. @{ */
#define ISC_RET_DELEGATE 0x00000001
#define ISC_RET_MUTUAL_AUTH 0x00000002
#define ISC_RET_REPLAY_DETECT 0x00000004
#define ISC_RET_SEQUENCE_DETECT 0x00000008
#define ISC_RET_CONFIDENTIALITY 0x00000010
#define ISC_RET_USE_SESSION_KEY 0x00000020
#define ISC_RET_USED_COLLECTED_CREDS 0x00000040
#define ISC_RET_USED_SUPPLIED_CREDS 0x00000080
#define ISC_RET_ALLOCATED_MEMORY 0x00000100
#define ISC_RET_USED_DCE_STYLE 0x00000200
#define ISC_RET_DATAGRAM 0x00000400
#define ISC_RET_CONNECTION 0x00000800
#define ISC_RET_INTERMEDIATE_RETURN 0x00001000
#define ISC_RET_CALL_LEVEL 0x00002000
#define ISC_RET_EXTENDED_ERROR 0x00004000
#define ISC_RET_STREAM 0x00008000
#define ISC_RET_INTEGRITY 0x00010000
#define ISC_RET_IDENTIFY 0x00020000
#define ISC_RET_NULL_SESSION 0x00040000
#define ISC_RET_MANUAL_CRED_VALIDATION 0x00080000
#define ISC_RET_RESERVED1 0x00100000
#define ISC_RET_FRAGMENT_ONLY 0x00200000
/** @} */

/** @name AcceptSecurityContext requests */
/** A bit of AcceptSecurityContext's fContextReq, with its Windows value. ASC_REQ_DATAGRAM is
    required, ASC_REQ_ALLOCATE_MEMORY is honoured and ASC_REQ_MUTUAL_AUTH asks the client for a
    certificate; the others are ignored (ASC_REQ_EXTENDED_ERROR is only echoed in the attributes
    returned). @{ */
#define ASC_REQ_DELEGATE 0x00000001
#define ASC_REQ_MUTUAL_AUTH 0x00000002
#define ASC_REQ_REPLAY_DETECT 0x00000004
#define ASC_REQ_SEQUENCE_DETECT 0x00000008
#define ASC_REQ_CONFIDENTIALITY 0x00000010
#define ASC_REQ_USE_SESSION_KEY 0x00000020
#define ASC_REQ_ALLOCATE_MEMORY 0x00000100
#define ASC_REQ_USE_DCE_STYLE 0x00000200
#define ASC_REQ_DATAGRAM 0x00000400
#define ASC_REQ_CONNECTION 0x00000800
#define ASC_REQ_CALL_LEVEL 0x00001000
#define ASC_REQ_FRAGMENT_SUPPLIED 0x00002000
#define ASC_REQ_EXTENDED_ERROR 0x00008000
#define ASC_REQ_STREAM 0x00010000
#define ASC_REQ_INTEGRITY 0x00020000
#define ASC_REQ_LICENSING 0x00040000
#define ASC_REQ_IDENTIFY 0x00080000
#define ASC_REQ_ALLOW_NULL_SESSION 0x00100000
#define ASC_REQ_ALLOW_NON_USER_LOGONS 0x00200000
#define ASC_REQ_ALLOW_CONTEXT_REPLAY 0x00400000
#define ASC_REQ_FRAGMENT_TO_FIT 0x00800000
#define ASC_REQ_FRAGMENT_NO_TOKEN 0x01000000
/** @} */

/** @name AcceptSecurityContext attributes */
/** A bit AcceptSecurityContext returns in *pfContextAttr, with its Windows value. Returned
    here: DATAGRAM, CONFIDENTIALITY, REPLAY_DETECT, SEQUENCE_DETECT and INTEGRITY, and
    ALLOCATED_MEMORY, EXTENDED_ERROR and MUTUAL_AUTH when requested. @{ */
#define ASC_RET_DELEGATE 0x00000001
#define ASC_RET_MUTUAL_AUTH 0x00000002
#define ASC_RET_REPLAY_DETECT 0x00000004
#define ASC_RET_SEQUENCE_DETECT 0x00000008
#define ASC_RET_CONFIDENTIALITY 0x00000010
#define ASC_RET_USE_SESSION_KEY 0x00000020
#define ASC_RET_ALLOCATED_MEMORY 0x00000100
#define ASC_RET_USED_DCE_STYLE 0x00000200
#define ASC_RET_DATAGRAM 0x00000400
#define ASC_RET_CONNECTION 0x00000800
#define ASC_RET_CALL_LEVEL 0x00002000
#define ASC_RET_THIRD_LEG_FAILED 0x00004000
#define ASC_RET_EXTENDED_ERROR 0x00008000
#define ASC_RET_STREAM 0x00010000
#define ASC_RET_INTEGRITY 0x00020000
#define ASC_RET_LICENSING 0x00040000
#define ASC_RET_IDENTIFY 0x00080000
#define ASC_RET_NULL_SESSION 0x00100000
#define ASC_RET_ALLOW_NON_USER_LOGONS 0x00200000
#define ASC_RET_ALLOW_CONTEXT_REPLAY 0x00400000
#define ASC_RET_FRAGMENT_ONLY 0x00800000
#define ASC_RET_NO_TOKEN 0x01000000
/** @} */

/** @name Data representations */
/** A TargetDataRep value: ignored here. @{ */
#define SECURITY_NATIVE_DREP 0x00000010
#define SECURITY_NETWORK_DREP 0x00000000
/** @} */

/** @name Context attributes (sspi.h) */
/** An attribute of QueryContextAttributes or SetContextAttributes, with its Windows value.
    docs/sspi.md lists those supported; the others give SEC_E_UNSUPPORTED_FUNCTION. @{ */
#define SECPKG_ATTR_SIZES 0
#define SECPKG_ATTR_NAMES 1
#define SECPKG_ATTR_LIFESPAN 2
#define SECPKG_ATTR_DCE_INFO 3
#define SECPKG_ATTR_STREAM_SIZES 4
#define SECPKG_ATTR_KEY_INFO 5
#define SECPKG_ATTR_AUTHORITY 6
#define SECPKG_ATTR_PROTO_INFO 7
#define SECPKG_ATTR_PASSWORD_EXPIRY 8
#define SECPKG_ATTR_SESSION_KEY 9
#define SECPKG_ATTR_PACKAGE_INFO 10
#define SECPKG_ATTR_USER_FLAGS 11
#define SECPKG_ATTR_NEGOTIATION_INFO 12
#define SECPKG_ATTR_NATIVE_NAMES 13
#define SECPKG_ATTR_FLAGS 14
#define SECPKG_ATTR_DTLS_MTU 34
#define SECPKG_ATTR_DATAGRAM_SIZES SECPKG_ATTR_STREAM_SIZES
#define SECPKG_ATTR_APPLICATION_PROTOCOL 35
/** @} */

/** SECPKG_ATTR_SIZES. */
typedef struct _SecPkgContext_Sizes {
    ULONG cbMaxToken;        /**< the largest token (a datagram): 65535 */
    ULONG cbMaxSignature;    /**< 0 */
    ULONG cbBlockSize;       /**< 1 */
    ULONG cbSecurityTrailer; /**< the AEAD tag: 16 */
} SecPkgContext_Sizes, *PSecPkgContext_Sizes; /**< Pointer to a SecPkgContext_Sizes. */

/** SECPKG_ATTR_STREAM_SIZES, the same as SECPKG_ATTR_DATAGRAM_SIZES: the buffers EncryptMessage
    needs, once the handshake is complete. Query again after changing the MTU. */
typedef struct _SecPkgContext_StreamSizes {
    ULONG cbHeader;         /**< the record header and explicit nonce: 21 for AES-GCM, 13 for ChaCha20-Poly1305 */
    ULONG cbTrailer;        /**< the AEAD tag: 16 */
    ULONG cbMaximumMessage; /**< the largest message that fits one datagram at the current MTU */
    ULONG cBuffers;         /**< 4 */
    ULONG cbBlockSize;      /**< 1 */
} SecPkgContext_StreamSizes, *PSecPkgContext_StreamSizes; /**< Pointer to a SecPkgContext_StreamSizes. */
/** SECPKG_ATTR_DATAGRAM_SIZES: the same structure. */
typedef SecPkgContext_StreamSizes SecPkgContext_DatagramSizes,
    *PSecPkgContext_DatagramSizes; /**< Pointer to a SecPkgContext_DatagramSizes. */

#define MAX_PROTOCOL_ID_SIZE 0xff /**< The size of SecPkgContext_ApplicationProtocol::ProtocolId. */

/** SECPKG_ATTR_APPLICATION_PROTOCOL: the ALPN protocol agreed. */
typedef struct _SecPkgContext_ApplicationProtocol {
    SEC_APPLICATION_PROTOCOL_NEGOTIATION_STATUS ProtoNegoStatus; /**< _Success, or _None when none was agreed */
    SEC_APPLICATION_PROTOCOL_NEGOTIATION_EXT ProtoNegoExt;       /**< _ALPN when one was agreed */
    unsigned char ProtocolIdSize;                                /**< the length of its name */
    unsigned char ProtocolId[MAX_PROTOCOL_ID_SIZE];              /**< its name, ProtocolIdSize bytes */
} SecPkgContext_ApplicationProtocol,
    *PSecPkgContext_ApplicationProtocol; /**< Pointer to a SecPkgContext_ApplicationProtocol. */

/* ---- schannel.h --------------------------------------------------------- */

/** @name Package names */
/** A package name that AcquireCredentialsHandle and QuerySecurityPackageInfo accept (any other
    is SEC_E_SECPKG_NOT_FOUND). UNISP_NAME and SCHANNEL_NAME are the W name when UNICODE is
    defined, else the A name. @{ */
#define UNISP_NAME_A "Microsoft Unified Security Protocol Provider"
#define UNISP_NAME_W L"Microsoft Unified Security Protocol Provider"
#define SCHANNEL_NAME_A "Schannel"
#define SCHANNEL_NAME_W L"Schannel"
#ifdef UNICODE
#define UNISP_NAME UNISP_NAME_W
#define SCHANNEL_NAME SCHANNEL_NAME_W
#else
#define UNISP_NAME UNISP_NAME_A
#define SCHANNEL_NAME SCHANNEL_NAME_A
#endif
/** @} */
#define UNISP_RPC_ID 14 /**< SecPkgInfo::wRPCID of this package. */

/** @name Context attributes (schannel.h) */
/** An attribute of QueryContextAttributes or SetContextAttributes, with its Windows value.
    docs/sspi.md lists those supported; the others give SEC_E_UNSUPPORTED_FUNCTION. @{ */
#define SECPKG_ATTR_REMOTE_CERT_CONTEXT 0x53
#define SECPKG_ATTR_LOCAL_CERT_CONTEXT 0x54
#define SECPKG_ATTR_SUPPORTED_PROTOCOLS 0x58
#define SECPKG_ATTR_CONNECTION_INFO 0x5a
#define SECPKG_ATTR_CIPHER_INFO 0x64
#define SECPKG_ATTR_KEYING_MATERIAL_INFO 0x6a
#define SECPKG_ATTR_KEYING_MATERIAL 0x6b
/** @} */

/** SECPKG_ATTR_CONNECTION_INFO: what the handshake agreed. */
typedef struct _SecPkgContext_ConnectionInfo {
    DWORD dwProtocol;       /**< SP_PROT_DTLS1_2_CLIENT or SP_PROT_DTLS1_2_SERVER */
    ALG_ID aiCipher;        /**< CALG_AES_128 or CALG_AES_256; 0 for ChaCha20-Poly1305, which has no CALG_ value */
    DWORD dwCipherStrength; /**< its key bits */
    ALG_ID aiHash;          /**< the PRF hash: CALG_SHA_256 or CALG_SHA_384 */
    DWORD dwHashStrength;   /**< its bits */
    ALG_ID aiExch;          /**< CALG_ECDH_EPHEM */
    DWORD dwExchStrength;   /**< the group's bits (255 for X25519) */
} SecPkgContext_ConnectionInfo, *PSecPkgContext_ConnectionInfo; /**< Pointer to a SecPkgContext_ConnectionInfo. */

#define SZ_ALG_MAX_SIZE 64            /**< The length, in WCHARs, of the names in SecPkgContext_CipherInfo. */
#define SECPKGCONTEXT_CIPHERINFO_V1 1 /**< SecPkgContext_CipherInfo::dwVersion. */

/** SECPKG_ATTR_CIPHER_INFO: the cipher suite, by number and by name. */
typedef struct _SecPkgContext_CipherInfo {
    DWORD dwVersion;                      /**< SECPKGCONTEXT_CIPHERINFO_V1 */
    DWORD dwProtocol;                     /**< as SecPkgContext_ConnectionInfo::dwProtocol */
    DWORD dwCipherSuite;                  /**< the IANA suite number */
    DWORD dwBaseCipherSuite;              /**< the same */
    WCHAR szCipherSuite[SZ_ALG_MAX_SIZE]; /**< its IANA name (TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256) */
    WCHAR szCipher[SZ_ALG_MAX_SIZE];      /**< AES or CHACHA20_POLY1305 */
    DWORD dwCipherLen;                    /**< its key bits */
    DWORD dwCipherBlockLen;               /**< 16 for AES, 1 for ChaCha20-Poly1305 */
    WCHAR szHash[SZ_ALG_MAX_SIZE];        /**< the PRF hash: SHA256 or SHA384 */
    DWORD dwHashLen;                      /**< its bits */
    WCHAR szExchange[SZ_ALG_MAX_SIZE];    /**< ECDHE */
    DWORD dwMinExchangeLen;               /**< the group's bits */
    DWORD dwMaxExchangeLen;               /**< the same */
    WCHAR szCertificate[SZ_ALG_MAX_SIZE]; /**< the certificate's key: ECDSA or RSA */
    DWORD dwKeyType;                      /**< 0 */
} SecPkgContext_CipherInfo, *PSecPkgContext_CipherInfo; /**< Pointer to a SecPkgContext_CipherInfo. */

/** SECPKG_ATTR_KEYING_MATERIAL_INFO, for SetContextAttributes: the RFC 5705 export to make when
    the handshake completes (at once if it has). */
typedef struct _SecPkgContext_KeyingMaterialInfo {
    WORD cbLabel;           /**< bytes of pszLabel (a trailing NUL is dropped) */
    LPSTR pszLabel;         /**< the label */
    WORD cbContextValue;    /**< bytes of pbContextValue; 0: no context (as DTLS-SRTP uses) */
    PBYTE pbContextValue;   /**< the context */
    DWORD cbKeyingMaterial; /**< bytes to export */
} SecPkgContext_KeyingMaterialInfo,
    *PSecPkgContext_KeyingMaterialInfo; /**< Pointer to a SecPkgContext_KeyingMaterialInfo. */

/** SECPKG_ATTR_KEYING_MATERIAL: the exported keying material. */
typedef struct _SecPkgContext_KeyingMaterial {
    DWORD cbKeyingMaterial; /**< its length */
    PBYTE pbKeyingMaterial; /**< free with FreeContextBuffer */
} SecPkgContext_KeyingMaterial, *PSecPkgContext_KeyingMaterial; /**< Pointer to a SecPkgContext_KeyingMaterial. */

/** Windows' SECPKG_ATTR_SUPPORTED_PROTOCOLS result: declared for source compatibility, returned by nothing here. */
typedef struct _SecPkgCred_SupportedProtocols {
    DWORD grbitProtocol; /**< SP_PROT_ bits */
} SecPkgCred_SupportedProtocols, *PSecPkgCred_SupportedProtocols; /**< Pointer to a SecPkgCred_SupportedProtocols. */

/** @name Credential structure versions */
/** A dwVersion value. AcquireCredentialsHandle accepts SCHANNEL_CRED_VERSION (a SCHANNEL_CRED)
    and SCH_CREDENTIALS_VERSION (a SCH_CREDENTIALS); others are SEC_E_INVALID_PARAMETER. @{ */
#define SCH_CRED_V1 0x00000001
#define SCH_CRED_V2 0x00000002
#define SCH_CRED_VERSION 0x00000002
#define SCH_CRED_V3 0x00000003
#define SCHANNEL_CRED_VERSION 0x00000004
#define SCH_CREDENTIALS_VERSION 0x00000005
/** @} */

struct _HMAPPER;

/** AcquireCredentialsHandle's pAuthData with dwVersion SCHANNEL_CRED_VERSION. */
typedef struct _SCHANNEL_CRED {
    DWORD dwVersion;               /**< SCHANNEL_CRED_VERSION */
    DWORD cCreds;                  /**< entries in paCred; the first is used */
    PCCERT_CONTEXT *paCred;        /**< certificates with their keys; a server needs one */
    HCERTSTORE hRootStore;         /**< trusted roots, for both roles; NULL: the system's */
    DWORD cMappers;                /**< ignored */
    struct _HMAPPER **aphMappers;  /**< ignored */
    DWORD cSupportedAlgs;          /**< ignored */
    ALG_ID *palgSupportedAlgs;     /**< ignored */
    DWORD grbitEnabledProtocols;   /**< SP_PROT_ bits; 0: the default (DTLS 1.2) */
    DWORD dwMinimumCipherStrength; /**< the fewest key bits a suite may have; 0: no bound */
    DWORD dwMaximumCipherStrength; /**< the most; 0: no bound */
    DWORD dwSessionLifespan;       /**< ignored (no session cache) */
    DWORD dwFlags;                 /**< SCH_CRED_ flags: MANUAL_CRED_VALIDATION and NO_SERVERNAME_CHECK act */
    DWORD dwCredFormat;            /**< must be SCH_CRED_FORMAT_CERT_CONTEXT */
} SCHANNEL_CRED, *PSCHANNEL_CRED; /**< Pointer to a SCHANNEL_CRED. */

/** CRYPTO_SETTINGS::eAlgorithmUsage: ignored here. */
typedef enum _eTlsAlgorithmUsage {
    TlsParametersCngAlgUsageKeyExchange,
    TlsParametersCngAlgUsageSignature,
    TlsParametersCngAlgUsageCipher,
    TlsParametersCngAlgUsageDigest,
    TlsParametersCngAlgUsageCertSig
} eTlsAlgorithmUsage;

/** Crypto a TLS_PARAMETERS entry disables: ignored here. */
typedef struct _CRYPTO_SETTINGS {
    /** ignored @{ */
    eTlsAlgorithmUsage eAlgorithmUsage;
    UNICODE_STRING strCngAlgId;
    DWORD cChainingModes;
    PUNICODE_STRING rgstrChainingModes;
    DWORD dwMinBitLength;
    DWORD dwMaxBitLength;
    /** @} */
} CRYPTO_SETTINGS, *PCRYPTO_SETTINGS; /**< Pointer to a CRYPTO_SETTINGS. */

/** One entry of SCH_CREDENTIALS::pTlsParameters: only grbitDisabledProtocols of an entry with
    cAlpnIds 0 is honoured. */
typedef struct _TLS_PARAMETERS {
    DWORD cAlpnIds;                   /**< 0: the entry applies to every connection (others are ignored) */
    PUNICODE_STRING rgstrAlpnIds;     /**< ignored */
    DWORD grbitDisabledProtocols;     /**< SP_PROT_ bits to disable */
    DWORD cDisabledCrypto;            /**< ignored */
    PCRYPTO_SETTINGS pDisabledCrypto; /**< ignored */
    DWORD dwFlags;                    /**< ignored */
} TLS_PARAMETERS, *PTLS_PARAMETERS; /**< Pointer to a TLS_PARAMETERS. */

#define TLS_PARAMS_OPTIONAL 0x00000001 /**< A TLS_PARAMETERS::dwFlags bit: ignored here. */

/** AcquireCredentialsHandle's pAuthData with dwVersion SCH_CREDENTIALS_VERSION (unlike the SDK,
    without SCHANNEL_USE_BLACKLISTS). */
typedef struct _SCH_CREDENTIALS {
    DWORD dwVersion;                /**< SCH_CREDENTIALS_VERSION */
    DWORD dwCredFormat;             /**< must be SCH_CRED_FORMAT_CERT_CONTEXT */
    DWORD cCreds;                   /**< entries in paCred; the first is used */
    PCCERT_CONTEXT *paCred;         /**< certificates with their keys; a server needs one */
    HCERTSTORE hRootStore;          /**< trusted roots, for both roles; NULL: the system's */
    DWORD cMappers;                 /**< ignored */
    struct _HMAPPER **aphMappers;   /**< ignored */
    DWORD dwSessionLifespan;        /**< ignored (no session cache) */
    DWORD dwFlags;                  /**< SCH_CRED_ flags: MANUAL_CRED_VALIDATION and NO_SERVERNAME_CHECK act */
    DWORD cTlsParameters;           /**< entries in pTlsParameters */
    PTLS_PARAMETERS pTlsParameters; /**< protocols to disable (see TLS_PARAMETERS) */
} SCH_CREDENTIALS, *PSCH_CREDENTIALS; /**< Pointer to a SCH_CREDENTIALS. */

/** @name Credential formats */
/** A dwCredFormat value: only SCH_CRED_FORMAT_CERT_CONTEXT is accepted (others:
    SEC_E_UNKNOWN_CREDENTIALS). @{ */
#define SCH_CRED_FORMAT_CERT_CONTEXT 0x00000000
#define SCH_CRED_FORMAT_CERT_HASH 0x00000001
#define SCH_CRED_FORMAT_CERT_HASH_STORE 0x00000002
/** @} */

/** @name Credential flags */
/** A bit of SCHANNEL_CRED::dwFlags or SCH_CREDENTIALS::dwFlags, with its Windows value.
    SCH_CRED_MANUAL_CRED_VALIDATION (the application checks the peer's chain itself) and
    SCH_CRED_NO_SERVERNAME_CHECK are honoured, and both also stop the target name being sent as
    SNI; the others are accepted and ignored. @{ */
#define SCH_CRED_NO_SYSTEM_MAPPER 0x00000002
#define SCH_CRED_NO_SERVERNAME_CHECK 0x00000004
#define SCH_CRED_MANUAL_CRED_VALIDATION 0x00000008
#define SCH_CRED_NO_DEFAULT_CREDS 0x00000010
#define SCH_CRED_AUTO_CRED_VALIDATION 0x00000020
#define SCH_CRED_USE_DEFAULT_CREDS 0x00000040
#define SCH_CRED_DISABLE_RECONNECTS 0x00000080
#define SCH_CRED_REVOCATION_CHECK_END_CERT 0x00000100
#define SCH_CRED_REVOCATION_CHECK_CHAIN 0x00000200
#define SCH_CRED_REVOCATION_CHECK_CHAIN_EXCLUDE_ROOT 0x00000400
#define SCH_CRED_IGNORE_NO_REVOCATION_CHECK 0x00000800
#define SCH_CRED_IGNORE_REVOCATION_OFFLINE 0x00001000
#define SCH_CRED_RESTRICTED_ROOTS 0x00002000
#define SCH_CRED_REVOCATION_CHECK_CACHE_ONLY 0x00004000
#define SCH_CRED_CACHE_ONLY_URL_RETRIEVAL 0x00008000
#define SCH_CRED_MEMORY_STORE_CERT 0x00010000
#define SCH_SEND_ROOT_CERT 0x00040000
#define SCH_USE_STRONG_CRYPTO 0x00400000
#define SCH_USE_DTLS_ONLY 0x01000000
/** @} */

/** @name Control tokens */
/** An ApplyControlToken token type (a DWORD in a SECBUFFER_TOKEN): only SCHANNEL_SHUTDOWN is
    supported; the others give SEC_E_UNSUPPORTED_FUNCTION. @{ */
#define SCHANNEL_RENEGOTIATE 0
#define SCHANNEL_SHUTDOWN 1
#define SCHANNEL_ALERT 2
#define SCHANNEL_SESSION 3
/** @} */

/** The token of an SCHANNEL_ALERT control: not supported here. */
typedef struct _SCHANNEL_ALERT_TOKEN {
    DWORD dwTokenType;   /**< SCHANNEL_ALERT */
    DWORD dwAlertType;   /**< TLS1_ALERT_WARNING or TLS1_ALERT_FATAL */
    DWORD dwAlertNumber; /**< the alert description */
} SCHANNEL_ALERT_TOKEN;

/** @name Alert levels */
/** An alert level (SCHANNEL_ALERT_TOKEN::dwAlertType). @{ */
#define TLS1_ALERT_WARNING 1
#define TLS1_ALERT_FATAL 2
/** @} */

/** @name Protocols */
/** Protocol bits (grbitEnabledProtocols, grbitDisabledProtocols, dwProtocol) with their Windows
    values. Only DTLS 1.2 is offered; docs/sspi.md says which bits select it. @{ */
#define SP_PROT_NONE 0
#define SP_PROT_ALL 0xffffffff
#define SP_PROT_TLS1_0_SERVER 0x00000040
#define SP_PROT_TLS1_0_CLIENT 0x00000080
#define SP_PROT_TLS1_1_SERVER 0x00000100
#define SP_PROT_TLS1_1_CLIENT 0x00000200
#define SP_PROT_TLS1_2_SERVER 0x00000400
#define SP_PROT_TLS1_2_CLIENT 0x00000800
#define SP_PROT_TLS1_3_SERVER 0x00001000
#define SP_PROT_TLS1_3_CLIENT 0x00002000
#define SP_PROT_DTLS_SERVER 0x00010000
#define SP_PROT_DTLS_CLIENT 0x00020000
#define SP_PROT_DTLS (SP_PROT_DTLS_SERVER | SP_PROT_DTLS_CLIENT)
#define SP_PROT_DTLS1_0_SERVER SP_PROT_DTLS_SERVER
#define SP_PROT_DTLS1_0_CLIENT SP_PROT_DTLS_CLIENT
#define SP_PROT_DTLS1_0 (SP_PROT_DTLS1_0_SERVER | SP_PROT_DTLS1_0_CLIENT)
#define SP_PROT_DTLS1_2_SERVER 0x00040000
#define SP_PROT_DTLS1_2_CLIENT 0x00080000
#define SP_PROT_DTLS1_2 (SP_PROT_DTLS1_2_SERVER | SP_PROT_DTLS1_2_CLIENT)
#define SP_PROT_DTLS1_X_SERVER (SP_PROT_DTLS1_0_SERVER | SP_PROT_DTLS1_2_SERVER)
#define SP_PROT_DTLS1_X_CLIENT (SP_PROT_DTLS1_0_CLIENT | SP_PROT_DTLS1_2_CLIENT)
#define SP_PROT_DTLS1_X (SP_PROT_DTLS1_X_SERVER | SP_PROT_DTLS1_X_CLIENT)
/** @} */

/* ---- Functions ---------------------------------------------------------- */

/** A credential for package UNISP_NAME or SCHANNEL_NAME, from the SCHANNEL_CRED or
    SCH_CREDENTIALS in pAuthData (docs/sspi.md, Credentials). pszPrincipal, pvLogonId, pGetKeyFn
    and pvGetKeyArgument are ignored. */
SECURITY_STATUS SEC_ENTRY AcquireCredentialsHandleA(SEC_CHAR *pszPrincipal, SEC_CHAR *pszPackage,
                                                    ULONG fCredentialUse, PLUID pvLogonId, PVOID pAuthData,
                                                    SEC_GET_KEY_FN pGetKeyFn, PVOID pvGetKeyArgument,
                                                    PCredHandle phCredential, PTimeStamp ptsExpiry);
/** AcquireCredentialsHandleA with wide strings. */
SECURITY_STATUS SEC_ENTRY AcquireCredentialsHandleW(SEC_WCHAR *pszPrincipal, SEC_WCHAR *pszPackage,
                                                    ULONG fCredentialUse, PLUID pvLogonId, PVOID pAuthData,
                                                    SEC_GET_KEY_FN pGetKeyFn, PVOID pvGetKeyArgument,
                                                    PCredHandle phCredential, PTimeStamp ptsExpiry);
/** Frees a credential handle. Contexts made from it may live on: they keep what they need. */
SECURITY_STATUS SEC_ENTRY FreeCredentialsHandle(PCredHandle phCredential);

/** The client's handshake step: each call takes at most one received datagram and gives at most
    one datagram to send (docs/sspi.md, The handshake loop). pszTargetName is checked against
    the server's certificate and sent as SNI; Reserved1, TargetDataRep and Reserved2 are
    ignored. */
SECURITY_STATUS SEC_ENTRY InitializeSecurityContextA(PCredHandle phCredential, PCtxtHandle phContext,
                                                     SEC_CHAR *pszTargetName, ULONG fContextReq, ULONG Reserved1,
                                                     ULONG TargetDataRep, PSecBufferDesc pInput, ULONG Reserved2,
                                                     PCtxtHandle phNewContext, PSecBufferDesc pOutput,
                                                     ULONG *pfContextAttr, PTimeStamp ptsExpiry);
/** InitializeSecurityContextA with a wide target name. */
SECURITY_STATUS SEC_ENTRY InitializeSecurityContextW(PCredHandle phCredential, PCtxtHandle phContext,
                                                     SEC_WCHAR *pszTargetName, ULONG fContextReq, ULONG Reserved1,
                                                     ULONG TargetDataRep, PSecBufferDesc pInput, ULONG Reserved2,
                                                     PCtxtHandle phNewContext, PSecBufferDesc pOutput,
                                                     ULONG *pfContextAttr, PTimeStamp ptsExpiry);
/** The server's handshake step, as InitializeSecurityContext; the client's address goes in a
    SECBUFFER_EXTRA input buffer. Until the client returns a valid cookie a context holds only
    that address. TargetDataRep is ignored. */
SECURITY_STATUS SEC_ENTRY AcceptSecurityContext(PCredHandle phCredential, PCtxtHandle phContext,
                                                PSecBufferDesc pInput, ULONG fContextReq, ULONG TargetDataRep,
                                                PCtxtHandle phNewContext, PSecBufferDesc pOutput,
                                                ULONG *pfContextAttr, PTimeStamp ptsExpiry);
/** Frees a context without sending anything. */
SECURITY_STATUS SEC_ENTRY DeleteSecurityContext(PCtxtHandle phContext);
/** SCHANNEL_SHUTDOWN (a DWORD in a SECBUFFER_TOKEN) queues a close_notify, which the next
    InitializeSecurityContext or AcceptSecurityContext call without input returns as its token.
    Nothing else is supported. */
SECURITY_STATUS SEC_ENTRY ApplyControlToken(PCtxtHandle phContext, PSecBufferDesc pInput);

/** Seals one message into one record, in the caller's SECBUFFER_STREAM_HEADER, SECBUFFER_DATA
    and SECBUFFER_STREAM_TRAILER buffers (docs/sspi.md, Messages). fQOP and MessageSeqNo are
    ignored. */
SECURITY_STATUS SEC_ENTRY EncryptMessage(PCtxtHandle phContext, ULONG fQOP, PSecBufferDesc pMessage,
                                         ULONG MessageSeqNo);
/** Opens one record of a received datagram, in place; SECBUFFER_EXTRA then points at the rest
    (docs/sspi.md, Messages). MessageSeqNo is ignored and *pfQOP set to 0. */
SECURITY_STATUS SEC_ENTRY DecryptMessage(PCtxtHandle phContext, PSecBufferDesc pMessage, ULONG MessageSeqNo,
                                         PULONG pfQOP);

/** Writes an attribute of a context (SECPKG_ATTR_ values, DTLSSSPI_ATTR_NEXT_TIMEOUT) to
    pBuffer. */
SECURITY_STATUS SEC_ENTRY QueryContextAttributesA(PCtxtHandle phContext, ULONG ulAttribute, void *pBuffer);
/** The same as QueryContextAttributesA. */
SECURITY_STATUS SEC_ENTRY QueryContextAttributesW(PCtxtHandle phContext, ULONG ulAttribute, void *pBuffer);
/** Sets SECPKG_ATTR_DTLS_MTU or SECPKG_ATTR_KEYING_MATERIAL_INFO from pBuffer (cbBuffer
    bytes). */
SECURITY_STATUS SEC_ENTRY SetContextAttributesA(PCtxtHandle phContext, ULONG ulAttribute, void *pBuffer,
                                                ULONG cbBuffer);
/** The same as SetContextAttributesA. */
SECURITY_STATUS SEC_ENTRY SetContextAttributesW(PCtxtHandle phContext, ULONG ulAttribute, void *pBuffer,
                                                ULONG cbBuffer);

/** Frees what this library allocated for the caller: ISC_REQ_ALLOCATE_MEMORY or
    ASC_REQ_ALLOCATE_MEMORY output buffers, QuerySecurityPackageInfo's block,
    SECPKG_ATTR_KEYING_MATERIAL. Returns SEC_E_OK. */
SECURITY_STATUS SEC_ENTRY FreeContextBuffer(PVOID pvContextBuffer);
/** Describes the package (UNISP_NAME or SCHANNEL_NAME) in one block, freed with
    FreeContextBuffer. */
SECURITY_STATUS SEC_ENTRY QuerySecurityPackageInfoA(SEC_CHAR *pszPackageName, PSecPkgInfoA *ppPackageInfo);
/** QuerySecurityPackageInfoA with wide strings. */
SECURITY_STATUS SEC_ENTRY QuerySecurityPackageInfoW(SEC_WCHAR *pszPackageName, PSecPkgInfoW *ppPackageInfo);

/** @name A or W */
/** The W name when UNICODE is defined, else the A name. @{ */
#ifdef UNICODE
#define SecPkgInfo SecPkgInfoW
#define PSecPkgInfo PSecPkgInfoW
#define AcquireCredentialsHandle AcquireCredentialsHandleW
#define InitializeSecurityContext InitializeSecurityContextW
#define QueryContextAttributes QueryContextAttributesW
#define SetContextAttributes SetContextAttributesW
#define QuerySecurityPackageInfo QuerySecurityPackageInfoW
#else
#define SecPkgInfo SecPkgInfoA
#define PSecPkgInfo PSecPkgInfoA
#define AcquireCredentialsHandle AcquireCredentialsHandleA
#define InitializeSecurityContext InitializeSecurityContextA
#define QueryContextAttributes QueryContextAttributesA
#define SetContextAttributes SetContextAttributesA
#define QuerySecurityPackageInfo QuerySecurityPackageInfoA
#endif
/** @} */
#define FreeCredentialHandle FreeCredentialsHandle /**< The SDK's other spelling of FreeCredentialsHandle. */

/* ---- Extensions (not in the Windows SDK) ---------------------------------
 * Everything below is this library's own, named DtlsSspi* / DTLSSSPI_*.   */

/** A certificate chain (leaf first) with its private key, from PEM files,
    DER files (one certificate, one key), or memory (PEM, or DER of one
    certificate and one PKCS#8 or traditional key). The result goes into
    SCHANNEL_CRED.paCred / SCH_CREDENTIALS.paCred; free it with
    CertFreeCertificateContext. NULL on failure: DtlsSspiLastError() says why. @{ */
PCCERT_CONTEXT DtlsSspiCertificateFromFiles(const char *certificate_path, const char *private_key_path);
PCCERT_CONTEXT DtlsSspiCertificateFromMemory(const void *certificate, DWORD cb_certificate, const void *private_key,
                                             DWORD cb_private_key);
/** @} */

/** Trusted roots from a PEM file (or an OpenSSL hashed directory), or PEM in
    memory, for SCHANNEL_CRED.hRootStore / SCH_CREDENTIALS.hRootStore. It is
    used by clients (server certificates) and by servers (client
    certificates). Close it with CertCloseStore once the credential handle is
    acquired. NULL on failure. @{ */
HCERTSTORE DtlsSspiOpenCaFile(const char *path);
HCERTSTORE DtlsSspiOpenCaMemory(const void *pem, DWORD cb_pem);
/** @} */

/** A sentence saying why the last call on this thread failed ("" if none). */
const char *DtlsSspiLastError(void);

/** The version of the dtls library behind this facade, "MAJOR.MINOR.PATCH",
    the same string as dtls::version(), which `dtls --version` prints. */
const char *DtlsSspiVersion(void);

/** QueryContextAttributes: milliseconds until the handshake's retransmission
    timer fires (0 when due), or INFINITE when no timer runs. Call ISC/ASC with
    no input at that time to retransmit. */
#define DTLSSSPI_ATTR_NEXT_TIMEOUT 0x44540001
/** What DTLSSSPI_ATTR_NEXT_TIMEOUT writes. */
typedef struct _DtlsSspiNextTimeout {
    ULONG dwMilliseconds; /**< until the timer fires; 0 when due; INFINITE when none runs */
} DtlsSspiNextTimeout;

/** The clock all contexts read, in milliseconds from any fixed origin; NULL
    restores the system's monotonic clock. For simulations and tests. @{ */
typedef ULONGLONG (*DTLSSSPI_CLOCK_FN)(void *argument);
void DtlsSspiSetClock(DTLSSSPI_CLOCK_FN clock, void *argument);
/** @} */

#ifdef __cplusplus
}
#endif

#endif /* DTLS_SSPI_H */
