/* A wolfSSL 5.9.2 DTLS 1.3 server that writes the TLS 1.3 secrets wolfSSL
 * derives to an NSS key log file, so tests/cli/wolfssl13_keylog.sh can check
 * that `dtls client --keylog` logs exactly the same secrets for the same
 * session. wolfSSL's example server cannot do this: it only prints secrets to
 * stderr when built with a compile-time key log path.
 *
 * Usage: wolfssl13_keylog_server PORT CERT KEY KEYLOG [CIPHER-LIST]
 *   PORT         UDP port on 127.0.0.1; 0 lets the system pick one. The port
 *                bound is printed on stderr as "listening on 127.0.0.1:PORT".
 *   CERT, KEY    the server's certificate chain and private key (PEM)
 *   KEYLOG       file the key log lines are appended to
 *   CIPHER-LIST  wolfSSL cipher list, e.g. TLS13-AES256-GCM-SHA384, to force
 *                a suite (our client has no option to choose one)
 *
 * It serves one connection: handshake, one record read and echoed,
 * close_notify, exit 0. Any failure exits 1 with a message on stderr, and a
 * 20 s alarm ends it if the client never comes or stalls. */
#include <wolfssl/options.h> /* first: the switches the library was built with */
#include <wolfssl/ssl.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#if !defined(WOLFSSL_DTLS13) || !defined(HAVE_SECRET_CALLBACK)
#error "wolfSSL must be built with DTLS 1.3 and HAVE_SECRET_CALLBACK (scripts/build-peers.sh)"
#endif

static void die(const char *what)
{
    fprintf(stderr, "wolfssl13_keylog_server: %s\n", what);
    exit(1);
}

static void die_ssl(WOLFSSL *ssl, const char *what, int ret)
{
    char text[WOLFSSL_MAX_ERROR_SZ];
    int err = wolfSSL_get_error(ssl, ret);
    wolfSSL_ERR_error_string_n((unsigned long)err, text, sizeof text);
    fprintf(stderr, "wolfssl13_keylog_server: %s: error %d (%s)\n", what, err, text);
    exit(1);
}

/* The NSS key log label for one of wolfSSL's secret ids, or NULL for those
 * this test does not compare (early data is never used here). wolfSSL calls
 * back only for the secrets derived in the handshake, not for KeyUpdate's
 * later generations, so its traffic secrets are always generation 0. */
static const char *nss_label(int id)
{
    switch (id) {
    case CLIENT_HANDSHAKE_TRAFFIC_SECRET:
        return "CLIENT_HANDSHAKE_TRAFFIC_SECRET";
    case SERVER_HANDSHAKE_TRAFFIC_SECRET:
        return "SERVER_HANDSHAKE_TRAFFIC_SECRET";
    case CLIENT_TRAFFIC_SECRET:
        return "CLIENT_TRAFFIC_SECRET_0";
    case SERVER_TRAFFIC_SECRET:
        return "SERVER_TRAFFIC_SECRET_0";
    case EXPORTER_SECRET:
        return "EXPORTER_SECRET";
    default:
        return NULL;
    }
}

static void write_hex(FILE *out, const unsigned char *bytes, size_t size)
{
    for (size_t i = 0; i < size; i++)
        fprintf(out, "%02x", bytes[i]);
}

/* wolfSSL's TLS 1.3 secret callback: one key log line per secret. A nonzero
 * return aborts the handshake, so a line that cannot be written cannot go
 * unnoticed. */
static int log_secret(WOLFSSL *ssl, int id, const unsigned char *secret, int secret_size, void *ctx)
{
    const char *path = ctx;
    const char *label = nss_label(id);
    unsigned char client_random[64];
    size_t random_size;
    FILE *out;

    if (label == NULL) {
        fprintf(stderr, "wolfssl13_keylog_server: unexpected secret id %d, not logged\n", id);
        return 0;
    }
    random_size = wolfSSL_get_client_random(ssl, client_random, sizeof client_random);
    if (random_size == 0 || secret_size <= 0)
        return -1;
    out = fopen(path, "a");
    if (out == NULL)
        return -1;
    fprintf(out, "%s ", label);
    write_hex(out, client_random, random_size);
    fputc(' ', out);
    write_hex(out, secret, (size_t)secret_size);
    fputc('\n', out);
    return fclose(out) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc != 5 && argc != 6) {
        fprintf(stderr, "usage: %s PORT CERT KEY KEYLOG [CIPHER-LIST]\n", argv[0]);
        return 2;
    }
    const char *cert = argv[2], *key = argv[3], *keylog = argv[4];
    const char *ciphers = argc == 6 ? argv[5] : NULL;
    char *end;
    long port = strtol(argv[1], &end, 10);
    if (*argv[1] == '\0' || *end != '\0' || port < 0 || port > 65535)
        die("PORT must be 0 to 65535");

    /* The default SIGALRM action ends the process: the test never waits on
     * a server stuck in a read. */
    alarm(20);

    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0)
        die("socket failed");
    struct sockaddr_in local;
    memset(&local, 0, sizeof local);
    local.sin_family = AF_INET;
    local.sin_port = htons((unsigned short)port);
    local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&local, sizeof local) != 0)
        die("bind to 127.0.0.1 failed");
    socklen_t local_size = sizeof local;
    if (getsockname(fd, (struct sockaddr *)&local, &local_size) != 0)
        die("getsockname failed");
    fprintf(stderr, "listening on 127.0.0.1:%u\n", (unsigned)ntohs(local.sin_port));

    if (wolfSSL_Init() != WOLFSSL_SUCCESS)
        die("wolfSSL_Init failed");
    /* DTLS 1.3 only: a fallback to 1.2 would log a CLIENT_RANDOM line and
     * none of the secrets under test. */
    WOLFSSL_CTX *ctx = wolfSSL_CTX_new(wolfDTLSv1_3_server_method());
    if (ctx == NULL)
        die("wolfSSL_CTX_new failed");
    if (wolfSSL_CTX_use_certificate_chain_file(ctx, cert) != WOLFSSL_SUCCESS)
        die("cannot load the certificate");
    if (wolfSSL_CTX_use_PrivateKey_file(ctx, key, WOLFSSL_FILETYPE_PEM) != WOLFSSL_SUCCESS)
        die("cannot load the private key");
    if (ciphers != NULL && wolfSSL_CTX_set_cipher_list(ctx, ciphers) != WOLFSSL_SUCCESS)
        die("cipher list not accepted");

    /* wolfSSL's DTLS reads a whole datagram from its descriptor and does not
     * demultiplex peers, so the socket is connected to the first client:
     * peek (leaving the ClientHello for wolfSSL) to learn its address. */
    struct sockaddr_in peer;
    socklen_t peer_size = sizeof peer;
    unsigned char first;
    if (recvfrom(fd, &first, sizeof first, MSG_PEEK, (struct sockaddr *)&peer, &peer_size) < 0)
        die("recvfrom failed");
    if (connect(fd, (struct sockaddr *)&peer, peer_size) != 0)
        die("connect to the client failed");

    WOLFSSL *ssl = wolfSSL_new(ctx);
    if (ssl == NULL)
        die("wolfSSL_new failed");
    if (wolfSSL_set_fd(ssl, fd) != WOLFSSL_SUCCESS)
        die("wolfSSL_set_fd failed");
    if (wolfSSL_dtls_set_peer(ssl, &peer, peer_size) != WOLFSSL_SUCCESS)
        die("wolfSSL_dtls_set_peer failed");
    /* The path outlives the connection (it is argv), so it can be the
     * callback's context. */
    if (wolfSSL_set_tls13_secret_cb(ssl, log_secret, (void *)keylog) != WOLFSSL_SUCCESS)
        die("wolfSSL_set_tls13_secret_cb failed");
    /* wolfSSL derives the exporter master secret (and so calls back with
     * EXPORTER_SECRET) only when it keeps the handshake's arrays. */
    wolfSSL_KeepArrays(ssl);

    int ret = wolfSSL_accept(ssl);
    if (ret != WOLFSSL_SUCCESS)
        die_ssl(ssl, "handshake failed", ret);
    fprintf(stderr, "handshake done: %s, %s\n", wolfSSL_get_version(ssl), wolfSSL_get_cipher(ssl));

    char record[2048];
    int size = wolfSSL_read(ssl, record, sizeof record);
    if (size <= 0)
        die_ssl(ssl, "read failed", size);
    ret = wolfSSL_write(ssl, record, size);
    if (ret != size)
        die_ssl(ssl, "echo failed", ret);
    /* Sends our close_notify; not waiting for the client's, whose loss
     * would otherwise hold us until the alarm. */
    wolfSSL_shutdown(ssl);

    wolfSSL_FreeArrays(ssl);
    wolfSSL_free(ssl);
    wolfSSL_CTX_free(ctx);
    wolfSSL_Cleanup();
    close(fd);
    return 0;
}
