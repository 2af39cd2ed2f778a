// Writes the seed corpora in fuzz/corpus/<target>/ from real handshakes:
// ours (our client and server through the harness, so cookies and keys are
// the ones the fuzz targets will compute) and libssl's (tests/support's
// in-process OpenSSL peer against our endpoints).
//
// usage: fuzz_generate_corpus <corpus dir>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "transport/fragment.hpp"
#include "harness.hpp"
#include "record/dtls12_header.hpp"
#include "record_keys.hpp"
#include "support/certs.hpp"
#include "support/openssl_peer.hpp"

using namespace dtls;
using namespace dtls::fuzz;
using Datagram = std::vector<uint8_t>;

namespace {

std::filesystem::path g_root;
std::map<std::string, int> g_counts;

void write(const std::string& target, const std::string& name, const std::vector<uint8_t>& bytes) {
    const std::filesystem::path dir = g_root / target;
    std::filesystem::create_directories(dir);
    const int n = ++g_counts[target + "/" + name];
    std::ofstream out(dir / (name + "-" + std::to_string(n)), std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

std::vector<uint8_t> prefixed(uint8_t first, std::span<const uint8_t> rest) {
    std::vector<uint8_t> out{first};
    out.insert(out.end(), rest.begin(), rest.end());
    return out;
}

// Both directions of one session, in the order they were sent.
struct Recorded {
    std::vector<Datagram> to_server;
    std::vector<Datagram> to_client;
    std::vector<Datagram> hellos_before_accept;  // what the front door saw
};

// Our client and server, undisturbed, exactly as the harness builds them.
Recorded our_session(Profile profile) {
    reset_randomness();
    Peer client(Side::client, profile, kStart);
    Peer server(Side::server, profile, kStart);
    Recorded r;
    Datagram d;
    for (int round = 0; round < 16; ++round) {
        while (client.poll(d)) {
            r.to_server.push_back(d);
            if (!server.connection()) r.hellos_before_accept.push_back(d);
            server.receive(d, kStart);
        }
        while (server.poll(d)) {
            r.to_client.push_back(d);
            client.receive(d, kStart);
        }
    }
    if (!client.established() || !server.established()) {
        std::fprintf(stderr, "generator: our own handshake (profile %d) did not complete\n", static_cast<int>(profile));
        std::exit(1);
    }
    return r;
}

void append_raw(std::vector<uint8_t>& script, const Datagram& d) {
    script.push_back(op_raw);
    script.push_back(static_cast<uint8_t>(d.size() >> 8));
    script.push_back(static_cast<uint8_t>(d.size()));
    script.insert(script.end(), d.begin(), d.end());
}

// libssl as the peer of our `target`, all at kStart. Returns the script that
// replays libssl's datagrams as raw injections (valid in the fuzzer, whose
// target draws the same randomness), and records what libssl sent.
std::vector<uint8_t> libssl_session(Side target_side, Profile profile, Recorded& r) {
    reset_randomness();
    Peer target(target_side, profile, kStart);
    test::OpenSslPeerOptions o;
    std::optional<test::Issued> cert;
    if (target_side == Side::client) {
        cert = test::self_signed(test::KeyKind::ecdsa_p256, "libssl.fuzz.test");
        o.role = test::PeerRole::server;
        o.cert_chain_pem = cert->chain_pem;
        o.key_pem = cert->key_pem;
    }
    o.groups = "X25519";
    test::OpenSslPeer peer(o, kStart);
    if (peer.failed()) {
        std::fprintf(stderr, "generator: libssl peer: %s\n", peer.error().c_str());
        std::exit(1);
    }
    std::vector<uint8_t> script{static_cast<uint8_t>(profile)};
    Datagram d;
    for (int round = 0; round < 16; ++round) {
        while (target.poll(d)) peer.receive(d);
        while (peer.poll_datagram(d)) {
            append_raw(script, d);
            (target_side == Side::server ? r.to_server : r.to_client).push_back(d);
            if (target_side == Side::server && !target.connection()) r.hellos_before_accept.push_back(d);
            target.receive(d, kStart);
        }
    }
    if (!target.established() || !peer.handshake_complete()) {
        std::fprintf(stderr, "generator: libssl handshake against our %s failed: %s\n",
                     target_side == Side::server ? "server" : "client", peer.error().c_str());
        std::exit(1);
    }
    return script;
}

uint8_t codec_selector(messages::HandshakeType type) {
    using messages::HandshakeType;
    switch (type) {
        case HandshakeType::client_hello: return 0;
        case HandshakeType::server_hello: return 1;
        case HandshakeType::hello_verify_request: return 2;
        case HandshakeType::certificate: return 3;
        case HandshakeType::server_key_exchange: return 4;
        case HandshakeType::certificate_request: return 5;
        case HandshakeType::server_hello_done: return 6;
        case HandshakeType::certificate_verify: return 7;
        case HandshakeType::client_key_exchange: return 8;
        case HandshakeType::finished: return 9;
        case HandshakeType::encrypted_extensions: return 11;
        case HandshakeType::new_session_ticket: return 14;
        case HandshakeType::key_update: return 15;
        default: break;  // HelloRequest and the types we never send
    }
    return 255;
}

// Plaintext handshake messages and fragments of a datagram, for the codec
// and reassembly corpora.
void harvest_handshake(const std::string& origin, const Datagram& d) {
    wire::Reader r(d);
    record::Dtls12Header h;
    std::span<const uint8_t> body;
    while (record::read_dtls12_record(r, h, body)) {
        if (h.type != record::ContentType::handshake || h.epoch != 0) continue;
        write("codec", origin + "-fragments", prefixed(10, body));
        wire::Reader fr(body);
        transport::FragmentHeader f;
        std::span<const uint8_t> fragment;
        while (transport::read_fragment(fr, f, fragment)) {
            // A forged-fragment entry for the reassembler: flags 1, extra length, header and bytes.
            std::vector<uint8_t> forged{1, static_cast<uint8_t>(std::min<size_t>(fragment.size(), 255))};
            wire::Writer w(forged);
            transport::write_fragment_header(f, w);
            w.bytes(fragment.first(std::min<size_t>(fragment.size(), 255)));
            write("reassembly", origin + "-forged", forged);
            const uint8_t selector = codec_selector(f.type);
            if (selector != 255 && f.fragment_offset == 0 && f.fragment_length == f.length) {
                write("codec", origin + "-" + messages::to_string(f.type), prefixed(selector, fragment));
            }
        }
    }
}

void harvest(const std::string& origin, const Recorded& r) {
    for (const Datagram& d : r.hellos_before_accept) write("front_door", origin + "-client-hello", prefixed(0, d));
    for (const Datagram& d : r.to_server) harvest_handshake(origin, d);
    for (const Datagram& d : r.to_client) harvest_handshake(origin, d);
    // Real datagrams for record framing (epoch 1 ones will not authenticate
    // under the fixed keys, which is its own useful path).
    for (size_t i = 0; i < r.to_server.size() && i < 4; ++i) write("record", origin + "-datagram", prefixed(0, r.to_server[i]));
}

void record_seeds() {
    // DTLS 1.2 records under each of 3 AEADs, DTLS 1.3 records under each of 5.
    std::vector<uint8_t> selectors{0, 1, 2};
    for (uint8_t i = 0; i < 5; ++i) {
        uint8_t selector = 0x08;
        while (selector % 5 != i) selector = static_cast<uint8_t>(selector + 0x10);  // keeps bit 3
        selectors.push_back(selector);
    }
    for (uint8_t selector : selectors) {
        record::EpochTable layer = epoch_table_with_keys(selector);
        const uint64_t epoch = epoch_of(selector);
        Datagram d;
        const std::string text = "application data under fixed keys";
        const std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(text.data()), text.size());
        (void)layer.seal(epoch, record::ContentType::application_data, bytes, d);
        write("record", "sealed", prefixed(selector, d));
        (void)layer.seal(epoch, record::ContentType::alert, std::vector<uint8_t>{1, 0}, d);  // two records in one datagram
        (void)layer.seal(0, record::ContentType::change_cipher_spec, std::vector<uint8_t>{1}, d);
        write("record", "sealed-several", prefixed(selector, d));
    }
}

void reassembly_seeds() {
    // Honest fragments: flags 0, message, offset, length.
    auto honest = [](std::vector<uint8_t>& s, uint8_t m, uint16_t offset, uint16_t length) {
        s.insert(s.end(), {0, m, static_cast<uint8_t>(offset >> 8), static_cast<uint8_t>(offset),
                           static_cast<uint8_t>(length >> 8), static_cast<uint8_t>(length)});
    };
    std::vector<uint8_t> whole, reordered, overlapping;
    for (uint8_t m = 0; m < 4; ++m) honest(whole, m, 0, 0xFFFF);
    for (int m = 3; m >= 0; --m) {
        for (int piece = 3; piece >= 0; --piece) honest(reordered, static_cast<uint8_t>(m), static_cast<uint16_t>(piece * 5000), 5000);
    }
    for (uint16_t at = 0; at < 20000; at += 1500) honest(overlapping, 2, at, 2000);
    for (uint8_t m = 0; m < 4; ++m) honest(overlapping, m, 0, 0xFFFF);
    write("reassembly", "whole", whole);
    write("reassembly", "reordered", reordered);
    write("reassembly", "overlapping", overlapping);
}

// Messages no recorded handshake carries: DTLS 1.3's NewConnectionId
// (selector 24) and RequestConnectionId (25), and RFC 9853's
// path_challenge and path_response (26).
void codec_seeds() {
    write("codec", "new-connection-id", {24, 0x00, 0x05, 0x04, 0xde, 0xad, 0xbe, 0xef, 0x01});
    write("codec", "new-connection-id-immediate",
          {24, 0x00, 0x0a, 0x04, 0xde, 0xad, 0xbe, 0xef, 0x04, 0x01, 0x02, 0x03, 0x04, 0x00});
    write("codec", "request-connection-id", {25, 0x03});
    write("codec", "path-challenge", {26, 0x00, 1, 2, 3, 4, 5, 6, 7, 8});
    write("codec", "path-response", {26, 0x01, 1, 2, 3, 4, 5, 6, 7, 8});
}

// Scripts for the whole-endpoint targets, in every profile.
void script_seeds() {
    for (uint8_t p = 0; p < static_cast<uint8_t>(Profile::count); ++p) {
        for (const char* target : {"server", "client"}) {
            write(target, "undisturbed", {p});
            write(target, "deliver-all", {p, op_deliver, op_deliver, op_deliver, op_deliver, op_deliver, op_deliver,
                                          op_deliver, op_deliver, op_exercise, 0x04, 0xB0});
            write(target, "loss-and-timers", {p, op_drop, op_time, 0x01, 0x00, op_deliver, op_drop, op_time, 0x02,
                                              0x00, op_deliver, op_deliver, op_deliver, op_replay, 0, op_deliver});
            write(target, "corrupted", {p, op_deliver, op_flip, 1, 0x00, 0x20, 0x01, op_deliver, op_flip, 0, 0x00,
                                        0x05, 0xFF, op_truncate, 0x00, 0x40, op_deliver});
            write(target, "replays", {p, op_deliver, op_replay, 0, op_deliver, op_replay, 1, op_replay, 1, op_deliver,
                                      op_deliver, op_replay, 2, op_exercise, 0x00, 0xC8, op_replay, 3});
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s <corpus dir>\n", argv[0]);
        return 2;
    }
    g_root = argv[1];
    for (uint8_t p = 0; p < static_cast<uint8_t>(Profile::count); ++p) {
        const Recorded ours = our_session(static_cast<Profile>(p));
        harvest("ours-p" + std::to_string(p), ours);
        // A front door seed in every profile (the target reads it from the first byte).
        for (const Datagram& d : ours.hellos_before_accept) {
            write("front_door", "ours-profile-hello", prefixed(static_cast<uint8_t>(p << 2), d));
        }
    }
    Recorded libssl_client, libssl_server;
    const std::vector<uint8_t> against_libssl_client = libssl_session(Side::server, Profile::plain, libssl_client);
    const std::vector<uint8_t> against_libssl_server =
        libssl_session(Side::client, Profile::libssl_compatible, libssl_server);
    // The recorded libssl datagrams must take the fuzzer's own target all the
    // way, or the seeds would be shallow.
    if (!run_script(Side::server, against_libssl_client) || !run_script(Side::client, against_libssl_server) ||
        !run_script(Side::server, std::vector<uint8_t>{0}) || !run_script(Side::client, std::vector<uint8_t>{0})) {
        std::fprintf(stderr, "generator: a seed script does not reach an established target\n");
        return 1;
    }
    write("server", "libssl-client", against_libssl_client);
    write("client", "libssl-server", against_libssl_server);
    harvest("libssl", libssl_client);
    harvest("libssl", libssl_server);
    record_seeds();
    reassembly_seeds();
    codec_seeds();
    script_seeds();
    std::printf("corpus written to %s\n", argv[1]);
    return 0;
}
