/*
 * A DTLS client written the way Schannel DTLS code is written on Windows:
 * AcquireCredentialsHandle, the InitializeSecurityContext loop (fragments,
 * timeouts), EncryptMessage / DecryptMessage, then SCHANNEL_SHUTDOWN.
 *
 *   sspi_client HOST PORT [--ca FILE] [--name NAME] [--mtu N] [--message TEXT] [--no-echo]
 *
 * Sends TEXT (default "hello") once the handshake is complete and, unless
 * --no-echo, waits for the server to send it back. Exits 0 on success.
 * Without --ca the server's certificate is not checked (manual validation).
 */
#include <dtls/sspi.h>

#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sspi_common.h"

#define MAX_DATAGRAM 65536

static int connect_udp(const char *host, const char *port) {
    struct addrinfo hints, *found = NULL;
    int fd = -1;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    if (getaddrinfo(host, port, &hints, &found) != 0 || !found) return -1;
    fd = socket(found->ai_family, SOCK_DGRAM, 0);
    if (fd >= 0 && connect(fd, found->ai_addr, found->ai_addrlen) != 0) {
        close(fd);
        fd = -1;
    }
    freeaddrinfo(found);
    return fd;
}

static int send_token(int fd, const SecBuffer *token) {
    if (token->cbBuffer == 0) return 1;
    return send(fd, token->pvBuffer, token->cbBuffer, 0) == (ssize_t)token->cbBuffer;
}

/* The handshake: one datagram in, one datagram out per call. */
static int handshake(int fd, PCredHandle credential, PCtxtHandle context, const char *name, ULONG mtu) {
    static unsigned char received[MAX_DATAGRAM];
    const ULONG requirements = ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT | ISC_REQ_CONFIDENTIALITY |
                               ISC_REQ_EXTENDED_ERROR | ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_DATAGRAM;
    SecBuffer in_buffers[2], out_buffers[2];
    SecBufferDesc in_desc, out_desc;
    SEC_DTLS_MTU path_mtu;
    PSecBufferDesc input = NULL; /* the first call has no input, as on Windows */
    BOOL first = TRUE;
    long received_size = 0;
    ULONG attributes = 0;
    SECURITY_STATUS status;

    if (mtu) { /* the MTU for the first ClientHello travels in the first call */
        path_mtu.PathMTU = (unsigned short)mtu;
        in_buffers[0].BufferType = SECBUFFER_DTLS_MTU;
        in_buffers[0].cbBuffer = sizeof path_mtu;
        in_buffers[0].pvBuffer = &path_mtu;
        in_desc.ulVersion = SECBUFFER_VERSION;
        in_desc.cBuffers = 1;
        in_desc.pBuffers = in_buffers;
        input = &in_desc;
    }
    for (;;) {
        out_buffers[0].BufferType = SECBUFFER_TOKEN;
        out_buffers[0].cbBuffer = 0;
        out_buffers[0].pvBuffer = NULL;
        out_buffers[1].BufferType = SECBUFFER_ALERT;
        out_buffers[1].cbBuffer = 0;
        out_buffers[1].pvBuffer = NULL;
        out_desc.ulVersion = SECBUFFER_VERSION;
        out_desc.cBuffers = 2;
        out_desc.pBuffers = out_buffers;

        status = InitializeSecurityContext(credential, first ? NULL : context, (SEC_CHAR *)name, requirements, 0,
                                           SECURITY_NATIVE_DREP, input, 0, first ? context : NULL, &out_desc,
                                           &attributes, NULL);
        first = FALSE;
        if (!send_token(fd, &out_buffers[0])) return 0;
        if (out_buffers[0].pvBuffer) FreeContextBuffer(out_buffers[0].pvBuffer);
        if (out_buffers[1].pvBuffer) {
            send_token(fd, &out_buffers[1]); /* tell the server why */
            FreeContextBuffer(out_buffers[1].pvBuffer);
        }
        input = NULL;

        if (status == SEC_E_OK) return 1;
        if (status == SEC_I_MESSAGE_FRAGMENT) continue; /* send the next datagram of the flight at once */
        if (status != SEC_I_CONTINUE_NEEDED && status != SEC_E_INCOMPLETE_MESSAGE) {
            report("InitializeSecurityContext", status);
            return 0;
        }
        /* Wait for the server; on timeout call again without input and the
           flight is retransmitted. */
        received_size = receive_datagram(fd, received, sizeof received, handshake_wait(context), NULL, NULL);
        if (received_size < 0) return 0;
        if (received_size == 0) continue;
        in_buffers[0].BufferType = SECBUFFER_TOKEN;
        in_buffers[0].cbBuffer = (ULONG)received_size;
        in_buffers[0].pvBuffer = received;
        in_buffers[1].BufferType = SECBUFFER_EMPTY;
        in_buffers[1].cbBuffer = 0;
        in_buffers[1].pvBuffer = NULL;
        in_desc.ulVersion = SECBUFFER_VERSION;
        in_desc.cBuffers = 2;
        in_desc.pBuffers = in_buffers;
        input = &in_desc;
    }
}

static int send_message(int fd, PCtxtHandle context, const char *text) {
    static unsigned char record[MAX_DATAGRAM];
    SecPkgContext_DatagramSizes sizes;
    SecBuffer buffers[4];
    SecBufferDesc desc;
    size_t length = strlen(text);
    SECURITY_STATUS status = QueryContextAttributes(context, SECPKG_ATTR_DATAGRAM_SIZES, &sizes);
    if (status != SEC_E_OK) return report("QueryContextAttributes", status), 0;
    if (length > sizes.cbMaximumMessage) return fprintf(stderr, "message too long\n"), 0;
    memcpy(record + sizes.cbHeader, text, length);
    buffers[0].BufferType = SECBUFFER_STREAM_HEADER;
    buffers[0].cbBuffer = sizes.cbHeader;
    buffers[0].pvBuffer = record;
    buffers[1].BufferType = SECBUFFER_DATA;
    buffers[1].cbBuffer = (ULONG)length;
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
    status = EncryptMessage(context, 0, &desc, 0);
    if (status != SEC_E_OK) return report("EncryptMessage", status), 0;
    length = buffers[0].cbBuffer + buffers[1].cbBuffer + buffers[2].cbBuffer;
    return send(fd, record, length, 0) == (ssize_t)length;
}

/* Waits for one application message and checks it is `expected`. */
static int receive_echo(int fd, PCtxtHandle context, const char *expected) {
    static unsigned char datagram[MAX_DATAGRAM];
    int attempts;
    for (attempts = 0; attempts < 50; ++attempts) {
        SecBuffer buffers[4];
        SecBufferDesc desc;
        SECURITY_STATUS status;
        int i;
        long n = receive_datagram(fd, datagram, sizeof datagram, 5000, NULL, NULL);
        if (n <= 0) return fprintf(stderr, "no echo from the server\n"), 0;
        buffers[0].BufferType = SECBUFFER_DATA;
        buffers[0].cbBuffer = (ULONG)n;
        buffers[0].pvBuffer = datagram;
        for (i = 1; i < 4; ++i) {
            buffers[i].BufferType = SECBUFFER_EMPTY;
            buffers[i].cbBuffer = 0;
            buffers[i].pvBuffer = NULL;
        }
        desc.ulVersion = SECBUFFER_VERSION;
        desc.cBuffers = 4;
        desc.pBuffers = buffers;
        status = DecryptMessage(context, &desc, 0, NULL);
        if (status == SEC_E_OUT_OF_SEQUENCE || status == SEC_E_INVALID_TOKEN) continue; /* discarded record */
        if (status != SEC_E_OK) return report("DecryptMessage", status), 0;
        for (i = 0; i < 4; ++i) {
            if (buffers[i].BufferType == SECBUFFER_DATA && buffers[i].cbBuffer > 0) {
                printf("received: %.*s\n", (int)buffers[i].cbBuffer, (const char *)buffers[i].pvBuffer);
                return buffers[i].cbBuffer == strlen(expected) &&
                       memcmp(buffers[i].pvBuffer, expected, buffers[i].cbBuffer) == 0;
            }
        }
    }
    return 0;
}

/* SCHANNEL_SHUTDOWN, then one more call for the close_notify to send. */
static void shutdown_context(int fd, PCtxtHandle context) {
    DWORD type = SCHANNEL_SHUTDOWN;
    SecBuffer buffer, out_buffer;
    SecBufferDesc desc, out_desc;
    ULONG attributes;
    buffer.BufferType = SECBUFFER_TOKEN;
    buffer.cbBuffer = sizeof type;
    buffer.pvBuffer = &type;
    desc.ulVersion = SECBUFFER_VERSION;
    desc.cBuffers = 1;
    desc.pBuffers = &buffer;
    if (ApplyControlToken(context, &desc) != SEC_E_OK) return;
    out_buffer.BufferType = SECBUFFER_TOKEN;
    out_buffer.cbBuffer = 0;
    out_buffer.pvBuffer = NULL;
    out_desc.ulVersion = SECBUFFER_VERSION;
    out_desc.cBuffers = 1;
    out_desc.pBuffers = &out_buffer;
    if (InitializeSecurityContext(NULL, context, NULL, ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_DATAGRAM, 0,
                                  SECURITY_NATIVE_DREP, NULL, 0, NULL, &out_desc, &attributes, NULL) == SEC_E_OK) {
        send_token(fd, &out_buffer);
    }
    if (out_buffer.pvBuffer) FreeContextBuffer(out_buffer.pvBuffer);
}

int main(int argc, char **argv) {
    const char *ca = NULL, *name = NULL, *message = "hello";
    ULONG mtu = 0;
    int echo = 1, fd, i, ok = 0;
    SCHANNEL_CRED cred_data;
    CredHandle credential;
    CtxtHandle context;
    SecPkgContext_CipherInfo cipher;
    SECURITY_STATUS status;

    if (argc < 3) {
        fprintf(stderr, "usage: %s HOST PORT [--ca FILE] [--name NAME] [--mtu N] [--message TEXT] [--no-echo]\n",
                argv[0]);
        return 2;
    }
    for (i = 3; i < argc; ++i) {
        if (!strcmp(argv[i], "--ca") && i + 1 < argc) ca = argv[++i];
        else if (!strcmp(argv[i], "--name") && i + 1 < argc) name = argv[++i];
        else if (!strcmp(argv[i], "--mtu") && i + 1 < argc) mtu = (ULONG)strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--message") && i + 1 < argc) message = argv[++i];
        else if (!strcmp(argv[i], "--no-echo")) echo = 0;
        else return fprintf(stderr, "unknown option %s\n", argv[i]), 2;
    }
    fd = connect_udp(argv[1], argv[2]);
    if (fd < 0) return fprintf(stderr, "cannot reach %s:%s\n", argv[1], argv[2]), 1;

    memset(&cred_data, 0, sizeof cred_data);
    cred_data.dwVersion = SCHANNEL_CRED_VERSION;
    cred_data.grbitEnabledProtocols = SP_PROT_DTLS1_2_CLIENT;
    cred_data.dwFlags = SCH_CRED_NO_DEFAULT_CREDS;
    if (ca) {
        cred_data.hRootStore = DtlsSspiOpenCaFile(ca); /* Linux extension: trusted roots from a PEM file */
        if (!cred_data.hRootStore) return fprintf(stderr, "%s\n", DtlsSspiLastError()), 1;
    } else {
        cred_data.dwFlags |= SCH_CRED_MANUAL_CRED_VALIDATION;
    }
    status = AcquireCredentialsHandle(NULL, UNISP_NAME, SECPKG_CRED_OUTBOUND, NULL, &cred_data, NULL, NULL,
                                      &credential, NULL);
    if (cred_data.hRootStore) CertCloseStore(cred_data.hRootStore, 0);
    if (status != SEC_E_OK) return report("AcquireCredentialsHandle", status), 1;
    SecInvalidateHandle(&context);

    if (handshake(fd, &credential, &context, name ? name : argv[1], mtu)) {
        if (QueryContextAttributes(&context, SECPKG_ATTR_CIPHER_INFO, &cipher) == SEC_E_OK) {
            printf("handshake complete: %ls\n", cipher.szCipherSuite);
            fflush(stdout);
        }
        ok = send_message(fd, &context, message) && (!echo || receive_echo(fd, &context, message));
        shutdown_context(fd, &context);
    }
    if (SecIsValidHandle(&context)) DeleteSecurityContext(&context);
    FreeCredentialsHandle(&credential);
    close(fd);
    printf("%s\n", ok ? "ok" : "failed");
    return ok ? 0 : 1;
}
