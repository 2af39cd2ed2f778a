/* Interop peer: OpenSSL 3.0 libssl over a UDP socket (see peer_common.h). */
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <string.h>
#include <sys/socket.h>

#include "peer_common.h"

static const char *openssl_suite_name(const char *iana) {
    static const char *const names[][2] = {
        {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256"},
        {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384"},
        {"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305"},
        {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256"},
        {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE-RSA-AES256-GCM-SHA384"},
        {"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-RSA-CHACHA20-POLY1305"},
        {"TLS_ECDHE_ECDSA_WITH_AES_128_CCM", "ECDHE-ECDSA-AES128-CCM"},
        {"TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", "ECDHE-ECDSA-AES128-CCM8"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; ++i) {
        if (strcmp(names[i][0], iana) == 0) return names[i][1];
    }
    return NULL;
}

static const char *openssl_group_name(const char *group) {
    if (strcmp(group, "secp256r1") == 0) return "P-256";
    if (strcmp(group, "secp384r1") == 0) return "P-384";
    return "X25519";
}

static const char *last_error(void) {
    static char text[256];
    unsigned long code = ERR_get_error();
    if (code == 0) return "no OpenSSL error queued";
    ERR_error_string_n(code, text, sizeof text);
    return text;
}

/* The cookie proves the client can receive at its address; in a one-client
 * test a fixed value is enough to make libssl run the exchange. */
static int generate_cookie(SSL *ssl, unsigned char *cookie, unsigned int *length) {
    (void)ssl;
    memcpy(cookie, "interop-cookie", 14);
    *length = 14;
    return 1;
}

static int verify_cookie(SSL *ssl, const unsigned char *cookie, unsigned int length) {
    (void)ssl;
    return length == 14 && memcmp(cookie, "interop-cookie", 14) == 0;
}

static int select_alpn(SSL *ssl, const unsigned char **out, unsigned char *out_length, const unsigned char *in,
                       unsigned int in_length, void *arg) {
    (void)ssl;
    const char *wanted = arg;
    for (unsigned int i = 0; i < in_length; i += 1u + in[i]) {
        if (in[i] == strlen(wanted) && memcmp(in + i + 1, wanted, in[i]) == 0) {
            *out = in + i + 1;
            *out_length = in[i];
            return SSL_TLSEXT_ERR_OK;
        }
    }
    return SSL_TLSEXT_ERR_ALERT_FATAL;
}

static int session_write(void *ctx, const uint8_t *data, size_t length) {
    return SSL_write(ctx, data, (int)length) == (int)length ? 0 : -1;
}

static int session_read(void *ctx, uint8_t *buffer, size_t size) {
    int length = SSL_read(ctx, buffer, (int)size);
    if (length <= 0) peer_log("SSL_read: error %d, %s", SSL_get_error(ctx, length), last_error());
    return length > 0 ? length : -1;
}

static int session_answer_close(void *ctx) {
    uint8_t buffer[64];
    int length = SSL_read(ctx, buffer, sizeof buffer);
    if (length != 0 || SSL_get_error(ctx, length) != SSL_ERROR_ZERO_RETURN) return -1;
    return SSL_shutdown(ctx) == 1 ? 0 : -1;
}

static int session_close_first(void *ctx) {
    if (SSL_shutdown(ctx) < 0) return -1;
    uint8_t buffer[64];
    int length = SSL_read(ctx, buffer, sizeof buffer);
    return length == 0 && SSL_get_error(ctx, length) == SSL_ERROR_ZERO_RETURN ? 0 : -1;
}

int main(int argc, char **argv) {
    struct peer_options o;
    peer_parse_args(argc, argv, &o);

    SSL_CTX *ctx = SSL_CTX_new(o.is_server ? DTLS_server_method() : DTLS_client_method());
    if (ctx == NULL) peer_fail("SSL_CTX_new: %s", last_error());
    SSL_CTX_set_min_proto_version(ctx, DTLS1_2_VERSION);
    SSL_CTX_set_max_proto_version(ctx, DTLS1_2_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_NO_QUERY_MTU);
    if (!SSL_CTX_set_cipher_list(ctx, openssl_suite_name(o.suite))) peer_unsupported("suite %s: %s", o.suite, last_error());
    const char *groups[3];
    int group_count = peer_groups(&o, groups);
    char group_list[64] = "";
    for (int i = 0; i < group_count; ++i) {
        if (i > 0) strcat(group_list, ":");
        strcat(group_list, openssl_group_name(groups[i]));
    }
    if (!SSL_CTX_set1_groups_list(ctx, group_list)) peer_unsupported("groups %s: %s", group_list, last_error());
    if (o.cert && (o.is_server || o.client_auth)) {
        if (SSL_CTX_use_certificate_chain_file(ctx, o.cert) != 1) peer_fail("certificate %s: %s", o.cert, last_error());
        if (SSL_CTX_use_PrivateKey_file(ctx, o.key, SSL_FILETYPE_PEM) != 1) peer_fail("key: %s", last_error());
    }
    if (o.ca && SSL_CTX_load_verify_locations(ctx, o.ca, NULL) != 1) peer_fail("CA %s: %s", o.ca, last_error());
    if (o.is_server) {
        if (o.client_auth) SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
        if (o.cookies) {
            SSL_CTX_set_options(ctx, SSL_OP_COOKIE_EXCHANGE);
            SSL_CTX_set_cookie_generate_cb(ctx, generate_cookie);
            SSL_CTX_set_cookie_verify_cb(ctx, verify_cookie);
        }
        if (o.alpn) SSL_CTX_set_alpn_select_cb(ctx, select_alpn, (void *)o.alpn);
    } else {
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    }

    int fd = o.is_server ? peer_server_socket() : peer_client_socket(o.port);
    if (o.is_server) peer_server_await_client(fd);
    SSL *ssl = SSL_new(ctx);
    BIO *bio = BIO_new_dgram(fd, BIO_NOCLOSE);
    if (ssl == NULL || bio == NULL) peer_fail("SSL_new: %s", last_error());
    /* The socket is connected; tell the BIO so it writes to it instead of
     * sending to an unset peer address. */
    struct sockaddr_in other;
    socklen_t other_length = sizeof other;
    getpeername(fd, (struct sockaddr *)&other, &other_length);
    BIO_ADDR *peer_address = BIO_ADDR_new();
    BIO_ADDR_rawmake(peer_address, AF_INET, &other.sin_addr, sizeof other.sin_addr, other.sin_port);
    BIO_ctrl(bio, BIO_CTRL_DGRAM_SET_CONNECTED, 0, peer_address);
    BIO_ADDR_free(peer_address);
    SSL_set_bio(ssl, bio, bio);
    if (SSL_set_mtu(ssl, o.mtu) == 0) peer_fail("MTU %d refused", o.mtu);
    if (!o.is_server) {
        SSL_set1_host(ssl, o.host);
        if (o.alpn) {
            unsigned char wire[256];
            wire[0] = (unsigned char)strlen(o.alpn);
            memcpy(wire + 1, o.alpn, wire[0]);
            SSL_set_alpn_protos(ssl, wire, wire[0] + 1u);
        }
    }

    int done = o.is_server ? SSL_accept(ssl) : SSL_connect(ssl);
    if (done != 1) peer_fail("handshake: error %d, %s", SSL_get_error(ssl, done), last_error());

    int group = (int)SSL_get_negotiated_group(ssl);
    const char *group_name = group > 0 ? SSL_group_to_name(ssl, group) : NULL;
    const unsigned char *alpn = NULL;
    unsigned int alpn_length = 0;
    SSL_get0_alpn_selected(ssl, &alpn, &alpn_length);
    char alpn_text[256] = "";
    memcpy(alpn_text, alpn, alpn_length);
    peer_report_established(SSL_CIPHER_get_protocol_id(SSL_get_current_cipher(ssl)), group_name, alpn_text);

    struct peer_session session = {ssl, session_write, session_read, session_close_first, session_answer_close};
    peer_run_exchange(&o, &session);
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    return 0;
}
