// libssl's side of the benchmark: DTLS 1.2 contexts configured to do the
// same work as ours, and an in-memory datagram path for them. The path is a
// BIO over two bounded queues of fixed slots, one datagram per BIO_write and
// BIO_read, allocating nothing per datagram, with real time: on a lossless
// in-memory path no retransmission timer ever fires.
#pragma once

#include <openssl/ssl.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace dtls::bench {

// One direction of the path: a ring of fixed-size datagram slots.
class DatagramQueue {
public:
    static constexpr size_t kSlots = 32;
    static constexpr size_t kSlotBytes = 2048;  // above every MTU the benchmark uses

    // False when the queue is full or the datagram does not fit a slot.
    bool push(std::span<const uint8_t> datagram);
    bool empty() const { return count_ == 0; }
    std::span<const uint8_t> front() const { return {slots_[head_].data(), sizes_[head_]}; }
    void pop();
    void clear() { head_ = count_ = 0; }

private:
    std::array<std::array<uint8_t, kSlotBytes>, kSlots> slots_;  // left uninitialised: 64 KiB
    std::array<size_t, kSlots> sizes_{};
    size_t head_ = 0;
    size_t count_ = 0;
};

// What one endpoint's BIO reads from and writes to. Owned by the caller and
// shared freely: idle connections can all point at one port.
struct DatagramPort {
    DatagramQueue* in = nullptr;
    DatagramQueue* out = nullptr;
    long mtu = 1200;
    // The IPv6 address and port the BIO reports as the peer's (cookies).
    std::array<uint8_t, 18> peer{};
};

BIO* make_port_bio(DatagramPort& port);

struct LibsslOptions {
    std::string cipher = "ECDHE-ECDSA-AES128-GCM-SHA256";
    std::string groups = "X25519:P-256:P-384";  // what our client offers; P-256 must be there for the ECDSA certificate
    bool cookies = true;      // server: SSL_OP_COOKIE_EXCHANGE with HMAC cookies
    bool verify_peer = true;  // client: check the chain and the host name
    size_t server_certificate = 0;  // server: which of pki().servers
};

// Contexts pinned to DTLS 1.2, session cache and tickets off. Abort on a
// broken environment (nothing to measure then).
SSL_CTX* make_server_context(const LibsslOptions& options);
SSL_CTX* make_client_context(const LibsslOptions& options);

// A connection on `port`, in the role of its context.
SSL* make_connection(SSL_CTX* context, DatagramPort& port, bool client);

// Drives SSL_do_handshake on both until both are complete; false on failure.
bool run_handshake(SSL* client, SSL* server);

// A client and a server connected over their own path, for the record
// workload. Owns everything it holds.
class LibsslPair {
public:
    LibsslPair(SSL_CTX* client_context, SSL_CTX* server_context, long mtu);
    ~LibsslPair();
    LibsslPair(const LibsslPair&) = delete;
    LibsslPair& operator=(const LibsslPair&) = delete;

    bool handshake() { return run_handshake(client_, server_); }
    SSL* client() { return client_; }
    SSL* server() { return server_; }

private:
    DatagramQueue to_server_;
    DatagramQueue to_client_;
    DatagramPort client_port_;
    DatagramPort server_port_;
    SSL* client_ = nullptr;
    SSL* server_ = nullptr;
};

// The cookie input libssl's callbacks and the front-door limit share.
std::span<const uint8_t> cookie_secret();

}  // namespace dtls::bench
