/* What every interop peer program shares: its command line, its UDP socket,
 * the messages of the exchange, and the lines it reports to the driver.
 *
 * Command line (every option but --role and --port has a default):
 *   --role client|server   --port N (client: the server's port on 127.0.0.1)
 *   --cert F --key F       PEM chain and PKCS#8 key (server; client with --client-auth)
 *   --ca F                 PEM roots trusted for the peer's certificate
 *   --suite IANA_NAME      the only cipher suite offered
 *   --group NAME           x25519 | secp256r1 | secp384r1: offered first, the other
 *                          two after it (strict libraries accept an ECDSA certificate
 *                          only on a curve both sides list, RFC 8422 5.1)
 *   --mtu N                UDP payload bytes per datagram
 *   --cookies 0|1          server: HelloVerifyRequest exchange
 *   --client-auth          server: require a client certificate; client: present one
 *   --alpn NAME            the only ALPN protocol offered
 *   --host NAME            the name the client expects in the server's certificate
 *   --close-first          the peer sends close_notify first (default: it waits
 *                          for the other side's and answers it)
 *
 * Lines on stdout, each flushed at once:
 *   listening PORT                          server, once its socket is bound
 *   established suite=0xC02B group=x25519 alpn=NAME|-
 *   data ok                                 three messages went both ways intact
 *   closed ok                               close_notify went both ways
 *   error TEXT (exit 1) / unsupported TEXT (exit 2)
 *
 * The exchange: the client sends message 0, 1, 2 (peer_message), waiting for
 * each to be echoed byte for byte; the server checks each and echoes it. Then
 * the other side closes and the peer answers its close_notify, or with
 * --close-first the peer closes and waits for the answer. */
#ifndef INTEROP_PEER_COMMON_H
#define INTEROP_PEER_COMMON_H

#include <stddef.h>
#include <stdint.h>

#define PEER_MESSAGES 3
#define PEER_MAX_MESSAGE 256
#define PEER_TIMEOUT_MS 10000

struct peer_options {
    int is_server;
    int port;
    const char *cert;
    const char *key;
    const char *ca;
    const char *suite;
    const char *group;
    int mtu;
    int cookies;
    int client_auth;
    const char *alpn;
    const char *host;
    int close_first;
};

/* What the exchange needs from a library, over an established session. */
struct peer_session {
    void *ctx;
    /* Sends one record; returns 0 on success. */
    int (*write)(void *ctx, const uint8_t *data, size_t length);
    /* Reads one record into buf; returns its length, or -1 (error reported). */
    int (*read)(void *ctx, uint8_t *buf, size_t size);
    /* Sends close_notify and waits for the other side's; returns 0 if it came. */
    int (*close_first)(void *ctx);
    /* Waits for the other side's close_notify and answers it; returns 0 if
     * it came and the answer was sent. */
    int (*answer_close)(void *ctx);
};

void peer_parse_args(int argc, char **argv, struct peer_options *options);

/* The groups to offer, in order (see --group); returns how many (3). */
int peer_groups(const struct peer_options *options, const char *groups[3]);

/* IANA code point of a suite name from the command line; 0 if unknown. */
uint16_t peer_suite_id(const char *iana_name);

/* Server: a UDP socket on 127.0.0.1 (kernel-chosen port, reported as
 * "listening PORT"), connected to whoever sends the first datagram, which is
 * left unread for the library. Client: a UDP socket connected to the server. */
int peer_server_socket(void);
void peer_server_await_client(int fd);
int peer_client_socket(int port);

/* Message `index` of the exchange: deterministic bytes that fit any MTU used. */
size_t peer_message(int index, uint8_t *out);

/* Runs the exchange and the close; reports "data ok" and "closed ok". */
void peer_run_exchange(const struct peer_options *options, struct peer_session *session);

void peer_report_established(uint16_t suite, const char *group, const char *alpn);
void peer_fail(const char *format, ...) __attribute__((noreturn, format(printf, 1, 2)));
void peer_unsupported(const char *format, ...) __attribute__((noreturn, format(printf, 1, 2)));
void peer_log(const char *format, ...) __attribute__((format(printf, 1, 2)));

#endif
