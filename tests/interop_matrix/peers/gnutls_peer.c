/* Interop peer: GnuTLS 3.7 over a UDP socket (see peer_common.h). */
#include <ctype.h>
#include <gnutls/dtls.h>
#include <gnutls/gnutls.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "peer_common.h"

struct suite_parts {
    const char *iana;
    const char *kx;
    const char *cipher;
};

static const struct suite_parts suites[] = {
    {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA", "AES-128-GCM"},
    {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA", "AES-256-GCM"},
    {"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA", "CHACHA20-POLY1305"},
    {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA", "AES-128-GCM"},
    {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE-RSA", "AES-256-GCM"},
    {"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-RSA", "CHACHA20-POLY1305"},
    {"TLS_ECDHE_ECDSA_WITH_AES_128_CCM", "ECDHE-ECDSA", "AES-128-CCM"},
    {"TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", "ECDHE-ECDSA", "AES-128-CCM-8"},
};

static void check(int result, const char *what) {
    if (result < 0) peer_fail("%s: %s", what, gnutls_strerror(result));
}

/* The priority string that offers exactly the suite and group asked for. */
static void build_priority(const struct peer_options *o, char *out, size_t size) {
    const struct suite_parts *parts = NULL;
    for (size_t i = 0; i < sizeof suites / sizeof suites[0]; ++i) {
        if (strcmp(suites[i].iana, o->suite) == 0) parts = &suites[i];
    }
    int written = snprintf(out, size, "NONE:+VERS-DTLS1.2:+%s:+%s:+AEAD:+SIGN-ALL:+COMP-NULL:+CTYPE-X509", parts->kx,
                           parts->cipher);
    const char *groups[3];
    int count = peer_groups(o, groups);
    for (int i = 0; i < count; ++i) {
        const char *group = strcmp(groups[i], "x25519") == 0      ? "X25519"
                            : strcmp(groups[i], "secp256r1") == 0 ? "SECP256R1"
                                                                  : "SECP384R1";
        written += snprintf(out + written, size - (size_t)written, ":+GROUP-%s", group);
    }
}

/* The IANA code point of the suite in use, found in GnuTLS's suite table. */
static uint16_t negotiated_suite(gnutls_session_t session) {
    gnutls_kx_algorithm_t kx = gnutls_kx_get(session);
    gnutls_cipher_algorithm_t cipher = gnutls_cipher_get(session);
    gnutls_mac_algorithm_t mac = gnutls_mac_get(session);
    unsigned char id[2];
    gnutls_kx_algorithm_t k;
    gnutls_cipher_algorithm_t c;
    gnutls_mac_algorithm_t m;
    gnutls_protocol_t version;
    for (size_t i = 0; gnutls_cipher_suite_info(i, id, &k, &c, &m, &version) != NULL; ++i) {
        if (k == kx && c == cipher && m == mac) return (uint16_t)(id[0] << 8 | id[1]);
    }
    return 0;
}

static ssize_t send_on_socket(gnutls_transport_ptr_t fd, const void *data, size_t length) {
    return send((int)(intptr_t)fd, data, length, 0);
}

/* Answers ClientHellos without a valid cookie with a HelloVerifyRequest until
 * one carries a valid cookie; that one is left unread for the handshake. */
static void exchange_cookie(int fd, gnutls_session_t session) {
    gnutls_datum_t key;
    check(gnutls_key_generate(&key, GNUTLS_COOKIE_KEY_SIZE), "cookie key");
    static const char client_id[] = "the one connected client";
    for (;;) {
        uint8_t datagram[4096];
        ssize_t length = recv(fd, datagram, sizeof datagram, MSG_PEEK);
        if (length < 0) peer_fail("no ClientHello");
        gnutls_dtls_prestate_st prestate;
        memset(&prestate, 0, sizeof prestate);
        if (gnutls_dtls_cookie_verify(&key, (void *)client_id, sizeof client_id, datagram, (size_t)length,
                                      &prestate) >= 0) {
            gnutls_dtls_prestate_set(session, &prestate);
            break;
        }
        gnutls_dtls_cookie_send(&key, (void *)client_id, sizeof client_id, &prestate,
                                (gnutls_transport_ptr_t)(intptr_t)fd, send_on_socket);
        recv(fd, datagram, sizeof datagram, 0);
    }
    gnutls_free(key.data);
}

static int session_write(void *ctx, const uint8_t *data, size_t length) {
    return gnutls_record_send(ctx, data, length) == (ssize_t)length ? 0 : -1;
}

static int session_read(void *ctx, uint8_t *buffer, size_t size) {
    ssize_t length;
    do {
        length = gnutls_record_recv(ctx, buffer, size);
    } while (length == GNUTLS_E_AGAIN || length == GNUTLS_E_INTERRUPTED);
    if (length <= 0) peer_log("gnutls_record_recv: %s", length == 0 ? "close_notify" : gnutls_strerror((int)length));
    return length > 0 ? (int)length : -1;
}

static int session_answer_close(void *ctx) {
    uint8_t buffer[64];
    ssize_t length;
    do {
        length = gnutls_record_recv(ctx, buffer, sizeof buffer);
    } while (length == GNUTLS_E_AGAIN || length == GNUTLS_E_INTERRUPTED);
    if (length != 0) return -1;
    return gnutls_bye(ctx, GNUTLS_SHUT_WR) < 0 ? -1 : 0;
}

static int session_close_first(void *ctx) {
    if (gnutls_bye(ctx, GNUTLS_SHUT_WR) < 0) return -1;
    uint8_t buffer[64];
    ssize_t length;
    do {
        length = gnutls_record_recv(ctx, buffer, sizeof buffer);
    } while (length == GNUTLS_E_AGAIN || length == GNUTLS_E_INTERRUPTED);
    return length == 0 ? 0 : -1;
}

int main(int argc, char **argv) {
    struct peer_options o;
    peer_parse_args(argc, argv, &o);
    check(gnutls_global_init(), "gnutls_global_init");

    gnutls_certificate_credentials_t credentials;
    check(gnutls_certificate_allocate_credentials(&credentials), "credentials");
    if (o.cert && (o.is_server || o.client_auth)) {
        int loaded = gnutls_certificate_set_x509_key_file(credentials, o.cert, o.key, GNUTLS_X509_FMT_PEM);
        if (loaded < 0) peer_unsupported("certificate and key: %s", gnutls_strerror(loaded));
    }
    if (o.ca) check(gnutls_certificate_set_x509_trust_file(credentials, o.ca, GNUTLS_X509_FMT_PEM), "CA file");

    gnutls_session_t session;
    check(gnutls_init(&session, (o.is_server ? GNUTLS_SERVER : GNUTLS_CLIENT) | GNUTLS_DATAGRAM), "gnutls_init");
    char priority[256];
    build_priority(&o, priority, sizeof priority);
    const char *error_at = NULL;
    check(gnutls_priority_set_direct(session, priority, &error_at), priority);
    check(gnutls_credentials_set(session, GNUTLS_CRD_CERTIFICATE, credentials), "credentials_set");
    if (o.is_server) {
        if (o.client_auth) {
            gnutls_certificate_server_set_request(session, GNUTLS_CERT_REQUIRE);
            gnutls_session_set_verify_cert(session, NULL, 0);
        }
    } else {
        gnutls_session_set_verify_cert(session, o.host, 0);
    }
    if (o.alpn) {
        gnutls_datum_t protocol = {(unsigned char *)o.alpn, (unsigned int)strlen(o.alpn)};
        check(gnutls_alpn_set_protocols(session, &protocol, 1, 0), "ALPN");
    }
    gnutls_dtls_set_mtu(session, (unsigned)o.mtu);
    gnutls_dtls_set_timeouts(session, 1000, PEER_TIMEOUT_MS);
    gnutls_record_set_timeout(session, PEER_TIMEOUT_MS);

    int fd = o.is_server ? peer_server_socket() : peer_client_socket(o.port);
    if (o.is_server) {
        peer_server_await_client(fd);
        if (o.cookies) exchange_cookie(fd, session);
    }
    gnutls_transport_set_int(session, fd);

    int result;
    do {
        result = gnutls_handshake(session);
    } while (result < 0 && gnutls_error_is_fatal(result) == 0);
    if (result < 0) {
        peer_fail("handshake: %s (alert %s)", gnutls_strerror(result),
                  gnutls_alert_get_name(gnutls_alert_get(session)) ? gnutls_alert_get_name(gnutls_alert_get(session))
                                                                    : "-");
    }

    char group[32] = "?";
    const char *group_name = gnutls_group_get_name(gnutls_group_get(session));
    if (group_name) {
        snprintf(group, sizeof group, "%s", group_name);
        for (char *c = group; *c; ++c) *c = (char)tolower((unsigned char)*c);
    }
    char alpn[256] = "";
    gnutls_datum_t selected;
    if (gnutls_alpn_get_selected_protocol(session, &selected) == 0 && selected.size < sizeof alpn) {
        memcpy(alpn, selected.data, selected.size);
    }
    peer_report_established(negotiated_suite(session), group, alpn);

    struct peer_session exchange = {session, session_write, session_read, session_close_first, session_answer_close};
    peer_run_exchange(&o, &exchange);
    gnutls_deinit(session);
    gnutls_certificate_free_credentials(credentials);
    gnutls_global_deinit();
    return 0;
}
