/* A wolfSSL 5.9.2 DTLS 1.3 peer with connection IDs (RFC 9147 9), for
 * tests/cli/wolfssl13_cid.sh: wolfSSL's example client and server have no
 * option that turns CIDs on, so this program calls wolfSSL_dtls_cid_use()
 * and wolfSSL_dtls_cid_set() itself.
 *
 * Usage:
 *   wolfssl13_cid_peer server PORT CERT KEY CID
 *   wolfssl13_cid_peer client PORT CA CID EXCHANGES
 *     PORT       UDP port on 127.0.0.1 (server: 0 lets the system pick; the
 *                port bound is printed as "listening on 127.0.0.1:PORT")
 *     CERT, KEY  the server's certificate chain and private key (PEM)
 *     CA         the certificate the client trusts (PEM)
 *     CID        the CID wolfSSL issues, in hex; "-" for a zero-length one
 *     EXCHANGES  how many lines the client sends, each of which must come
 *                back (the server echoes every record until close_notify)
 *
 * After the handshake it prints on stderr "handshake done: VERSION" and
 * "cid: enabled ours HEX, the peer's HEX" ("none" for an empty CID; "cid:
 * disabled" if none was negotiated). Any failure exits 1 with a message on
 * stderr; a 30 s alarm ends it if the peer never comes or stalls. DTLS 1.3
 * only: no fallback to 1.2. */
#include <wolfssl/options.h> /* first: the switches the library was built with */
#include <wolfssl/ssl.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#if !defined(WOLFSSL_DTLS13) || !defined(WOLFSSL_DTLS_CID)
#error "wolfSSL must be built with DTLS 1.3 and WOLFSSL_DTLS_CID (scripts/build-peers.sh)"
#endif

static void die(const char *what)
{
    fprintf(stderr, "wolfssl13_cid_peer: %s\n", what);
    exit(1);
}

static void die_ssl(WOLFSSL *ssl, const char *what, int ret)
{
    char text[WOLFSSL_MAX_ERROR_SZ];
    int err = wolfSSL_get_error(ssl, ret);
    wolfSSL_ERR_error_string_n((unsigned long)err, text, sizeof text);
    fprintf(stderr, "wolfssl13_cid_peer: %s: error %d (%s)\n", what, err, text);
    exit(1);
}

static long parse_port(const char *text)
{
    char *end;
    long port = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || port < 0 || port > 65535)
        die("PORT must be 0 to 65535");
    return port;
}

/* "-" is the zero-length CID; otherwise an even number of hex digits, at
 * most 255 bytes. Returns the length. */
static size_t parse_cid(const char *text, unsigned char *out, size_t capacity)
{
    if (strcmp(text, "-") == 0)
        return 0;
    size_t digits = strlen(text);
    if (digits == 0 || digits % 2 != 0 || digits / 2 > capacity)
        die("CID must be hex bytes, or - for an empty one");
    for (size_t i = 0; i < digits / 2; i++) {
        unsigned int byte;
        if (sscanf(text + 2 * i, "%2x", &byte) != 1)
            die("CID must be hex bytes, or - for an empty one");
        out[i] = (unsigned char)byte;
    }
    return digits / 2;
}

static void print_hex(const unsigned char *bytes, unsigned int size)
{
    if (size == 0) {
        fputs("none", stderr);
        return;
    }
    for (unsigned int i = 0; i < size; i++)
        fprintf(stderr, "%02x", bytes[i]);
}

/* The CIDs wolfSSL negotiated: rx is the one the peer's records carry (its
 * own), tx the one its records carry (the peer's). */
static void report(WOLFSSL *ssl)
{
    fprintf(stderr, "handshake done: %s\n", wolfSSL_get_version(ssl));
    if (!wolfSSL_dtls_cid_is_enabled(ssl)) {
        fputs("cid: disabled\n", stderr);
        return;
    }
    unsigned char *rx = NULL, *tx = NULL;
    unsigned int rx_size = 0, tx_size = 0;
    if (wolfSSL_dtls_cid_get_rx_size(ssl, &rx_size) != WOLFSSL_SUCCESS ||
        wolfSSL_dtls_cid_get_tx_size(ssl, &tx_size) != WOLFSSL_SUCCESS)
        die("cannot read the CID sizes");
    if (rx_size > 0 && wolfSSL_dtls_cid_get0_rx(ssl, &rx) != WOLFSSL_SUCCESS)
        die("cannot read our CID");
    if (tx_size > 0 && wolfSSL_dtls_cid_get0_tx(ssl, &tx) != WOLFSSL_SUCCESS)
        die("cannot read the peer's CID");
    fputs("cid: enabled ours ", stderr);
    print_hex(rx, rx_size);
    fputs(", the peer's ", stderr);
    print_hex(tx, tx_size);
    fputc('\n', stderr);
}

static void use_cid(WOLFSSL *ssl, const char *text)
{
    unsigned char cid[255];
    size_t size = parse_cid(text, cid, sizeof cid);
    if (wolfSSL_dtls_cid_use(ssl) != WOLFSSL_SUCCESS)
        die("wolfSSL_dtls_cid_use failed");
    if (wolfSSL_dtls_cid_set(ssl, size == 0 ? NULL : cid, (unsigned int)size) != WOLFSSL_SUCCESS)
        die("wolfSSL_dtls_cid_set failed");
}

static int bound_socket(long port)
{
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
    return fd;
}

static int serve(long port, const char *cert, const char *key, const char *cid)
{
    int fd = bound_socket(port);
    struct sockaddr_in local;
    socklen_t local_size = sizeof local;
    if (getsockname(fd, (struct sockaddr *)&local, &local_size) != 0)
        die("getsockname failed");
    fprintf(stderr, "listening on 127.0.0.1:%u\n", (unsigned)ntohs(local.sin_port));

    WOLFSSL_CTX *ctx = wolfSSL_CTX_new(wolfDTLSv1_3_server_method());
    if (ctx == NULL)
        die("wolfSSL_CTX_new failed");
    if (wolfSSL_CTX_use_certificate_chain_file(ctx, cert) != WOLFSSL_SUCCESS)
        die("cannot load the certificate");
    if (wolfSSL_CTX_use_PrivateKey_file(ctx, key, WOLFSSL_FILETYPE_PEM) != WOLFSSL_SUCCESS)
        die("cannot load the private key");

    /* wolfSSL's DTLS reads whole datagrams from its descriptor and does not
     * demultiplex peers: connect the socket to the first client, learnt by
     * peeking at its ClientHello. */
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
    if (wolfSSL_set_fd(ssl, fd) != WOLFSSL_SUCCESS || wolfSSL_dtls_set_peer(ssl, &peer, peer_size) != WOLFSSL_SUCCESS)
        die("cannot give wolfSSL the socket");
    use_cid(ssl, cid);
    int ret = wolfSSL_accept(ssl);
    if (ret != WOLFSSL_SUCCESS)
        die_ssl(ssl, "handshake failed", ret);
    report(ssl);

    /* Echo until the client's close_notify. */
    char record[2048];
    for (;;) {
        int size = wolfSSL_read(ssl, record, sizeof record);
        if (size <= 0) {
            if (wolfSSL_get_error(ssl, size) == WOLFSSL_ERROR_ZERO_RETURN)
                break;
            die_ssl(ssl, "read failed", size);
        }
        fprintf(stderr, "echoing %d bytes\n", size);
        ret = wolfSSL_write(ssl, record, size);
        if (ret != size)
            die_ssl(ssl, "echo failed", ret);
    }
    wolfSSL_shutdown(ssl);
    wolfSSL_free(ssl);
    wolfSSL_CTX_free(ctx);
    close(fd);
    return 0;
}

static int connect_to(long port, const char *ca, const char *cid, long exchanges)
{
    int fd = bound_socket(0);
    struct sockaddr_in server;
    memset(&server, 0, sizeof server);
    server.sin_family = AF_INET;
    server.sin_port = htons((unsigned short)port);
    server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&server, sizeof server) != 0)
        die("connect failed");

    WOLFSSL_CTX *ctx = wolfSSL_CTX_new(wolfDTLSv1_3_client_method());
    if (ctx == NULL)
        die("wolfSSL_CTX_new failed");
    if (wolfSSL_CTX_load_verify_locations(ctx, ca, NULL) != WOLFSSL_SUCCESS)
        die("cannot load the CA certificate");
    WOLFSSL *ssl = wolfSSL_new(ctx);
    if (ssl == NULL)
        die("wolfSSL_new failed");
    if (wolfSSL_set_fd(ssl, fd) != WOLFSSL_SUCCESS ||
        wolfSSL_dtls_set_peer(ssl, &server, sizeof server) != WOLFSSL_SUCCESS)
        die("cannot give wolfSSL the socket");
    if (wolfSSL_check_domain_name(ssl, "localhost") != WOLFSSL_SUCCESS)
        die("wolfSSL_check_domain_name failed");
    use_cid(ssl, cid);
    int ret = wolfSSL_connect(ssl);
    if (ret != WOLFSSL_SUCCESS)
        die_ssl(ssl, "handshake failed", ret);
    report(ssl);

    for (long i = 1; i <= exchanges; i++) {
        char line[64], answer[2048];
        int length = snprintf(line, sizeof line, "hello %ld from wolfssl\n", i);
        ret = wolfSSL_write(ssl, line, length);
        if (ret != length)
            die_ssl(ssl, "write failed", ret);
        int size = wolfSSL_read(ssl, answer, sizeof answer - 1);
        if (size <= 0)
            die_ssl(ssl, "read failed", size);
        answer[size] = '\0';
        fputs(answer, stdout);
        fflush(stdout);
    }
    wolfSSL_shutdown(ssl);
    wolfSSL_free(ssl);
    wolfSSL_CTX_free(ctx);
    close(fd);
    return 0;
}

int main(int argc, char **argv)
{
    /* The default SIGALRM action ends the process. */
    alarm(30);
    if (wolfSSL_Init() != WOLFSSL_SUCCESS)
        die("wolfSSL_Init failed");
    int status;
    if (argc == 6 && strcmp(argv[1], "server") == 0) {
        status = serve(parse_port(argv[2]), argv[3], argv[4], argv[5]);
    } else if (argc == 6 && strcmp(argv[1], "client") == 0) {
        char *end;
        long exchanges = strtol(argv[5], &end, 10);
        if (*argv[5] == '\0' || *end != '\0' || exchanges < 1 || exchanges > 1000)
            die("EXCHANGES must be 1 to 1000");
        status = connect_to(parse_port(argv[2]), argv[3], argv[4], exchanges);
    } else {
        fprintf(stderr, "usage: %s server PORT CERT KEY CID | client PORT CA CID EXCHANGES\n", argv[0]);
        return 2;
    }
    wolfSSL_Cleanup();
    return status;
}
