// What every fuzz target and the seed corpus generator share: a fixed
// Ed25519 credential, configurations, deterministic randomness (one seeded
// stream per side, so one side's draws never shift the other's), and our
// client and server as endpoints that a script can drive.
//
// Everything here is deterministic: the same input replays the same run,
// which is what makes a crash reproducible and lets a seed recorded by the
// generator reach the same state in the fuzzer (a cookie computed under the
// server's seeded secret is still valid there).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <vector>

#include "dtls/dtls.hpp"

namespace dtls::fuzz {

// The virtual time every run starts at, and the client's address as the
// server sees it.
inline const Instant kStart = Instant{} + std::chrono::hours(24);
inline const std::vector<uint8_t> kClientAddress{192, 0, 2, 1, 0x30, 0x39};

// Variations of both sides' configuration, chosen by a script's first byte.
enum class Profile : uint8_t {
    plain,               // AES-128-GCM, MTU 1200, no client authentication
    client_auth,         // the server asks for and checks a client certificate
    small_mtu,           // MTU 200: every flight fragmented into many datagrams
    chacha,              // ChaCha20-Poly1305
    libssl_compatible,   // the client also offers ECDSA, so libssl can be its server
    dtls13,              // DTLS 1.3 on both sides: HelloRetryRequest cookie, ACKs
    dtls13_small_mtu,    // DTLS 1.3 with client authentication at MTU 200
    count,
};

Profile profile_of(uint8_t byte);
Config client_config(Profile profile);
Config server_config(Profile profile);

// Which side's random stream random_bytes() draws from.
enum class Side : uint8_t { client = 0, server = 1 };

// Installs the seeded streams (one per side, both restarted) as the random
// source. Call at the start of every run.
void reset_randomness();

// Makes `side` the one drawing randomness for the life of the guard.
class DrawingFor {
public:
    explicit DrawingFor(Side side);
    ~DrawingFor();
    DrawingFor(const DrawingFor&) = delete;
    DrawingFor& operator=(const DrawingFor&) = delete;

private:
    Side previous_;
};

// One side of a session. A server is its front door until that accepts, then
// the accepted connection.
class Peer {
public:
    Peer(Side side, Profile profile, Instant now);

    void receive(std::span<const uint8_t> datagram, Instant now);
    bool poll(std::vector<uint8_t>& out);
    void drain_events();
    std::optional<Instant> next_timeout() const;
    void handle_timeout(Instant now);
    // Application data both ways and an MTU change, where the state allows.
    void exercise(std::span<const uint8_t> data, size_t mtu, Instant now);

    Side side() const { return side_; }
    // Empty for a server whose front door has not accepted yet, or if the
    // configuration was refused.
    Connection* connection() { return connection_ ? &*connection_ : nullptr; }
    bool established() const { return connection_ && connection_->state() == State::established; }

private:
    Side side_;
    std::optional<Server> server_;
    std::optional<Connection> connection_;
    std::deque<std::vector<uint8_t>> replies_;  // front door answers not yet polled
    size_t front_door_received_ = 0;            // bytes handed to the front door
    size_t front_door_sent_ = 0;                // and answered by it
};

// A script drives one endpoint (the target) against a genuine peer of the
// other role. The peer's datagrams to the target pass through the script,
// which delivers, alters, drops, replays or replaces them and moves time;
// the target's datagrams reach the peer unchanged. When the script ends,
// both sides talk undisturbed for a while, so a short script still reaches
// the states after it.
//
// Script: one profile byte, then steps, each an opcode byte (value % 8):
//   0 deliver the next peer datagram       1 deliver it with 1-4 bytes XORed
//   2 drop the next peer datagram          3 inject a raw datagram (u16 length % 2048, bytes)
//   4 advance time (u16 ms * 4) and fire due timers
//   5 replay an earlier peer datagram (u8 index)
//   6 deliver a truncated peer datagram (u16 length)
//   7 send application data both ways and set the target's MTU (u16)
// Returns whether the target ended established (the generator checks its
// seeds reach that far).
bool run_script(Side target, std::span<const uint8_t> script);

// Script opcodes, for the generator.
enum Op : uint8_t {
    op_deliver = 0,
    op_flip = 1,
    op_drop = 2,
    op_raw = 3,
    op_time = 4,
    op_replay = 5,
    op_truncate = 6,
    op_exercise = 7,
};

}  // namespace dtls::fuzz
