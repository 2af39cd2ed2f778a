/* Interop peer: Mbed TLS 2.28 over a UDP socket (see peer_common.h). */
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/debug.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_cookie.h>
#include <mbedtls/timing.h>
#include <mbedtls/x509_crt.h>
#include <stdio.h>
#include <string.h>

#include "peer_common.h"

static const char *error_text(int code) {
    static char text[200];
    mbedtls_strerror(code, text, sizeof text);
    return text;
}

/* Mbed TLS 2.28 has no getter for the negotiated curve; its debug output
 * names it ("ECDH curve: x25519" on a client, "ECDHE curve: x25519" on a
 * server), so the peer reports what the library itself used. */
static char negotiated_group[32] = "?";

static void debug_line(void *ctx, int level, const char *file, int line, const char *text) {
    (void)ctx, (void)level, (void)file, (void)line;
    const char *found = strstr(text, "ECDH curve: ");
    size_t skip = strlen("ECDH curve: ");
    if (found == NULL) {
        found = strstr(text, "ECDHE curve: ");
        skip = strlen("ECDHE curve: ");
    }
    if (found == NULL) return;
    snprintf(negotiated_group, sizeof negotiated_group, "%s", found + skip);
    negotiated_group[strcspn(negotiated_group, "\r\n")] = '\0';
}

static mbedtls_ecp_group_id group_id(const char *name) {
    if (strcmp(name, "secp256r1") == 0) return MBEDTLS_ECP_DP_SECP256R1;
    if (strcmp(name, "secp384r1") == 0) return MBEDTLS_ECP_DP_SECP384R1;
    return MBEDTLS_ECP_DP_CURVE25519;
}

static int session_write(void *ctx, const uint8_t *data, size_t length) {
    int result;
    do {
        result = mbedtls_ssl_write(ctx, data, length);
    } while (result == MBEDTLS_ERR_SSL_WANT_READ || result == MBEDTLS_ERR_SSL_WANT_WRITE);
    return result == (int)length ? 0 : -1;
}

static int session_read(void *ctx, uint8_t *buffer, size_t size) {
    int result;
    do {
        result = mbedtls_ssl_read(ctx, buffer, size);
    } while (result == MBEDTLS_ERR_SSL_WANT_READ || result == MBEDTLS_ERR_SSL_WANT_WRITE);
    if (result <= 0) peer_log("mbedtls_ssl_read: %s", error_text(result));
    return result > 0 ? result : -1;
}

static int session_answer_close(void *ctx) {
    uint8_t buffer[64];
    int result;
    do {
        result = mbedtls_ssl_read(ctx, buffer, sizeof buffer);
    } while (result == MBEDTLS_ERR_SSL_WANT_READ || result == MBEDTLS_ERR_SSL_WANT_WRITE);
    if (result != MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) return -1;
    do {
        result = mbedtls_ssl_close_notify(ctx);
    } while (result == MBEDTLS_ERR_SSL_WANT_WRITE);
    return result == 0 ? 0 : -1;
}

static int session_close_first(void *ctx) {
    int result;
    do {
        result = mbedtls_ssl_close_notify(ctx);
    } while (result == MBEDTLS_ERR_SSL_WANT_WRITE);
    if (result != 0) return -1;
    uint8_t buffer[64];
    do {
        result = mbedtls_ssl_read(ctx, buffer, sizeof buffer);
    } while (result == MBEDTLS_ERR_SSL_WANT_READ || result == MBEDTLS_ERR_SSL_WANT_WRITE);
    return result == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY ? 0 : -1;
}

int main(int argc, char **argv) {
    struct peer_options o;
    peer_parse_args(argc, argv, &o);

    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
    mbedtls_entropy_init(&entropy);
    mbedtls_ctr_drbg_init(&drbg);
    if (mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy, NULL, 0) != 0) peer_fail("DRBG seed");

    mbedtls_ssl_config conf;
    mbedtls_ssl_config_init(&conf);
    int result = mbedtls_ssl_config_defaults(&conf, o.is_server ? MBEDTLS_SSL_IS_SERVER : MBEDTLS_SSL_IS_CLIENT,
                                             MBEDTLS_SSL_TRANSPORT_DATAGRAM, MBEDTLS_SSL_PRESET_DEFAULT);
    if (result != 0) peer_fail("config: %s", error_text(result));
    mbedtls_ssl_conf_rng(&conf, mbedtls_ctr_drbg_random, &drbg);
    mbedtls_ssl_conf_dbg(&conf, debug_line, NULL);
    mbedtls_debug_set_threshold(2);
    mbedtls_ssl_conf_min_version(&conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
    mbedtls_ssl_conf_read_timeout(&conf, PEER_TIMEOUT_MS);
    mbedtls_ssl_conf_handshake_timeout(&conf, 1000, PEER_TIMEOUT_MS);

    char suite_name[64];
    snprintf(suite_name, sizeof suite_name, "%s", o.suite);
    for (char *c = suite_name; *c; ++c) *c = *c == '_' ? '-' : *c;
    static int suites[2];
    suites[0] = mbedtls_ssl_get_ciphersuite_id(suite_name);
    if (suites[0] == 0) peer_unsupported("Mbed TLS has no suite %s", suite_name);
    mbedtls_ssl_conf_ciphersuites(&conf, suites);
    static mbedtls_ecp_group_id curves[4];
    const char *groups[3];
    int group_count = peer_groups(&o, groups);
    for (int i = 0; i < group_count; ++i) curves[i] = group_id(groups[i]);
    curves[group_count] = MBEDTLS_ECP_DP_NONE;
    mbedtls_ssl_conf_curves(&conf, curves);

    mbedtls_x509_crt cert, ca;
    mbedtls_pk_context key;
    mbedtls_x509_crt_init(&cert);
    mbedtls_x509_crt_init(&ca);
    mbedtls_pk_init(&key);
    if (o.cert && (o.is_server || o.client_auth)) {
        if ((result = mbedtls_x509_crt_parse_file(&cert, o.cert)) != 0) {
            peer_unsupported("Mbed TLS cannot load the certificate: %s", error_text(result));
        }
        if ((result = mbedtls_pk_parse_keyfile(&key, o.key, NULL)) != 0) {
            peer_unsupported("Mbed TLS cannot load the key: %s", error_text(result));
        }
        if ((result = mbedtls_ssl_conf_own_cert(&conf, &cert, &key)) != 0) peer_fail("own cert: %s", error_text(result));
    }
    if (o.ca) {
        if ((result = mbedtls_x509_crt_parse_file(&ca, o.ca)) != 0) peer_fail("CA: %s", error_text(result));
        mbedtls_ssl_conf_ca_chain(&conf, &ca, NULL);
    }
    if (o.is_server) {
        mbedtls_ssl_conf_authmode(&conf, o.client_auth ? MBEDTLS_SSL_VERIFY_REQUIRED : MBEDTLS_SSL_VERIFY_NONE);
    } else {
        mbedtls_ssl_conf_authmode(&conf, MBEDTLS_SSL_VERIFY_REQUIRED);
    }
    const char *protocols[2] = {o.alpn, NULL};
    if (o.alpn) mbedtls_ssl_conf_alpn_protocols(&conf, protocols);

    mbedtls_ssl_cookie_ctx cookies;
    mbedtls_ssl_cookie_init(&cookies);
    if (o.is_server && o.cookies) {
        if (mbedtls_ssl_cookie_setup(&cookies, mbedtls_ctr_drbg_random, &drbg) != 0) peer_fail("cookie setup");
        mbedtls_ssl_conf_dtls_cookies(&conf, mbedtls_ssl_cookie_write, mbedtls_ssl_cookie_check, &cookies);
    } else if (o.is_server) {
        mbedtls_ssl_conf_dtls_cookies(&conf, NULL, NULL, NULL);
    }

    mbedtls_ssl_context ssl;
    mbedtls_ssl_init(&ssl);
    if ((result = mbedtls_ssl_setup(&ssl, &conf)) != 0) peer_fail("setup: %s", error_text(result));
    mbedtls_ssl_set_mtu(&ssl, (uint16_t)o.mtu);
    if (!o.is_server) mbedtls_ssl_set_hostname(&ssl, o.host);
    mbedtls_timing_delay_context timer;
    mbedtls_ssl_set_timer_cb(&ssl, &timer, mbedtls_timing_set_delay, mbedtls_timing_get_delay);

    mbedtls_net_context net;
    mbedtls_net_init(&net);
    net.fd = o.is_server ? peer_server_socket() : peer_client_socket(o.port);
    if (o.is_server) peer_server_await_client(net.fd);
    mbedtls_ssl_set_bio(&ssl, &net, mbedtls_net_send, mbedtls_net_recv, mbedtls_net_recv_timeout);

    static const unsigned char client_id[] = "the one connected client";
    for (;;) {
        if (o.is_server) mbedtls_ssl_set_client_transport_id(&ssl, client_id, sizeof client_id);
        do {
            result = mbedtls_ssl_handshake(&ssl);
        } while (result == MBEDTLS_ERR_SSL_WANT_READ || result == MBEDTLS_ERR_SSL_WANT_WRITE);
        if (result != MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED) break;
        mbedtls_ssl_session_reset(&ssl);  // the HelloVerifyRequest is sent; await the ClientHello with the cookie
    }
    if (result != 0) {
        uint32_t flags = mbedtls_ssl_get_verify_result(&ssl);
        char why[256] = "";
        if (flags != 0 && flags != (uint32_t)-1) mbedtls_x509_crt_verify_info(why, sizeof why, "", flags);
        why[strcspn(why, "\n")] = '\0';
        peer_fail("handshake: %s%s%s", error_text(result), *why ? "; verify: " : "", why);
    }

    const char *alpn = mbedtls_ssl_get_alpn_protocol(&ssl);
    peer_report_established((uint16_t)mbedtls_ssl_get_ciphersuite_id(mbedtls_ssl_get_ciphersuite(&ssl)),
                            negotiated_group, alpn);

    struct peer_session session = {&ssl, session_write, session_read, session_close_first, session_answer_close};
    peer_run_exchange(&o, &session);
    mbedtls_ssl_free(&ssl);
    mbedtls_ssl_config_free(&conf);
    return 0;
}
