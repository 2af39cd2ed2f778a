/*
 * A DTLS echo server written the way Schannel DTLS code is written on
 * Windows: AcceptSecurityContext with the client's address in a
 * SECBUFFER_EXTRA buffer, the fragment and timeout loops, DecryptMessage /
 * EncryptMessage, and SCHANNEL_SHUTDOWN.
 *
 *   sspi_server PORT CERT KEY [--mtu N] [--count N] [--ca FILE]
 *
 * Serves one client at a time on 127.0.0.1:PORT (0: any free port; the port
 * is printed). Each message is printed as "received: TEXT" and sent back.
 * After --count messages (default 1) it shuts the session down and exits 0;
 * it also exits 0 when the client closes. --ca asks for a client certificate
 * checked against FILE.
 */
#include <dtls/sspi.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sspi_common.h"

#define MAX_DATAGRAM 65536
#define IDLE_LIMIT_MS 30000

struct session {
    int fd;
    CredHandle credential;
    CtxtHandle context;
    BOOL have_context;
    BOOL established;
    struct sockaddr_in peer;
    ULONG mtu;
    ULONG requirements;
};

static void send_to_peer(struct session *s, const void *data, ULONG size) {
    if (size) sendto(s->fd, data, size, 0, (const struct sockaddr *)&s->peer, sizeof s->peer);
}

/* One AcceptSecurityContext call, then the rest of the flight: each call
   hands back one datagram; SEC_I_MESSAGE_FRAGMENT means another follows. */
static SECURITY_STATUS accept_step(struct session *s, unsigned char *datagram, ULONG size) {
    SECURITY_STATUS status;
    do {
        SecBuffer in_buffers[4], out_buffers[2];
        SecBufferDesc in_desc, out_desc;
        SEC_DTLS_MTU path_mtu;
        ULONG attributes = 0, count = 0;
        in_buffers[count].BufferType = SECBUFFER_TOKEN; /* a zero-length token: "no new datagram" */
        in_buffers[count].cbBuffer = size;
        in_buffers[count++].pvBuffer = datagram;
        in_buffers[count].BufferType = SECBUFFER_EMPTY;
        in_buffers[count].cbBuffer = 0;
        in_buffers[count++].pvBuffer = NULL;
        in_buffers[count].BufferType = SECBUFFER_EXTRA; /* the client's address: the cookie is bound to it */
        in_buffers[count].cbBuffer = sizeof s->peer;
        in_buffers[count++].pvBuffer = &s->peer;
        if (s->mtu && !s->have_context) {
            path_mtu.PathMTU = (unsigned short)s->mtu;
            in_buffers[count].BufferType = SECBUFFER_DTLS_MTU;
            in_buffers[count].cbBuffer = sizeof path_mtu;
            in_buffers[count++].pvBuffer = &path_mtu;
        }
        in_desc.ulVersion = SECBUFFER_VERSION;
        in_desc.cBuffers = count;
        in_desc.pBuffers = in_buffers;
        out_buffers[0].BufferType = SECBUFFER_TOKEN;
        out_buffers[0].cbBuffer = 0;
        out_buffers[0].pvBuffer = NULL;
        out_buffers[1].BufferType = SECBUFFER_ALERT;
        out_buffers[1].cbBuffer = 0;
        out_buffers[1].pvBuffer = NULL;
        out_desc.ulVersion = SECBUFFER_VERSION;
        out_desc.cBuffers = 2;
        out_desc.pBuffers = out_buffers;

        status = AcceptSecurityContext(&s->credential, s->have_context ? &s->context : NULL, &in_desc,
                                       s->requirements, SECURITY_NATIVE_DREP,
                                       s->have_context ? NULL : &s->context, &out_desc, &attributes, NULL);
        if (SecIsValidHandle(&s->context)) s->have_context = TRUE;
        send_to_peer(s, out_buffers[0].pvBuffer, out_buffers[0].cbBuffer);
        send_to_peer(s, out_buffers[1].pvBuffer, out_buffers[1].cbBuffer);
        if (out_buffers[0].pvBuffer) FreeContextBuffer(out_buffers[0].pvBuffer);
        if (out_buffers[1].pvBuffer) FreeContextBuffer(out_buffers[1].pvBuffer);
        size = 0; /* further fragments are asked for without input */
    } while (status == SEC_I_MESSAGE_FRAGMENT);
    return status;
}

static int echo(struct session *s, const unsigned char *text, ULONG length) {
    static unsigned char record[MAX_DATAGRAM];
    SecPkgContext_DatagramSizes sizes;
    SecBuffer buffers[4];
    SecBufferDesc desc;
    SECURITY_STATUS status = QueryContextAttributes(&s->context, SECPKG_ATTR_DATAGRAM_SIZES, &sizes);
    if (status != SEC_E_OK || length > sizes.cbMaximumMessage) return 0;
    memcpy(record + sizes.cbHeader, text, length);
    buffers[0].BufferType = SECBUFFER_STREAM_HEADER;
    buffers[0].cbBuffer = sizes.cbHeader;
    buffers[0].pvBuffer = record;
    buffers[1].BufferType = SECBUFFER_DATA;
    buffers[1].cbBuffer = length;
    buffers[1].pvBuffer = record + sizes.cbHeader;
    buffers[2].BufferType = SECBUFFER_STREAM_TRAILER;
    buffers[2].cbBuffer = sizes.cbTrailer;
    buffers[2].pvBuffer = record + sizes.cbHeader + length;
    buffers[3].BufferType = SECBUFFER_EMPTY;
    buffers[3].cbBuffer = 0;
    buffers[3].pvBuffer = NULL;
    desc.ulVersion = SECBUFFER_VERSION;
    desc.cBuffers = 4;
    desc.pBuffers = buffers;
    status = EncryptMessage(&s->context, 0, &desc, 0);
    if (status != SEC_E_OK) return report("EncryptMessage", status), 0;
    send_to_peer(s, record, buffers[0].cbBuffer + buffers[1].cbBuffer + buffers[2].cbBuffer);
    return 1;
}

static void shutdown_session(struct session *s) {
    DWORD type = SCHANNEL_SHUTDOWN;
    SecBuffer buffer;
    SecBufferDesc desc;
    buffer.BufferType = SECBUFFER_TOKEN;
    buffer.cbBuffer = sizeof type;
    buffer.pvBuffer = &type;
    desc.ulVersion = SECBUFFER_VERSION;
    desc.cBuffers = 1;
    desc.pBuffers = &buffer;
    if (ApplyControlToken(&s->context, &desc) == SEC_E_OK) accept_step(s, NULL, 0); /* sends close_notify */
}

/* Data mode: each datagram may hold several records; SECBUFFER_EXTRA
   points at the next one. Returns 1 to go on, 0 when the session is over. */
static int receive_records(struct session *s, unsigned char *datagram, ULONG size, int *messages, int count) {
    while (size > 0) {
        SecBuffer buffers[4];
        SecBufferDesc desc;
        SECURITY_STATUS status;
        unsigned char *extra = NULL;
        ULONG extra_size = 0;
        int i;
        buffers[0].BufferType = SECBUFFER_DATA;
        buffers[0].cbBuffer = size;
        buffers[0].pvBuffer = datagram;
        for (i = 1; i < 4; ++i) {
            buffers[i].BufferType = SECBUFFER_EMPTY;
            buffers[i].cbBuffer = 0;
            buffers[i].pvBuffer = NULL;
        }
        desc.ulVersion = SECBUFFER_VERSION;
        desc.cBuffers = 4;
        desc.pBuffers = buffers;
        status = DecryptMessage(&s->context, &desc, 0, NULL);
        if (status == SEC_E_UNFINISHED_CONTEXT_DELETED) {
            /* The client resent its last flight: our final flight was lost. */
            accept_step(s, datagram, size);
            return 1;
        }
        if (status == SEC_I_CONTEXT_EXPIRED) {
            printf("client closed the session\n");
            return 0;
        }
        if (status != SEC_E_OK && status != SEC_E_OUT_OF_SEQUENCE && status != SEC_E_INVALID_TOKEN) {
            report("DecryptMessage", status);
            return 0;
        }
        for (i = 0; i < 4; ++i) {
            if (status == SEC_E_OK && buffers[i].BufferType == SECBUFFER_DATA && buffers[i].cbBuffer > 0) {
                printf("received: %.*s\n", (int)buffers[i].cbBuffer, (const char *)buffers[i].pvBuffer);
                fflush(stdout);
                if (!echo(s, buffers[i].pvBuffer, buffers[i].cbBuffer)) return 0;
                if (++*messages >= count) {
                    shutdown_session(s);
                    return 0;
                }
            }
            if (buffers[i].BufferType == SECBUFFER_EXTRA) {
                extra = buffers[i].pvBuffer;
                extra_size = buffers[i].cbBuffer;
            }
        }
        datagram = extra;
        size = extra_size;
    }
    return 1;
}

int main(int argc, char **argv) {
    static unsigned char datagram[MAX_DATAGRAM];
    struct session s;
    struct sockaddr_in local;
    socklen_t local_len = sizeof local;
    SCHANNEL_CRED cred_data;
    PCCERT_CONTEXT certificate;
    const char *ca = NULL;
    int count = 1, messages = 0, i, result = 1;
    SECURITY_STATUS status;

    if (argc < 4) {
        fprintf(stderr, "usage: %s PORT CERT KEY [--mtu N] [--count N] [--ca FILE]\n", argv[0]);
        return 2;
    }
    memset(&s, 0, sizeof s);
    s.requirements = ASC_REQ_SEQUENCE_DETECT | ASC_REQ_REPLAY_DETECT | ASC_REQ_CONFIDENTIALITY |
                     ASC_REQ_EXTENDED_ERROR | ASC_REQ_ALLOCATE_MEMORY | ASC_REQ_DATAGRAM;
    for (i = 4; i < argc; ++i) {
        if (!strcmp(argv[i], "--mtu") && i + 1 < argc) s.mtu = (ULONG)strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--count") && i + 1 < argc) count = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--ca") && i + 1 < argc) ca = argv[++i];
        else return fprintf(stderr, "unknown option %s\n", argv[i]), 2;
    }

    /* Linux extension: the certificate and its key come from files. */
    certificate = DtlsSspiCertificateFromFiles(argv[2], argv[3]);
    if (!certificate) return fprintf(stderr, "%s\n", DtlsSspiLastError()), 1;
    memset(&cred_data, 0, sizeof cred_data);
    cred_data.dwVersion = SCHANNEL_CRED_VERSION;
    cred_data.cCreds = 1;
    cred_data.paCred = &certificate;
    cred_data.grbitEnabledProtocols = SP_PROT_DTLS1_2_SERVER;
    if (ca) {
        cred_data.hRootStore = DtlsSspiOpenCaFile(ca);
        s.requirements |= ASC_REQ_MUTUAL_AUTH;
    }
    status = AcquireCredentialsHandle(NULL, UNISP_NAME, SECPKG_CRED_INBOUND, NULL, &cred_data, NULL, NULL,
                                      &s.credential, NULL);
    CertFreeCertificateContext(certificate);
    if (cred_data.hRootStore) CertCloseStore(cred_data.hRootStore, 0);
    if (status != SEC_E_OK) return report("AcquireCredentialsHandle", status), 1;
    SecInvalidateHandle(&s.context);

    s.fd = socket(AF_INET, SOCK_DGRAM, 0);
    memset(&local, 0, sizeof local);
    local.sin_family = AF_INET;
    local.sin_port = htons((unsigned short)atoi(argv[1]));
    local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (s.fd < 0 || bind(s.fd, (struct sockaddr *)&local, sizeof local) != 0 ||
        getsockname(s.fd, (struct sockaddr *)&local, &local_len) != 0) {
        return fprintf(stderr, "cannot bind UDP port %s\n", argv[1]), 1;
    }
    printf("listening on 127.0.0.1:%u\n", (unsigned)ntohs(local.sin_port));
    fflush(stdout);

    for (;;) {
        struct sockaddr_in from;
        socklen_t from_len = sizeof from;
        ULONG wait = s.have_context && !s.established ? handshake_wait(&s.context) : IDLE_LIMIT_MS;
        long n = receive_datagram(s.fd, datagram, sizeof datagram, wait, (struct sockaddr *)&from, &from_len);
        if (n < 0) break;
        if (n == 0) {
            if (!s.have_context || s.established) {
                fprintf(stderr, "idle for %d ms, giving up\n", IDLE_LIMIT_MS);
                break;
            }
            status = accept_step(&s, NULL, 0); /* timeout: retransmit our last flight */
        } else if (!s.established) {
            if (!s.have_context) s.peer = from;
            else if (from.sin_port != s.peer.sin_port || from.sin_addr.s_addr != s.peer.sin_addr.s_addr) continue;
            status = accept_step(&s, datagram, (ULONG)n);
        } else {
            if (from.sin_port != s.peer.sin_port || from.sin_addr.s_addr != s.peer.sin_addr.s_addr) continue;
            if (!receive_records(&s, datagram, (ULONG)n, &messages, count)) {
                result = 0;
                break;
            }
            continue;
        }
        if (status == SEC_E_OK) {
            s.established = TRUE;
            printf("handshake complete\n");
            fflush(stdout);
        } else if (status != SEC_I_CONTINUE_NEEDED && status != SEC_E_INCOMPLETE_MESSAGE &&
                   !(status == SEC_E_INVALID_TOKEN && !s.have_context)) {
            report("AcceptSecurityContext", status);
            break;
        }
    }
    if (s.have_context) DeleteSecurityContext(&s.context);
    FreeCredentialsHandle(&s.credential);
    close(s.fd);
    return result;
}
