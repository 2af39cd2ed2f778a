/* Interop peer: wolfSSL 5.5 over a UDP socket (see peer_common.h). */
#include <wolfssl/options.h>
#include <wolfssl/ssl.h>

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "peer_common.h"

static const char *wolfssl_suite_name(const char *iana) {
    static const char *const names[][2] = {
        {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256"},
        {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384"},
        {"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305"},
        {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256"},
        {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE-RSA-AES256-GCM-SHA384"},
        {"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-RSA-CHACHA20-POLY1305"},
        {"TLS_ECDHE_ECDSA_WITH_AES_128_CCM", "ECDHE-ECDSA-AES128-CCM"},
        {"TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", "ECDHE-ECDSA-AES128-CCM-8"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; ++i) {
        if (strcmp(names[i][0], iana) == 0) return names[i][1];
    }
    return "";
}

static word16 wolfssl_group(const char *group) {
    if (strcmp(group, "secp256r1") == 0) return WOLFSSL_ECC_SECP256R1;
    if (strcmp(group, "secp384r1") == 0) return WOLFSSL_ECC_SECP384R1;
    return WOLFSSL_ECC_X25519;
}

/* wolfSSL_get_curve_name answers "SECP256R1", "SECP384R1" or "X25519"
 * depending on the version; the report uses the TLS registry's names. */
static const char *report_group(const char *name) {
    if (name == NULL) return "?";
    if (strcasecmp(name, "SECP256R1") == 0 || strcasecmp(name, "prime256v1") == 0) return "secp256r1";
    if (strcasecmp(name, "SECP384R1") == 0) return "secp384r1";
    if (strcasecmp(name, "X25519") == 0 || strcasecmp(name, "CURVE25519") == 0) return "x25519";
    return name;
}

static const char *error_text(WOLFSSL *ssl, int result) {
    static char text[WOLFSSL_MAX_ERROR_SZ];
    return wolfSSL_ERR_error_string((unsigned long)wolfSSL_get_error(ssl, result), text);
}

static int session_write(void *ctx, const uint8_t *data, size_t length) {
    return wolfSSL_write(ctx, data, (int)length) == (int)length ? 0 : -1;
}

static int session_read(void *ctx, uint8_t *buffer, size_t size) {
    int length = wolfSSL_read(ctx, buffer, (int)size);
    if (length <= 0) peer_log("wolfSSL_read: %s", error_text(ctx, length));
    return length > 0 ? length : -1;
}

static int session_answer_close(void *ctx) {
    uint8_t buffer[64];
    int length = wolfSSL_read(ctx, buffer, sizeof buffer);
    if (length != 0 || wolfSSL_get_error(ctx, length) != WOLFSSL_ERROR_ZERO_RETURN) {
        peer_log("wolfSSL_read: %s", error_text(ctx, length));
        return -1;
    }
    int result = wolfSSL_shutdown(ctx);  // the other side's has come: this sends ours
    return result == WOLFSSL_SUCCESS ? 0 : -1;
}

/* The first wolfSSL_shutdown sends close_notify; the second waits for the
 * other side's. */
static int session_close_first(void *ctx) {
    int result = wolfSSL_shutdown(ctx);
    if (result == WOLFSSL_SHUTDOWN_NOT_DONE) result = wolfSSL_shutdown(ctx);
    if (result != WOLFSSL_SUCCESS) peer_log("wolfSSL_shutdown: %s", error_text(ctx, result));
    return result == WOLFSSL_SUCCESS ? 0 : -1;
}

int main(int argc, char **argv) {
    struct peer_options o;
    peer_parse_args(argc, argv, &o);
    wolfSSL_Init();

    WOLFSSL_CTX *ctx = wolfSSL_CTX_new(o.is_server ? wolfDTLSv1_2_server_method() : wolfDTLSv1_2_client_method());
    if (ctx == NULL) peer_unsupported("this libwolfssl has no DTLS 1.2");
    if (wolfSSL_CTX_set_cipher_list(ctx, wolfssl_suite_name(o.suite)) != WOLFSSL_SUCCESS) {
        peer_unsupported("wolfSSL refuses suite %s", o.suite);
    }
    const char *groups[3];
    int group_count = peer_groups(&o, groups);
    for (int i = 0; i < group_count; ++i) {
        if (wolfSSL_CTX_UseSupportedCurve(ctx, wolfssl_group(groups[i])) != WOLFSSL_SUCCESS) {
            peer_unsupported("wolfSSL refuses group %s", groups[i]);
        }
    }
    /* A wolfSSL server picks the client's first curve of its ephemeral key
     * size (32 bytes unless told otherwise): P-384 needs 48. */
    if (strcmp(o.group, "secp384r1") == 0) wolfSSL_CTX_SetTmpEC_DHE_Sz(ctx, 48);
    if (o.cert && (o.is_server || o.client_auth)) {
        if (wolfSSL_CTX_use_certificate_chain_file(ctx, o.cert) != WOLFSSL_SUCCESS) {
            peer_unsupported("wolfSSL cannot load the certificate %s", o.cert);
        }
        if (wolfSSL_CTX_use_PrivateKey_file(ctx, o.key, WOLFSSL_FILETYPE_PEM) != WOLFSSL_SUCCESS) {
            peer_unsupported("wolfSSL cannot load the key %s", o.key);
        }
    }
    if (o.ca && wolfSSL_CTX_load_verify_locations(ctx, o.ca, NULL) != WOLFSSL_SUCCESS) peer_fail("CA %s", o.ca);
    if (o.is_server) {
        wolfSSL_CTX_set_verify(ctx,
                               o.client_auth ? WOLFSSL_VERIFY_PEER | WOLFSSL_VERIFY_FAIL_IF_NO_PEER_CERT
                                             : WOLFSSL_VERIFY_NONE,
                               NULL);
    } else {
        wolfSSL_CTX_set_verify(ctx, WOLFSSL_VERIFY_PEER, NULL);
    }

    int fd = o.is_server ? peer_server_socket() : peer_client_socket(o.port);
    if (o.is_server) peer_server_await_client(fd);
    WOLFSSL *ssl = wolfSSL_new(ctx);
    if (ssl == NULL) peer_fail("wolfSSL_new");
    struct sockaddr_storage other;
    socklen_t other_length = sizeof other;
    getpeername(fd, (struct sockaddr *)&other, &other_length);
    wolfSSL_set_fd(ssl, fd);
    wolfSSL_dtls_set_peer(ssl, &other, other_length);
    if (!o.is_server) wolfSSL_check_domain_name(ssl, o.host);
    if (o.alpn) wolfSSL_UseALPN(ssl, (char *)o.alpn, (unsigned)strlen(o.alpn), WOLFSSL_ALPN_FAILED_ON_MISMATCH);

    /* The MTU setter exists only in builds with WOLFSSL_DTLS_MTU; look for it
     * at run time so the report says what this build can do. */
    int (*set_mtu)(WOLFSSL *, unsigned short) = (int (*)(WOLFSSL *, unsigned short))dlsym(RTLD_DEFAULT, "wolfSSL_dtls_set_mtu");
    if (set_mtu) {
        set_mtu(ssl, (unsigned short)o.mtu);
    } else if (o.mtu < 1200) {
        peer_log("note libwolfssl lacks wolfSSL_dtls_set_mtu (built without WOLFSSL_DTLS_MTU): it sends whole "
                 "datagrams; only our side fragments");
    }

    int result = o.is_server ? wolfSSL_accept(ssl) : wolfSSL_connect(ssl);
    if (result != WOLFSSL_SUCCESS) peer_fail("handshake: %s", error_text(ssl, result));

    char *alpn = NULL;
    unsigned short alpn_length = 0;
    char alpn_text[256] = "";
    if (wolfSSL_ALPN_GetProtocol(ssl, &alpn, &alpn_length) == WOLFSSL_SUCCESS && alpn_length < sizeof alpn_text) {
        memcpy(alpn_text, alpn, alpn_length);
    }
    uint16_t suite = (uint16_t)(wolfSSL_get_current_cipher_suite(ssl) & 0xFFFF);
    peer_report_established(suite, report_group(wolfSSL_get_curve_name(ssl)), alpn_text);

    struct peer_session session = {ssl, session_write, session_read, session_close_first, session_answer_close};
    peer_run_exchange(&o, &session);
    wolfSSL_free(ssl);
    wolfSSL_CTX_free(ctx);
    wolfSSL_Cleanup();
    return 0;
}
