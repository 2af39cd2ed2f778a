#include "libssl_side.hpp"

#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "pki.hpp"

namespace dtls::bench {

bool DatagramQueue::push(std::span<const uint8_t> datagram) {
    if (count_ == kSlots || datagram.size() > kSlotBytes) return false;
    const size_t tail = (head_ + count_) % kSlots;
    std::memcpy(slots_[tail].data(), datagram.data(), datagram.size());
    sizes_[tail] = datagram.size();
    ++count_;
    return true;
}

void DatagramQueue::pop() {
    if (count_ == 0) return;
    head_ = (head_ + 1) % kSlots;
    --count_;
}

namespace {

[[noreturn]] void die(const char* what) {
    char detail[256] = "";
    ERR_error_string_n(ERR_get_error(), detail, sizeof detail);
    std::fprintf(stderr, "bench: libssl setup failed: %s %s\n", what, detail);
    std::abort();
}

DatagramPort& port_of(BIO* bio) { return *static_cast<DatagramPort*>(BIO_get_data(bio)); }

int bio_write(BIO* bio, const char* data, int length) {
    BIO_clear_retry_flags(bio);
    if (length < 0) return -1;
    // A full queue is a full socket buffer: the datagram is lost.
    port_of(bio).out->push({reinterpret_cast<const uint8_t*>(data), static_cast<size_t>(length)});
    return length;
}

int bio_read(BIO* bio, char* out, int capacity) {
    BIO_clear_retry_flags(bio);
    DatagramQueue& in = *port_of(bio).in;
    if (in.empty()) {
        BIO_set_retry_read(bio);
        return -1;
    }
    const std::span<const uint8_t> datagram = in.front();
    const size_t n = std::min(datagram.size(), static_cast<size_t>(std::max(capacity, 0)));
    std::memcpy(out, datagram.data(), n);
    in.pop();
    return static_cast<int>(n);
}

long write_peer(const DatagramPort& port, void* out) {
    sockaddr_in6 address{};
    address.sin6_family = AF_INET6;
    std::memcpy(&address.sin6_addr, port.peer.data(), 16);
    std::memcpy(&address.sin6_port, port.peer.data() + 16, 2);
    std::memcpy(out, &address, sizeof address);
    return sizeof address;
}

long bio_ctrl(BIO* bio, int command, long number, void* pointer) {
    DatagramPort& port = port_of(bio);
    switch (command) {
    case BIO_CTRL_DGRAM_QUERY_MTU:
    case BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
    case BIO_CTRL_DGRAM_GET_MTU:
        return port.mtu;
    case BIO_CTRL_DGRAM_SET_MTU:
        return number;
    case BIO_CTRL_DGRAM_GET_MTU_OVERHEAD:
    case BIO_CTRL_DGRAM_MTU_EXCEEDED:
    case BIO_CTRL_PENDING:
    case BIO_CTRL_WPENDING:
        return 0;
    case BIO_CTRL_DGRAM_GET_PEER:
        return pointer == nullptr ? 0 : write_peer(port, pointer);
    case BIO_CTRL_DGRAM_SET_PEER:
    case BIO_CTRL_DGRAM_CONNECT:
    case BIO_CTRL_DGRAM_SET_CONNECTED:
    case BIO_CTRL_DGRAM_SET_NEXT_TIMEOUT:
    case BIO_CTRL_FLUSH:
        return 1;
    default:
        return 0;
    }
}

int bio_create(BIO* bio) {
    BIO_set_init(bio, 1);
    return 1;
}

int bio_destroy(BIO* bio) {
    BIO_set_data(bio, nullptr);  // the port belongs to the caller
    return 1;
}

const BIO_METHOD* port_method() {
    static BIO_METHOD* method = [] {
        BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "dtls bench datagram port");
        BIO_meth_set_write(m, bio_write);
        BIO_meth_set_read(m, bio_read);
        BIO_meth_set_ctrl(m, bio_ctrl);
        BIO_meth_set_create(m, bio_create);
        BIO_meth_set_destroy(m, bio_destroy);
        return m;
    }();
    return method;
}

// The peer address libssl reports to the cookie callbacks, as 18 bytes.
std::array<uint8_t, 18> peer_bytes(SSL* ssl) {
    std::array<uint8_t, 18> bytes{};
    sockaddr_in6 address{};
    BIO_dgram_get_peer(SSL_get_rbio(ssl), &address);
    std::memcpy(bytes.data(), &address.sin6_addr, 16);
    std::memcpy(bytes.data() + 16, &address.sin6_port, 2);
    return bytes;
}

// A stateless cookie as applications write one for libssl: an HMAC-SHA256
// of the peer address under a secret.
int generate_cookie(SSL* ssl, unsigned char* cookie, unsigned int* length) {
    const std::array<uint8_t, 18> peer = peer_bytes(ssl);
    const std::span<const uint8_t> secret = cookie_secret();
    return HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), peer.data(), peer.size(), cookie,
                length) != nullptr;
}

int verify_cookie(SSL* ssl, const unsigned char* cookie, unsigned int length) {
    unsigned char expected[EVP_MAX_MD_SIZE];
    unsigned int expected_length = 0;
    if (generate_cookie(ssl, expected, &expected_length) != 1) return 0;
    return length == expected_length && CRYPTO_memcmp(cookie, expected, length) == 0;
}

void configure_common(SSL_CTX* context, const LibsslOptions& options) {
    SSL_CTX_set_min_proto_version(context, DTLS1_2_VERSION);
    SSL_CTX_set_max_proto_version(context, DTLS1_2_VERSION);
    SSL_CTX_set_options(context, SSL_OP_NO_QUERY_MTU | SSL_OP_NO_TICKET);
    SSL_CTX_set_session_cache_mode(context, SSL_SESS_CACHE_OFF);
    if (SSL_CTX_set_cipher_list(context, options.cipher.c_str()) != 1) die("cipher list");
    if (SSL_CTX_set1_groups_list(context, options.groups.c_str()) != 1) die("groups");
}

}  // namespace

BIO* make_port_bio(DatagramPort& port) {
    BIO* bio = BIO_new(port_method());
    if (bio == nullptr) die("BIO_new");
    BIO_set_data(bio, &port);
    return bio;
}

std::span<const uint8_t> cookie_secret() {
    static const std::array<uint8_t, 32> secret = [] {
        std::array<uint8_t, 32> s{};
        if (RAND_bytes(s.data(), static_cast<int>(s.size())) != 1) die("RAND_bytes");
        return s;
    }();
    return secret;
}

SSL_CTX* make_server_context(const LibsslOptions& options) {
    SSL_CTX* context = SSL_CTX_new(DTLS_server_method());
    if (context == nullptr) die("SSL_CTX_new");
    configure_common(context, options);
    const ServerCertificate& certificate = pki().servers.at(options.server_certificate);
    BIO* chain = BIO_new_mem_buf(certificate.chain_pem.data(), static_cast<int>(certificate.chain_pem.size()));
    X509* leaf = PEM_read_bio_X509(chain, nullptr, nullptr, nullptr);
    BIO_free(chain);
    BIO* key_text = BIO_new_mem_buf(certificate.key_pem.data(), static_cast<int>(certificate.key_pem.size()));
    EVP_PKEY* key = PEM_read_bio_PrivateKey(key_text, nullptr, nullptr, nullptr);
    BIO_free(key_text);
    if (leaf == nullptr || key == nullptr || SSL_CTX_use_certificate(context, leaf) != 1 ||
        SSL_CTX_use_PrivateKey(context, key) != 1)
        die("server certificate");
    X509_free(leaf);
    EVP_PKEY_free(key);
    if (options.cookies) {
        SSL_CTX_set_options(context, SSL_OP_COOKIE_EXCHANGE);
        SSL_CTX_set_cookie_generate_cb(context, generate_cookie);
        SSL_CTX_set_cookie_verify_cb(context, verify_cookie);
    }
    return context;
}

SSL_CTX* make_client_context(const LibsslOptions& options) {
    SSL_CTX* context = SSL_CTX_new(DTLS_client_method());
    if (context == nullptr) die("SSL_CTX_new");
    configure_common(context, options);
    if (options.verify_peer) {
        BIO* ca_text = BIO_new_mem_buf(pki().ca_pem.data(), static_cast<int>(pki().ca_pem.size()));
        X509* ca = PEM_read_bio_X509(ca_text, nullptr, nullptr, nullptr);
        BIO_free(ca_text);
        if (ca == nullptr || X509_STORE_add_cert(SSL_CTX_get_cert_store(context), ca) != 1) die("CA");
        X509_free(ca);
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nullptr);
    } else {
        SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nullptr);
    }
    return context;
}

SSL* make_connection(SSL_CTX* context, DatagramPort& port, bool client) {
    SSL* ssl = SSL_new(context);
    if (ssl == nullptr) die("SSL_new");
    BIO* bio = make_port_bio(port);
    SSL_set_bio(ssl, bio, bio);
    if (SSL_set_mtu(ssl, port.mtu) == 0) die("SSL_set_mtu");
    if (client) {
        SSL_set_connect_state(ssl);
        if (SSL_get_verify_mode(ssl) & SSL_VERIFY_PEER) {
            if (SSL_set1_host(ssl, kServerName) != 1 || SSL_set_tlsext_host_name(ssl, kServerName) != 1)
                die("host name");
        }
    } else {
        SSL_set_accept_state(ssl);
    }
    return ssl;
}

bool run_handshake(SSL* client, SSL* server) {
    bool client_done = false;
    bool server_done = false;
    // A lossless handshake with cookies takes five passes; the bound only
    // stops a broken one.
    for (int round = 0; round < 32 && !(client_done && server_done); ++round) {
        for (auto [ssl, done] : {std::pair{client, &client_done}, std::pair{server, &server_done}}) {
            if (*done) continue;
            const int result = SSL_do_handshake(ssl);
            if (result == 1) {
                *done = true;
            } else if (const int error = SSL_get_error(ssl, result); error != SSL_ERROR_WANT_READ) {
                // Reported once: a failing contender stops its workload.
                char detail[256] = "";
                ERR_error_string_n(ERR_peek_last_error(), detail, sizeof detail);
                std::fprintf(stderr, "bench: libssl %s handshake failed: SSL_get_error %d %s\n",
                             ssl == client ? "client" : "server", error, detail);
                ERR_clear_error();
                return false;
            }
        }
    }
    return client_done && server_done;
}

LibsslPair::LibsslPair(SSL_CTX* client_context, SSL_CTX* server_context, long mtu) {
    client_port_ = {&to_client_, &to_server_, mtu, {}};
    server_port_ = {&to_server_, &to_client_, mtu, {}};
    server_port_.peer = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x11, 0x5c};
    client_ = make_connection(client_context, client_port_, true);
    server_ = make_connection(server_context, server_port_, false);
}

LibsslPair::~LibsslPair() {
    SSL_free(client_);
    SSL_free(server_);
}

}  // namespace dtls::bench
