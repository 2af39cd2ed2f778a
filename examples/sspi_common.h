/*
 * Helpers shared by sspi_client.c and sspi_server.c: UDP with a receive
 * timeout, and printing a failed SSPI call. On Windows these would be
 * Winsock calls; the SSPI code around them is the same.
 */
#ifndef SSPI_EXAMPLE_COMMON_H
#define SSPI_EXAMPLE_COMMON_H

#include <dtls/sspi.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>

/* Waits up to timeout_ms (INFINITE: forever) for a datagram. Returns its
   length, 0 on timeout, -1 on error. */
static long receive_datagram(int fd, unsigned char *buffer, size_t size, ULONG timeout_ms, struct sockaddr *from,
                             socklen_t *from_len) {
    struct pollfd p;
    int ready;
    long n;
    p.fd = fd;
    p.events = POLLIN;
    p.revents = 0;
    ready = poll(&p, 1, timeout_ms == INFINITE ? -1 : (int)timeout_ms);
    if (ready <= 0) return ready == 0 ? 0 : -1;
    n = (long)recvfrom(fd, buffer, size, 0, from, from_len);
    return n < 0 ? -1 : n;
}

static void report(const char *call, SECURITY_STATUS status) {
    fprintf(stderr, "%s failed: 0x%08lX (%s)\n", call, (unsigned long)(ULONG)status, DtlsSspiLastError());
}

/* How long to wait before calling ISC/ASC again without input: the
   provider's retransmission timer, capped so a lost flight is retried. */
static ULONG handshake_wait(PCtxtHandle context) {
    DtlsSspiNextTimeout next;
    if (QueryContextAttributes(context, DTLSSSPI_ATTR_NEXT_TIMEOUT, &next) != SEC_E_OK ||
        next.dwMilliseconds == INFINITE) {
        return 1000;
    }
    return next.dwMilliseconds;
}

#endif
