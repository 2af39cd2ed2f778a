/* Shared plumbing of the interop peer programs (see peer_common.h). */
#include "peer_common.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static const struct {
    const char *name;
    uint16_t id;
} suites[] = {
    {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", 0xC02B},
    {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", 0xC02C},
    {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 0xC02F},
    {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", 0xC030},
    {"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", 0xCCA8},
    {"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", 0xCCA9},
    {"TLS_ECDHE_ECDSA_WITH_AES_128_CCM", 0xC0AC},
    {"TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", 0xC0AE},
};

static void vreport(const char *prefix, const char *format, va_list args) {
    printf("%s", prefix);
    vprintf(format, args);
    printf("\n");
    fflush(stdout);
}

void peer_log(const char *format, ...) {
    va_list args;
    va_start(args, format);
    vreport("", format, args);
    va_end(args);
}

void peer_fail(const char *format, ...) {
    va_list args;
    va_start(args, format);
    vreport("error ", format, args);
    va_end(args);
    exit(1);
}

void peer_unsupported(const char *format, ...) {
    va_list args;
    va_start(args, format);
    vreport("unsupported ", format, args);
    va_end(args);
    exit(2);
}

static int parse_int(const char *text, const char *option) {
    char *end = NULL;
    long value = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || value < 0 || value > 65535) peer_fail("bad value for %s: %s", option, text);
    return (int)value;
}

void peer_parse_args(int argc, char **argv, struct peer_options *o) {
    memset(o, 0, sizeof *o);
    o->suite = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
    o->group = "x25519";
    o->mtu = 1200;
    o->cookies = 1;
    o->host = "server.test";
    for (int i = 1; i < argc; ++i) {
        const char *option = argv[i];
        if (strcmp(option, "--client-auth") == 0) {
            o->client_auth = 1;
            continue;
        }
        if (strcmp(option, "--close-first") == 0) {
            o->close_first = 1;
            continue;
        }
        if (i + 1 >= argc) peer_fail("option %s needs a value", option);
        const char *value = argv[++i];
        if (strcmp(option, "--role") == 0) {
            if (strcmp(value, "server") != 0 && strcmp(value, "client") != 0) peer_fail("bad role %s", value);
            o->is_server = strcmp(value, "server") == 0;
        } else if (strcmp(option, "--port") == 0) {
            o->port = parse_int(value, option);
        } else if (strcmp(option, "--cert") == 0) {
            o->cert = value;
        } else if (strcmp(option, "--key") == 0) {
            o->key = value;
        } else if (strcmp(option, "--ca") == 0) {
            o->ca = value;
        } else if (strcmp(option, "--suite") == 0) {
            if (peer_suite_id(value) == 0) peer_fail("unknown suite %s", value);
            o->suite = value;
        } else if (strcmp(option, "--group") == 0) {
            if (strcmp(value, "x25519") != 0 && strcmp(value, "secp256r1") != 0 && strcmp(value, "secp384r1") != 0) {
                peer_fail("unknown group %s", value);
            }
            o->group = value;
        } else if (strcmp(option, "--mtu") == 0) {
            o->mtu = parse_int(value, option);
        } else if (strcmp(option, "--cookies") == 0) {
            o->cookies = parse_int(value, option) != 0;
        } else if (strcmp(option, "--alpn") == 0) {
            o->alpn = value;
        } else if (strcmp(option, "--host") == 0) {
            o->host = value;
        } else {
            peer_fail("unknown option %s", option);
        }
    }
    if (!o->is_server && o->port == 0) peer_fail("a client needs --port");
}

int peer_groups(const struct peer_options *o, const char *groups[3]) {
    static const char *const all[3] = {"x25519", "secp256r1", "secp384r1"};
    int count = 0;
    groups[count++] = o->group;
    for (int i = 0; i < 3; ++i) {
        if (strcmp(all[i], o->group) != 0) groups[count++] = all[i];
    }
    return count;
}

uint16_t peer_suite_id(const char *iana_name) {
    for (size_t i = 0; i < sizeof suites / sizeof suites[0]; ++i) {
        if (strcmp(suites[i].name, iana_name) == 0) return suites[i].id;
    }
    return 0;
}

/* A receive timeout, so a silent peer ends the program instead of hanging it. */
static int new_udp_socket(void) {
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) peer_fail("socket: %s", strerror(errno));
    struct timeval timeout = {PEER_TIMEOUT_MS / 1000, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    return fd;
}

static struct sockaddr_in loopback(int port) {
    struct sockaddr_in address;
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons((uint16_t)port);
    return address;
}

int peer_server_socket(void) {
    int fd = new_udp_socket();
    struct sockaddr_in address = loopback(0);
    if (bind(fd, (struct sockaddr *)&address, sizeof address) != 0) peer_fail("bind: %s", strerror(errno));
    socklen_t length = sizeof address;
    if (getsockname(fd, (struct sockaddr *)&address, &length) != 0) peer_fail("getsockname: %s", strerror(errno));
    peer_log("listening %d", ntohs(address.sin_port));
    return fd;
}

void peer_server_await_client(int fd) {
    struct pollfd waiting = {fd, POLLIN, 0};
    if (poll(&waiting, 1, PEER_TIMEOUT_MS) != 1) peer_fail("no datagram from a client");
    uint8_t byte;
    struct sockaddr_in from;
    socklen_t length = sizeof from;
    if (recvfrom(fd, &byte, 1, MSG_PEEK, (struct sockaddr *)&from, &length) < 0) {
        peer_fail("recvfrom: %s", strerror(errno));
    }
    if (connect(fd, (struct sockaddr *)&from, length) != 0) peer_fail("connect: %s", strerror(errno));
}

int peer_client_socket(int port) {
    int fd = new_udp_socket();
    struct sockaddr_in address = loopback(port);
    if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0) peer_fail("connect: %s", strerror(errno));
    return fd;
}

size_t peer_message(int index, uint8_t *out) {
    static const size_t sizes[PEER_MESSAGES] = {1, 100, 200};
    size_t size = sizes[index];
    for (size_t i = 0; i < size; ++i) out[i] = (uint8_t)(index * 97 + i * 7 + 1);
    return size;
}

static void expect_message(int index, const uint8_t *got, int length) {
    uint8_t expected[PEER_MAX_MESSAGE];
    size_t size = peer_message(index, expected);
    if (length < 0) peer_fail("message %d: read failed", index);
    if ((size_t)length != size || memcmp(got, expected, size) != 0) {
        peer_fail("message %d: got %d bytes that differ from the %zu sent", index, length, size);
    }
}

void peer_run_exchange(const struct peer_options *o, struct peer_session *s) {
    uint8_t buffer[2048];
    for (int i = 0; i < PEER_MESSAGES; ++i) {
        if (o->is_server) {
            int length = s->read(s->ctx, buffer, sizeof buffer);
            expect_message(i, buffer, length);
            if (s->write(s->ctx, buffer, (size_t)length) != 0) peer_fail("echo %d: write failed", i);
        } else {
            uint8_t message[PEER_MAX_MESSAGE];
            size_t size = peer_message(i, message);
            if (s->write(s->ctx, message, size) != 0) peer_fail("message %d: write failed", i);
            expect_message(i, buffer, s->read(s->ctx, buffer, sizeof buffer));
        }
    }
    peer_log("data ok");
    if (o->close_first && s->close_first(s->ctx) != 0) peer_fail("no close_notify answered ours");
    if (!o->close_first && s->answer_close(s->ctx) != 0) peer_fail("no close_notify came to answer");
    peer_log("closed ok");
}

void peer_report_established(uint16_t suite, const char *group, const char *alpn) {
    peer_log("established suite=0x%04X group=%s alpn=%s", suite, group ? group : "?", alpn && *alpn ? alpn : "-");
}
