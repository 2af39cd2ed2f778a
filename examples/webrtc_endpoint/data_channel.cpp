#include "data_channel.hpp"

#include <usrsctp.h>

#include <cstdlib>
#include <cstring>

namespace webrtc_example {

namespace {

// RFC 8831 8: payload protocol identifiers.
constexpr uint32_t kPpidDcep = 50;
constexpr uint32_t kPpidString = 51;
constexpr uint32_t kPpidStringEmpty = 56;
// RFC 8832 5: DCEP message types.
constexpr uint8_t kDataChannelAck = 0x02;
constexpr uint8_t kDataChannelOpen = 0x03;
constexpr size_t kOpenHeader = 12;  // type, channel type, priority, reliability, label and protocol lengths

uint16_t u16(const uint8_t* b) { return static_cast<uint16_t>(b[0] << 8 | b[1]); }

}  // namespace

DataChannels::DataChannels(SendPacket send, OnMessage on_message, OnOpen on_open)
    : send_packet_(std::move(send)), on_message_(std::move(on_message)), on_open_(std::move(on_open)) {
    // Once per process; no UDP encapsulation port, no debug output.
    static const bool initialised = [] {
        usrsctp_init_nothreads(0, DataChannels::output, nullptr);
        return true;
    }();
    (void)initialised;
    usrsctp_register_address(this);
}

DataChannels::~DataChannels() {
    if (socket_ != nullptr) usrsctp_close(socket_);
    usrsctp_deregister_address(this);
}

bool DataChannels::start(uint16_t local_port, uint16_t remote_port, size_t max_packet, std::string& error) {
    socket_ = usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, DataChannels::receive, nullptr, 0, this);
    if (socket_ == nullptr) {
        error = "usrsctp_socket failed";
        return false;
    }
    usrsctp_set_non_blocking(socket_, 1);
    const int on = 1;
    usrsctp_setsockopt(socket_, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof on);
    usrsctp_setsockopt(socket_, IPPROTO_SCTP, SCTP_NODELAY, &on, sizeof on);
    // Browsers number channels up to 65,534; ask for as many streams as
    // they allow.
    sctp_initmsg init{};
    init.sinit_num_ostreams = 1024;
    init.sinit_max_instreams = 1024;
    usrsctp_setsockopt(socket_, IPPROTO_SCTP, SCTP_INITMSG, &init, sizeof init);

    // No path MTU discovery: the largest packet is what one record holds,
    // for the association about to be made. usrsctp adds the 12-byte SCTP
    // common header to the path MTU it is given (seen: packets of 1,188
    // bytes with a path MTU of 1,178), so that is taken off first.
    constexpr size_t kSctpCommonHeader = 12;
    sctp_paddrparams params{};
    params.spp_assoc_id = SCTP_FUTURE_ASSOC;
    params.spp_flags = SPP_PMTUD_DISABLE;
    params.spp_pathmtu = static_cast<uint32_t>(max_packet - kSctpCommonHeader);
    if (usrsctp_setsockopt(socket_, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &params, sizeof params) != 0) {
        error = std::string("setting the SCTP path MTU failed: ") + std::strerror(errno);
        return false;
    }

    sockaddr_conn address{};
    address.sconn_family = AF_CONN;
    address.sconn_port = htons(local_port);
    address.sconn_addr = this;
    if (usrsctp_bind(socket_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        error = "usrsctp_bind failed";
        return false;
    }
    address.sconn_port = htons(remote_port);
    // Non-blocking: EINPROGRESS is the association being set up.
    if (usrsctp_connect(socket_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 &&
        errno != EINPROGRESS) {
        error = std::string("usrsctp_connect failed: ") + std::strerror(errno);
        return false;
    }
    return true;
}

void DataChannels::handle_packet(std::span<const uint8_t> packet) {
    usrsctp_conninput(this, packet.data(), packet.size(), 0);
}

void DataChannels::handle_timers(uint32_t elapsed_milliseconds) { usrsctp_handle_timers(elapsed_milliseconds); }

bool DataChannels::send_text(uint16_t stream, const std::string& text) {
    return send(stream, kPpidString, {reinterpret_cast<const uint8_t*>(text.data()), text.size()});
}

bool DataChannels::send(uint16_t stream, uint32_t ppid, std::span<const uint8_t> data) {
    sctp_sndinfo info{};
    info.snd_sid = stream;
    info.snd_ppid = htonl(ppid);
    return usrsctp_sendv(socket_, data.data(), data.size(), nullptr, 0, &info, sizeof info, SCTP_SENDV_SNDINFO, 0) >= 0;
}

int DataChannels::output(void* address, void* buffer, size_t length, uint8_t, uint8_t) {
    auto* self = static_cast<DataChannels*>(address);
    self->send_packet_({static_cast<const uint8_t*>(buffer), length});
    return 0;
}

int DataChannels::receive(struct socket*, union sctp_sockstore, void* data, size_t length, struct sctp_rcvinfo info,
                          int flags, void* user) {
    if (data == nullptr) return 1;
    if (!(flags & MSG_NOTIFICATION)) {
        static_cast<DataChannels*>(user)->on_data(info.rcv_sid, ntohl(info.rcv_ppid),
                                                  static_cast<const uint8_t*>(data), length);
    }
    std::free(data);  // usrsctp hands the buffer over
    return 1;
}

void DataChannels::on_data(uint16_t stream, uint32_t ppid, const uint8_t* data, size_t length) {
    if (ppid == kPpidDcep && length >= kOpenHeader && data[0] == kDataChannelOpen) {
        const size_t label_length = u16(data + 8);
        if (kOpenHeader + label_length > length) return;
        const uint8_t ack[] = {kDataChannelAck};
        if (send(stream, kPpidDcep, ack)) {
            on_open_(stream, std::string(reinterpret_cast<const char*>(data) + kOpenHeader, label_length));
        }
    } else if (ppid == kPpidString || ppid == kPpidStringEmpty) {
        on_message_(stream, ppid == kPpidStringEmpty ? std::string() : std::string(reinterpret_cast<const char*>(data), length));
    }
}

}  // namespace webrtc_example
