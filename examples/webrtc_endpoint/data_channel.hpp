// WebRTC data channels (RFC 8831): SCTP, through usrsctp, carried in our
// DTLS records, with the data channel establishment protocol (DCEP, RFC
// 8832) for channels the browser opens. usrsctp runs without threads of its
// own: its packets come and go on the caller's thread, and the caller
// drives its timers.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

// usrsctp's types, declared in <usrsctp.h>.
struct socket;
union sctp_sockstore;
struct sctp_rcvinfo;

namespace webrtc_example {

class DataChannels {
public:
    // Where SCTP packets go: into a DTLS record to the peer.
    using SendPacket = std::function<void(std::span<const uint8_t>)>;
    // A text message that arrived on a channel.
    using OnMessage = std::function<void(uint16_t stream, const std::string& text)>;
    // A channel the peer opened is ready (our DCEP ACK is sent).
    using OnOpen = std::function<void(uint16_t stream, const std::string& label)>;

    DataChannels(SendPacket send, OnMessage on_message, OnOpen on_open);
    ~DataChannels();
    DataChannels(const DataChannels&) = delete;
    DataChannels& operator=(const DataChannels&) = delete;

    // Starts the association from our SDP a=sctp-port to the peer's (RFC
    // 8841; both sides connect), with SCTP packets of at most `max_packet`
    // bytes (the DTLS connection's max_payload(): RFC 8261 5 puts each in
    // one record). False with `error` set if usrsctp refuses.
    bool start(uint16_t local_port, uint16_t remote_port, size_t max_packet, std::string& error);
    // One SCTP packet from a DTLS record.
    void handle_packet(std::span<const uint8_t> packet);
    // Advances usrsctp's timers by the time since the last call.
    void handle_timers(uint32_t elapsed_milliseconds);
    // A text message (PPID 51) on an open channel.
    bool send_text(uint16_t stream, const std::string& text);

private:
    static int output(void* address, void* buffer, size_t length, uint8_t tos, uint8_t set_df);
    static int receive(struct socket* socket, ::sctp_sockstore address, void* data, size_t length,
                       ::sctp_rcvinfo info, int flags, void* user);
    void on_data(uint16_t stream, uint32_t ppid, const uint8_t* data, size_t length);
    bool send(uint16_t stream, uint32_t ppid, std::span<const uint8_t> data);

    SendPacket send_packet_;
    OnMessage on_message_;
    OnOpen on_open_;
    struct socket* socket_ = nullptr;
};

}  // namespace webrtc_example
