#include "support/datagram_bio.hpp"

#include <netinet/in.h>

#include <algorithm>
#include <cstring>

namespace dtls::test {
namespace {

DatagramQueues& queues_of(BIO* bio) { return *static_cast<DatagramQueues*>(BIO_get_data(bio)); }

int bio_write(BIO* bio, const char* data, int length) {
    BIO_clear_retry_flags(bio);
    if (length < 0) return -1;
    DatagramQueues& q = queues_of(bio);
    if (q.outgoing.size() >= DatagramQueues::max_queued) {
        // Like a full socket buffer: the datagram is gone, the writer goes on.
        ++q.dropped_outgoing;
        return length;
    }
    auto bytes = reinterpret_cast<const uint8_t*>(data);
    q.outgoing.emplace_back(bytes, bytes + length);
    return length;
}

int bio_read(BIO* bio, char* out, int capacity) {
    BIO_clear_retry_flags(bio);
    DatagramQueues& q = queues_of(bio);
    if (q.incoming.empty()) {
        BIO_set_retry_read(bio);
        return -1;
    }
    std::vector<uint8_t> datagram = std::move(q.incoming.front());
    q.incoming.pop_front();
    // As recv() on a UDP socket: whatever does not fit the buffer is lost.
    size_t n = std::min(datagram.size(), static_cast<size_t>(std::max(capacity, 0)));
    std::memcpy(out, datagram.data(), n);
    return static_cast<int>(n);
}

// A fixed IPv4 loopback address, for libssl code that asks who the peer is
// (cookie callbacks, DTLSv1_listen).
long write_fake_peer_address(void* out) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(4433);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::memcpy(out, &address, sizeof address);
    return sizeof address;
}

long bio_ctrl(BIO* bio, int command, long number, void* pointer) {
    DatagramQueues& q = queues_of(bio);
    switch (command) {
    case BIO_CTRL_DGRAM_QUERY_MTU:
    case BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
    case BIO_CTRL_DGRAM_GET_MTU:
        return static_cast<long>(q.mtu);
    case BIO_CTRL_DGRAM_SET_MTU:
        if (number > 0) q.mtu = static_cast<size_t>(number);
        return number;
    case BIO_CTRL_DGRAM_GET_MTU_OVERHEAD:
        return 0;  // our MTU already counts UDP payload bytes only
    case BIO_CTRL_DGRAM_MTU_EXCEEDED:
        return 0;
    case BIO_CTRL_DGRAM_GET_PEER:
        if (pointer == nullptr) return 0;
        return write_fake_peer_address(pointer);
    case BIO_CTRL_DGRAM_SET_PEER:
    case BIO_CTRL_DGRAM_CONNECT:
    case BIO_CTRL_DGRAM_SET_CONNECTED:
        return 1;
    case BIO_CTRL_DGRAM_SET_NEXT_TIMEOUT:
        if (pointer != nullptr) std::memcpy(&q.next_timeout, pointer, sizeof q.next_timeout);
        return 1;
    case BIO_CTRL_FLUSH:
        return 1;
    case BIO_CTRL_PENDING:
    case BIO_CTRL_WPENDING:
        // Nothing is ever buffered inside the BIO: a write is a whole datagram.
        return 0;
    default:
        // Receive/send timers, peek mode, don't-fragment and the rest are
        // socket matters with no meaning here.
        return 0;
    }
}

int bio_create(BIO* bio) {
    BIO_set_init(bio, 1);
    return 1;
}

int bio_destroy(BIO* bio) {
    BIO_set_data(bio, nullptr);  // the queues belong to the peer
    return 1;
}

const BIO_METHOD* datagram_method() {
    static BIO_METHOD* method = [] {
        BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "dtls test datagram queues");
        BIO_meth_set_write(m, bio_write);
        BIO_meth_set_read(m, bio_read);
        BIO_meth_set_ctrl(m, bio_ctrl);
        BIO_meth_set_create(m, bio_create);
        BIO_meth_set_destroy(m, bio_destroy);
        return m;
    }();
    return method;
}

}  // namespace

BIO* make_datagram_bio(DatagramQueues& queues) {
    BIO* bio = BIO_new(datagram_method());
    if (bio != nullptr) BIO_set_data(bio, &queues);
    return bio;
}

}  // namespace dtls::test
