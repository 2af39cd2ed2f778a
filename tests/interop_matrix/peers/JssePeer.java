// Interop peer: Java's SunJSSE (SSLEngine, "DTLSv1.2") over a UDP socket.
// Same command line, exchange and report lines as the C peers (peer_common.h).
//
// SunJSSE has no API that names the negotiated ECDHE group: this peer offers
// the cell's group first (jdk.tls.namedGroups) and reports "group=unknown".
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

public final class JssePeer {
    private static final int TIMEOUT_MS = 10000;
    private static final int[] MESSAGE_SIZES = {1, 100, 200};
    private static final Map<String, Integer> SUITE_IDS = Map.of(
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", 0xC02B,
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", 0xC02C,
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 0xC02F,
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", 0xC030,
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", 0xCCA8,
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", 0xCCA9);

    private boolean server;
    private int port;
    private String cert, key, ca, alpn;
    private String suite = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
    private String group = "x25519";
    private String host = "server.test";
    private int mtu = 1200;
    private boolean clientAuth;
    private boolean closeFirst;

    private DatagramSocket socket;
    private SSLEngine engine;
    private final ArrayDeque<byte[]> received = new ArrayDeque<>();
    private boolean peerClosed;

    static final class Unsupported extends Exception {
        Unsupported(String why, Throwable cause) { super(why, cause); }
    }

    public static void main(String[] args) {
        JssePeer peer = new JssePeer();
        try {
            peer.parse(args);
            System.setProperty("jdk.tls.namedGroups", peer.groups());
            peer.run();
        } catch (Unsupported e) {
            report("unsupported " + e.getMessage() + (e.getCause() != null ? ": " + e.getCause() : ""));
            System.exit(2);
        } catch (Exception e) {
            report("error " + e);
            System.exit(1);
        }
        System.exit(0);
    }

    private static void report(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; ++i) {
            String option = args[i];
            if (option.equals("--client-auth")) {
                clientAuth = true;
                continue;
            }
            if (option.equals("--close-first")) {
                closeFirst = true;
                continue;
            }
            String value = args[++i];
            switch (option) {
                case "--role": server = value.equals("server"); break;
                case "--port": port = Integer.parseInt(value); break;
                case "--cert": cert = value; break;
                case "--key": key = value; break;
                case "--ca": ca = value; break;
                case "--suite": suite = value; break;
                case "--group": group = value; break;
                case "--mtu": mtu = Integer.parseInt(value); break;
                case "--cookies": break;  // SunJSSE has no switch; the driver observes what it does
                case "--alpn": alpn = value; break;
                case "--host": host = value; break;
                default: throw new IllegalArgumentException("unknown option " + option);
            }
        }
    }

    // The cell's group first, then the others (as peer_groups() in C).
    private String groups() {
        StringBuilder list = new StringBuilder(group);
        for (String other : new String[] {"x25519", "secp256r1", "secp384r1"}) {
            if (!other.equals(group)) list.append(',').append(other);
        }
        return list.toString();
    }

    private static byte[] pemBody(String pem, String label) {
        int begin = pem.indexOf("-----BEGIN " + label + "-----");
        int end = pem.indexOf("-----END " + label + "-----");
        String body = pem.substring(begin + label.length() + 16, end).replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }

    private static PrivateKey loadKey(String path) throws Exception {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pemBody(Files.readString(Path.of(path)), "PRIVATE KEY"));
        Exception last = null;
        for (String algorithm : new String[] {"EC", "RSA", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (Exception e) {
                last = e;
            }
        }
        throw new Unsupported("SunJSSE cannot load the key", last);
    }

    private SSLContext context() throws Exception {
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        KeyManagerFactory keys = null;
        if (cert != null && (server || clientAuth)) {
            Collection<? extends Certificate> chain =
                    x509.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(Path.of(cert))));
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("peer", loadKey(key), "pw".toCharArray(), chain.toArray(new Certificate[0]));
            keys = KeyManagerFactory.getInstance("SunX509");
            keys.init(store, "pw".toCharArray());
        }
        KeyStore roots = KeyStore.getInstance("PKCS12");
        roots.load(null, null);
        if (ca != null) {
            roots.setCertificateEntry("ca", x509.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(Path.of(ca)))));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(roots);
        SSLContext context = SSLContext.getInstance("DTLSv1.2");
        context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    private void run() throws Exception {
        SSLContext context = context();
        engine = server ? context.createSSLEngine() : context.createSSLEngine(host, port);
        engine.setUseClientMode(!server);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(new String[] {"DTLSv1.2"});
        parameters.setCipherSuites(new String[] {suite});
        parameters.setMaximumPacketSize(mtu);
        if (!server) parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (server && clientAuth) parameters.setNeedClientAuth(true);
        if (alpn != null) parameters.setApplicationProtocols(new String[] {alpn});
        engine.setSSLParameters(parameters);

        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setSoTimeout(TIMEOUT_MS);
        if (server) {
            report("listening " + socket.getLocalPort());
        } else {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        }

        handshake();
        String selected = engine.getApplicationProtocol();
        report(String.format("established suite=0x%04X group=unknown alpn=%s", SUITE_IDS.getOrDefault(
                engine.getSession().getCipherSuite(), 0), selected == null || selected.isEmpty() ? "-" : selected));
        exchange();
    }

    private void send(ByteBuffer packet) throws IOException {
        socket.send(new DatagramPacket(packet.array(), packet.arrayOffset() + packet.position(), packet.remaining()));
    }

    private ByteBuffer receive() throws IOException {
        byte[] buffer = new byte[65536];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.receive(packet);
        if (!socket.isConnected()) socket.connect(packet.getSocketAddress());  // server: the first client
        return ByteBuffer.wrap(buffer, 0, packet.getLength());
    }

    private SSLEngineResult wrapAndSend(ByteBuffer source) throws IOException {
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        SSLEngineResult result = engine.wrap(source, out);
        out.flip();
        if (out.hasRemaining()) send(out);
        return result;
    }

    // Unwraps every record of one datagram, keeping application data.
    private HandshakeStatus unwrapDatagram(ByteBuffer datagram) throws IOException {
        HandshakeStatus status = engine.getHandshakeStatus();
        do {
            ByteBuffer plain = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
            SSLEngineResult result = engine.unwrap(datagram, plain);
            status = result.getHandshakeStatus();
            plain.flip();
            if (plain.hasRemaining()) {
                byte[] data = new byte[plain.remaining()];
                plain.get(data);
                received.add(data);
            }
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) peerClosed = true;
            if (result.bytesConsumed() == 0 && result.bytesProduced() == 0) break;
        } while (datagram.hasRemaining() && status != HandshakeStatus.NEED_WRAP && status != HandshakeStatus.NEED_TASK);
        return status;
    }

    private void handshake() throws Exception {
        engine.beginHandshake();
        final ByteBuffer empty = ByteBuffer.allocate(0);
        while (true) {
            HandshakeStatus status = engine.getHandshakeStatus();
            switch (status) {
                case NEED_WRAP:
                    if (wrapAndSend(empty).getHandshakeStatus() == HandshakeStatus.FINISHED) return;
                    break;
                case NEED_UNWRAP:
                    if (unwrapDatagram(receive()) == HandshakeStatus.FINISHED) return;
                    break;
                case NEED_UNWRAP_AGAIN:
                    if (unwrapDatagram(empty) == HandshakeStatus.FINISHED) return;
                    break;
                case NEED_TASK:
                    for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
                        task.run();
                    }
                    break;
                default:
                    return;
            }
        }
    }

    private byte[] readRecord() throws IOException {
        while (received.isEmpty() && !peerClosed) unwrapDatagram(receive());
        if (received.isEmpty()) throw new IOException("close_notify instead of data");
        return received.poll();
    }

    private static byte[] message(int index) {
        byte[] data = new byte[MESSAGE_SIZES[index]];
        for (int i = 0; i < data.length; ++i) data[i] = (byte) (index * 97 + i * 7 + 1);
        return data;
    }

    private void closeAndFlush() throws IOException {
        engine.closeOutbound();
        while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) wrapAndSend(ByteBuffer.allocate(0));
    }

    private void exchange() throws Exception {
        for (int i = 0; i < MESSAGE_SIZES.length; ++i) {
            if (server) {
                byte[] got = readRecord();
                if (!Arrays.equals(got, message(i))) throw new IOException("message " + i + " differs");
                wrapAndSend(ByteBuffer.wrap(got));
            } else {
                wrapAndSend(ByteBuffer.wrap(message(i)));
                if (!Arrays.equals(readRecord(), message(i))) throw new IOException("echo " + i + " differs");
            }
        }
        report("data ok");
        if (closeFirst) {
            closeAndFlush();
            while (!peerClosed) unwrapDatagram(receive());
        } else {
            while (!peerClosed) unwrapDatagram(receive());
            closeAndFlush();  // answers the close_notify that came
        }
        report("closed ok");
    }
}
