// The front door's collection of ClientHellos that arrive in fragments: whole
// hellos out, and every bound holding.
#include <gtest/gtest.h>

#include "frontdoor/hello_assembly.hpp"

namespace dtls::frontdoor {
namespace {

using messages::HandshakeType;

const Instant t0 = Instant{} + std::chrono::hours(1);

struct Feeder {
    HelloAssembly assembly;
    Bytes body;
    std::vector<uint8_t> address{127, 0, 0, 1, 0x12, 0x34};

    explicit Feeder(size_t length) : body(length) {
        for (size_t i = 0; i < length; ++i) body[i] = static_cast<uint8_t>(i * 7);
    }

    std::optional<HelloAssembly::Whole> add(uint32_t offset, uint32_t length, uint64_t record_sequence = 0,
                                            Instant now = t0, uint16_t message_seq = 0) {
        transport::FragmentHeader h{HandshakeType::client_hello, static_cast<uint32_t>(body.size()), message_seq,
                                    offset, length};
        const Bytes datagram(40 + length, 0xEE);
        return assembly.add(address, h, std::span<const uint8_t>(body).subspan(offset, length), record_sequence,
                            datagram, now);
    }
};

TEST(HelloAssembly, TwoFragmentsInEitherOrderMakeTheHello) {
    for (bool reversed : {false, true}) {
        Feeder f(1400);
        std::optional<HelloAssembly::Whole> whole;
        if (reversed) {
            EXPECT_FALSE(f.add(700, 700, 1));
            whole = f.add(0, 700, 0);
        } else {
            EXPECT_FALSE(f.add(0, 700, 0));
            whole = f.add(700, 700, 1);
        }
        ASSERT_TRUE(whole);
        EXPECT_EQ(whole->body, f.body);
        EXPECT_EQ(whole->record_sequence, 1u);
        EXPECT_EQ(whole->datagrams.size(), 2u);
        EXPECT_EQ(whole->bytes_received, 2u * (40 + 700));
        EXPECT_EQ(f.assembly.pending(), 0u);
    }
}

// conformance: RFC9147-5.5-4
TEST(HelloAssembly, DuplicatesAndOverlapsAddNothing) {
    Feeder f(1000);
    EXPECT_FALSE(f.add(0, 600));
    EXPECT_FALSE(f.add(0, 600));    // a retransmission
    EXPECT_FALSE(f.add(100, 200));  // inside what we have
    auto whole = f.add(500, 500);   // overlaps by 100
    ASSERT_TRUE(whole);
    EXPECT_EQ(whole->body, f.body);
    EXPECT_EQ(whole->datagrams.size(), 2u) << "only datagrams that brought new bytes are kept";
}

TEST(HelloAssembly, TooLongAHelloIsNotCollected) {
    Feeder f(HelloAssembly::kMaxHelloLength + 1);
    EXPECT_FALSE(f.add(0, 1000));
    EXPECT_EQ(f.assembly.pending(), 0u);
}

TEST(HelloAssembly, TooManyPiecesDropTheHello) {
    Feeder f(4000);
    for (size_t i = 0; i < HelloAssembly::kMaxDatagrams; ++i) {
        EXPECT_FALSE(f.add(static_cast<uint32_t>(i * 10), 10));
    }
    EXPECT_EQ(f.assembly.pending(), 1u);
    EXPECT_FALSE(f.add(3000, 1000));
    EXPECT_EQ(f.assembly.pending(), 0u);
}

TEST(HelloAssembly, OversizedDatagramsDropTheHello) {
    // The fragment is small, but the datagram that carries it (and would be
    // kept for the connection) is not.
    Feeder f(1000);
    EXPECT_FALSE(f.add(0, 500));
    transport::FragmentHeader h{HandshakeType::client_hello, 1000, 0, 500, 500};
    const Bytes datagram(HelloAssembly::kMaxCarriedBytes, 0xEE);
    EXPECT_FALSE(f.assembly.add(f.address, h, std::span<const uint8_t>(f.body).subspan(500), 1, datagram, t0));
    EXPECT_EQ(f.assembly.pending(), 0u);
}

TEST(HelloAssembly, PartialHellosAreBoundedAndTheOldestGoFirst) {
    Feeder f(1000);
    for (size_t i = 0; i < HelloAssembly::kMaxHellos + 10; ++i) {
        f.address[5] = static_cast<uint8_t>(i);
        EXPECT_FALSE(f.add(0, 500));
    }
    EXPECT_EQ(f.assembly.pending(), HelloAssembly::kMaxHellos);
    f.address[5] = 0;  // the first, pushed out: its second half starts anew
    EXPECT_FALSE(f.add(500, 500));
    f.address[5] = static_cast<uint8_t>(HelloAssembly::kMaxHellos + 9);  // the newest is still there
    EXPECT_TRUE(f.add(500, 500));
}

TEST(HelloAssembly, PartialHellosExpire) {
    Feeder f(1000);
    EXPECT_FALSE(f.add(0, 500, 0, t0));
    EXPECT_FALSE(f.add(500, 500, 1, t0 + HelloAssembly::kLifetime)) << "the first half was forgotten";
    EXPECT_EQ(f.assembly.pending(), 1u);
}

TEST(HelloAssembly, AddressesAndLengthsAreKeptApart) {
    Feeder f(1000);
    EXPECT_FALSE(f.add(0, 500));
    f.address[0] = 10;
    EXPECT_FALSE(f.add(500, 500)) << "another address's half";
    f.address[0] = 127;
    // A fragment saying the hello is longer than the one collected replaces it.
    transport::FragmentHeader h{HandshakeType::client_hello, 2000, 0, 0, 100};
    const Bytes bytes(100, 1);
    EXPECT_FALSE(f.assembly.add(f.address, h, bytes, 0, bytes, t0));
    EXPECT_FALSE(f.add(500, 500)) << "the first hello was replaced";
}

TEST(HelloAssembly, InconsistentFragmentIsRefused) {
    Feeder f(1000);
    transport::FragmentHeader h{HandshakeType::client_hello, 1000, 0, 900, 200};
    const Bytes bytes(200, 1);
    EXPECT_FALSE(f.assembly.add(f.address, h, bytes, 0, bytes, t0));
    EXPECT_EQ(f.assembly.pending(), 0u);
}

}  // namespace
}  // namespace dtls::frontdoor
