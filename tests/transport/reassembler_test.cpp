// Reassembly: byte-exact messages from fragments in any order, with overlap
// and duplication, strictly in message_seq order; and memory that stays
// bounded whatever a peer announces (CVE-2014-0195, CVE-2016-2179).
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "transport/reassembler.hpp"

namespace dtls::transport {
namespace {

using Verdict = Reassembler::Verdict;

struct Piece {
    FragmentHeader header;
    Bytes bytes;
};

Piece piece(HandshakeType type, uint16_t seq, const Bytes& body, uint32_t offset, uint32_t length) {
    FragmentHeader h{type, static_cast<uint32_t>(body.size()), seq, offset, length};
    return Piece{h, Bytes(body.begin() + offset, body.begin() + offset + length)};
}

std::vector<Piece> split(HandshakeType type, uint16_t seq, const Bytes& body, uint32_t chunk) {
    std::vector<Piece> pieces;
    uint32_t offset = 0;
    do {
        const uint32_t length = std::min<uint32_t>(chunk, static_cast<uint32_t>(body.size()) - offset);
        pieces.push_back(piece(type, seq, body, offset, length));
        offset += length;
    } while (offset < body.size());
    return pieces;
}

Bytes pattern(size_t n, uint8_t seed) {
    Bytes b(n);
    for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(seed * 31 + i * 13 + (i >> 8));
    return b;
}

Verdict add(Reassembler& r, const Piece& p) { return r.add(p.header, p.bytes); }

// The next message's body, or a marker that cannot equal any test body.
Bytes next_body(Reassembler& r) {
    std::optional<Message> m = r.next();
    return m ? m->body : Bytes{0xDE, 0xAD};
}

// conformance: RFC9147-5.5-3
TEST(HandshakeReassembler, InOrderFragments) {
    Reassembler r;
    const Bytes body = pattern(1000, 1);
    const std::vector<Piece> pieces = split(HandshakeType::certificate, 0, body, 100);
    for (size_t i = 0; i < pieces.size(); ++i) {
        EXPECT_EQ(add(r, pieces[i]), Verdict::accepted);
        if (i + 1 < pieces.size()) {
            EXPECT_FALSE(r.next()) << "complete after fragment " << i;
        }
    }
    std::optional<Message> m = r.next();
    ASSERT_TRUE(m);
    EXPECT_EQ(m->type, HandshakeType::certificate);
    EXPECT_EQ(m->seq, 0);
    EXPECT_EQ(m->body, body);
    EXPECT_EQ(r.next_seq(), 1);
    EXPECT_FALSE(r.next());
    EXPECT_EQ(r.buffered_bytes(), 0u);
}

// conformance: RFC6347-4.2.3-4
TEST(HandshakeReassembler, ReverseOrderFragmentsAndMessages) {
    Reassembler r;
    const Bytes first = pattern(700, 2);
    const Bytes second = pattern(333, 3);
    std::vector<Piece> pieces = split(HandshakeType::server_hello, 0, first, 64);
    const std::vector<Piece> more = split(HandshakeType::certificate, 1, second, 50);
    pieces.insert(pieces.end(), more.begin(), more.end());
    std::reverse(pieces.begin(), pieces.end());

    for (const Piece& p : pieces) EXPECT_EQ(add(r, p), Verdict::accepted);
    std::optional<Message> m0 = r.next();
    std::optional<Message> m1 = r.next();
    ASSERT_TRUE(m0 && m1);
    EXPECT_EQ(m0->seq, 0);
    EXPECT_EQ(m0->body, first);
    EXPECT_EQ(m1->seq, 1);
    EXPECT_EQ(m1->type, HandshakeType::certificate);
    EXPECT_EQ(m1->body, second);
    EXPECT_EQ(r.next_seq(), 2);
}

// conformance: RFC6347-4.2.2-2 RFC9147-5.2-2
TEST(HandshakeReassembler, LaterMessageWaitsForEarlierOne) {
    Reassembler r;
    ASSERT_EQ(add(r, piece(HandshakeType::server_hello_done, 1, {}, 0, 0)), Verdict::accepted);
    EXPECT_FALSE(r.next());
    EXPECT_EQ(r.next_seq(), 0);
    const Bytes hello = pattern(90, 4);
    ASSERT_EQ(add(r, piece(HandshakeType::server_hello, 0, hello, 0, 90)), Verdict::accepted);
    EXPECT_EQ(next_body(r), hello);
    std::optional<Message> done = r.next();
    ASSERT_TRUE(done);
    EXPECT_EQ(done->type, HandshakeType::server_hello_done);
    EXPECT_TRUE(done->body.empty());
}

TEST(HandshakeReassembler, ZeroLengthMessageIsCompleteOnFirstFragment) {
    Reassembler r;
    const Piece done = piece(HandshakeType::server_hello_done, 0, {}, 0, 0);
    EXPECT_EQ(add(r, done), Verdict::accepted);
    EXPECT_EQ(add(r, done), Verdict::duplicate);
    std::optional<Message> m = r.next();
    ASSERT_TRUE(m);
    EXPECT_TRUE(m->body.empty());
    EXPECT_EQ(add(r, done), Verdict::old);
}

TEST(HandshakeReassembler, DuplicateAndCoveredFragmentsAddNothing) {
    Reassembler r;
    const Bytes body = pattern(200, 5);
    EXPECT_EQ(add(r, piece(HandshakeType::certificate, 0, body, 0, 120)), Verdict::accepted);
    EXPECT_EQ(add(r, piece(HandshakeType::certificate, 0, body, 0, 120)), Verdict::duplicate);
    EXPECT_EQ(add(r, piece(HandshakeType::certificate, 0, body, 10, 50)), Verdict::duplicate);
    EXPECT_EQ(add(r, piece(HandshakeType::certificate, 0, body, 60, 0)), Verdict::duplicate);
    EXPECT_FALSE(r.next());
    EXPECT_EQ(add(r, piece(HandshakeType::certificate, 0, body, 100, 100)), Verdict::accepted);  // overlaps 20
    EXPECT_EQ(next_body(r), body);
}

TEST(HandshakeReassembler, EmptyFragmentOfLargeMessageReservesNothing) {
    Reassembler r;
    EXPECT_EQ(r.add({HandshakeType::certificate, 60000, 0, 0, 0}, {}), Verdict::duplicate);
    EXPECT_EQ(r.buffered_bytes(), 0u);
}

// The reference model: which bytes of each message have arrived, and so
// which verdict each fragment must get and when each message is delivered.
struct ModelMessage {
    HandshakeType type;
    Bytes body;
    std::vector<bool> covered;
    size_t covered_count = 0;
    bool seen = false;
    bool complete() const { return seen && covered_count == body.size(); }
};

// conformance: RFC6347-4.2.3-5
TEST(HandshakeReassembler, RandomOrderOverlapsAndDuplicatesAreByteExact) {
    const HandshakeType types[] = {HandshakeType::server_hello, HandshakeType::certificate,
                                   HandshakeType::server_key_exchange, HandshakeType::certificate_request,
                                   HandshakeType::server_hello_done};
    for (uint32_t seed = 0; seed < 300; ++seed) {
        SCOPED_TRACE(seed);
        std::mt19937 rng(seed);
        auto below = [&](uint32_t n) { return n == 0 ? 0u : static_cast<uint32_t>(rng() % n); };

        std::vector<ModelMessage> model;
        std::vector<Piece> pieces;
        const uint32_t count = 1 + below(5);
        for (uint16_t seq = 0; seq < count; ++seq) {
            const uint32_t length = below(4) == 0 ? 0 : 1 + below(3000);
            Bytes body(length);
            for (uint8_t& b : body) b = static_cast<uint8_t>(rng());
            const HandshakeType type = types[below(5)];
            model.push_back({type, body, std::vector<bool>(length), 0, false});

            // A cover of random chunks, then overlapping extras and repeats.
            uint32_t offset = 0;
            do {
                const uint32_t chunk = std::min(length - offset, 1 + below(400));
                pieces.push_back(piece(type, seq, body, offset, chunk));
                offset += chunk;
            } while (offset < length);
            const uint32_t extras = below(8);
            for (uint32_t i = 0; i < extras; ++i) {
                const uint32_t start = below(length + 1);
                pieces.push_back(piece(type, seq, body, start, below(length - start + 1)));
            }
            const size_t cover_and_extras = pieces.size();
            for (uint32_t i = below(4); i > 0; --i) pieces.push_back(pieces[below(cover_and_extras)]);
        }
        std::shuffle(pieces.begin(), pieces.end(), rng);

        Reassembler r;
        std::vector<Message> delivered;
        uint16_t model_next = 0;
        for (const Piece& p : pieces) {
            ModelMessage& m = model[p.header.message_seq];
            Verdict expected = Verdict::old;
            if (p.header.message_seq >= model_next) {
                size_t fresh = 0;
                for (uint32_t i = 0; i < p.header.fragment_length; ++i) {
                    if (!m.covered[p.header.fragment_offset + i]) {
                        m.covered[p.header.fragment_offset + i] = true;
                        ++fresh;
                    }
                }
                m.covered_count += fresh;
                const bool news = fresh > 0 || (m.body.empty() && !m.seen);
                if (fresh > 0 || m.body.empty()) m.seen = true;
                expected = news ? Verdict::accepted : Verdict::duplicate;
            }
            ASSERT_EQ(add(r, p), expected) << "seq " << p.header.message_seq << " offset "
                                           << p.header.fragment_offset << " length " << p.header.fragment_length;
            while (std::optional<Message> out = r.next()) delivered.push_back(std::move(*out));
            while (model_next < count && model[model_next].complete()) ++model_next;
            ASSERT_EQ(r.next_seq(), model_next);
            ASSERT_LE(r.buffered_bytes(), ReassemblyLimits{}.max_buffered_bytes);
        }

        ASSERT_EQ(delivered.size(), count);
        for (uint16_t seq = 0; seq < count; ++seq) {
            EXPECT_EQ(delivered[seq].seq, seq);
            EXPECT_EQ(delivered[seq].type, model[seq].type);
            EXPECT_EQ(delivered[seq].body, model[seq].body);
        }
        EXPECT_EQ(r.buffered_bytes(), 0u);
    }
}

// conformance: RFC6347-4.2.2-1 RFC9147-5.2-1
TEST(HandshakeReassembler, OldMessagesAreReportedNotStored) {
    Reassembler r;
    const Bytes body = pattern(40, 6);
    ASSERT_EQ(add(r, piece(HandshakeType::client_hello, 0, body, 0, 40)), Verdict::accepted);
    ASSERT_TRUE(r.next());
    EXPECT_EQ(add(r, piece(HandshakeType::client_hello, 0, body, 0, 40)), Verdict::old);
    EXPECT_EQ(add(r, piece(HandshakeType::client_hello, 0, body, 0, 20)), Verdict::old);
    EXPECT_EQ(r.buffered_bytes(), 0u);
    EXPECT_FALSE(r.next());
}

TEST(HandshakeReassembler, FutureWindowIsEnforced) {
    Reassembler r(ReassemblyLimits{kMaxMessageLength, 128 * 1024, 4});
    const Bytes body = pattern(10, 7);
    EXPECT_EQ(add(r, piece(HandshakeType::finished, 3, body, 0, 10)), Verdict::accepted);
    EXPECT_EQ(add(r, piece(HandshakeType::finished, 4, body, 0, 10)), Verdict::dropped);
    EXPECT_EQ(add(r, piece(HandshakeType::finished, 65535, body, 0, 10)), Verdict::dropped);
    EXPECT_EQ(r.buffered_bytes(), 10u);
}

TEST(HandshakeReassembler, OversizedMessageIsDropped) {
    Reassembler r(ReassemblyLimits{1000, 128 * 1024, 8});
    EXPECT_EQ(r.add({HandshakeType::certificate, 1001, 0, 0, 1}, Bytes{1}), Verdict::dropped);
    EXPECT_EQ(r.add({HandshakeType::certificate, 1000, 0, 0, 1}, Bytes{1}), Verdict::accepted);
    EXPECT_EQ(r.buffered_bytes(), 1000u);
}

TEST(HandshakeReassembler, LyingFragmentHeadersAreDropped) {
    Reassembler r;
    const Bytes body = pattern(100, 8);
    ASSERT_EQ(add(r, piece(HandshakeType::certificate, 0, body, 0, 50)), Verdict::accepted);

    // The header must describe the bytes handed in (CVE-2014-0195).
    Piece lying_length = piece(HandshakeType::certificate, 0, body, 50, 50);
    lying_length.header.fragment_length = 60;
    EXPECT_EQ(add(r, lying_length), Verdict::dropped);
    Piece bytes_beyond_header = piece(HandshakeType::certificate, 0, body, 50, 50);
    bytes_beyond_header.header.fragment_offset = 90;
    bytes_beyond_header.header.fragment_length = 10;  // fits the message; the 50 bytes handed in would not
    EXPECT_EQ(add(r, bytes_beyond_header), Verdict::dropped);
    Piece past_end = piece(HandshakeType::certificate, 0, body, 50, 50);
    past_end.header.fragment_offset = 60;
    EXPECT_EQ(add(r, past_end), Verdict::dropped);
    Piece wrapping = piece(HandshakeType::certificate, 0, body, 50, 50);
    wrapping.header.fragment_offset = 0xFFFFFFF0u;
    EXPECT_EQ(add(r, wrapping), Verdict::dropped);
    EXPECT_FALSE(r.next());

    EXPECT_EQ(add(r, piece(HandshakeType::certificate, 0, body, 50, 50)), Verdict::accepted);
    EXPECT_EQ(next_body(r), body);
}

// A fragment that disagrees with an incomplete message (type or length)
// replaces it, so one spoofed fragment cannot lock out the genuine message;
// a complete message is never replaced.
TEST(HandshakeReassembler, DisagreeingFragmentReplacesIncompleteMessage) {
    Reassembler r;
    const Bytes body = pattern(100, 8);
    Piece fake = piece(HandshakeType::server_key_exchange, 0, pattern(30, 1), 0, 10);
    ASSERT_EQ(add(r, fake), Verdict::accepted);
    EXPECT_EQ(add(r, piece(HandshakeType::certificate, 0, body, 0, 50)), Verdict::accepted);
    EXPECT_EQ(r.buffered_bytes(), 100u);
    EXPECT_EQ(add(r, piece(HandshakeType::certificate, 0, body, 50, 50)), Verdict::accepted);

    Piece late_fake = piece(HandshakeType::certificate, 0, body, 0, 50);
    late_fake.header.length = 200;
    EXPECT_EQ(add(r, late_fake), Verdict::dropped);  // the genuine one is complete
    EXPECT_EQ(next_body(r), body);
}

// Messages are consumed in order, so later ones make room for earlier ones.
TEST(HandshakeReassembler, LaterMessagesAreEvictedForEarlierOnes) {
    Reassembler r(ReassemblyLimits{1000, 2000, 8});
    EXPECT_EQ(r.add({HandshakeType::certificate, 1000, 3, 0, 1}, Bytes{1}), Verdict::accepted);
    EXPECT_EQ(r.add({HandshakeType::certificate, 1000, 2, 0, 1}, Bytes{1}), Verdict::accepted);
    EXPECT_EQ(r.add({HandshakeType::certificate, 1000, 0, 0, 1}, Bytes{1}), Verdict::accepted);  // evicts 3
    EXPECT_EQ(r.buffered_bytes(), 2000u);
    EXPECT_EQ(r.add({HandshakeType::certificate, 1000, 4, 0, 1}, Bytes{1}), Verdict::dropped);  // evicts nothing
    EXPECT_EQ(r.buffered_bytes(), 2000u);
}

TEST(HandshakeReassembler, ByteBudgetCountsDeclaredLengths) {
    Reassembler r(ReassemblyLimits{1000, 2500, 8});
    EXPECT_EQ(r.add({HandshakeType::certificate, 1000, 0, 0, 1}, Bytes{1}), Verdict::accepted);
    EXPECT_EQ(r.add({HandshakeType::certificate, 1000, 1, 0, 1}, Bytes{1}), Verdict::accepted);
    EXPECT_EQ(r.buffered_bytes(), 2000u);
    EXPECT_EQ(r.add({HandshakeType::certificate, 1000, 2, 0, 1}, Bytes{1}), Verdict::dropped);
    EXPECT_EQ(r.add({HandshakeType::certificate, 500, 2, 0, 1}, Bytes{1}), Verdict::accepted);
    EXPECT_EQ(r.buffered_bytes(), 2500u);
    // More bytes of a message already counted need no new budget.
    EXPECT_EQ(r.add({HandshakeType::certificate, 1000, 1, 1, 1}, Bytes{2}), Verdict::accepted);
    EXPECT_EQ(r.buffered_bytes(), 2500u);
}

TEST(HandshakeReassembler, SixteenMebibyteCertificateIsDropped) {
    constexpr uint32_t kClaimed = 16 * 1024 * 1024 - 1;  // the largest a 24-bit length can say
    const Bytes chunk(1000, 0xCE);
    // Once by the default message size limit, once by the byte budget alone.
    for (ReassemblyLimits limits : {ReassemblyLimits{}, ReassemblyLimits{32 * 1024 * 1024, 128 * 1024, 8}}) {
        Reassembler r(limits);
        for (uint32_t offset = 0; offset < 200 * 1000; offset += 1000) {
            EXPECT_EQ(r.add({HandshakeType::certificate, kClaimed, 1, offset, 1000}, chunk), Verdict::dropped);
            ASSERT_LE(r.buffered_bytes(), limits.max_buffered_bytes);
        }
        EXPECT_EQ(r.buffered_bytes(), 0u);
    }
}

TEST(HandshakeReassembler, FloodOfFutureFragmentsStaysWithinLimits) {
    const ReassemblyLimits limits{};
    Reassembler r(limits);
    std::mt19937 rng(2016);
    const Bytes junk(512, 0x66);
    size_t accepted = 0;
    for (int i = 0; i < 20000; ++i) {
        const auto seq = static_cast<uint16_t>(rng());
        const uint32_t length = rng() % (limits.max_message_length + 1);
        const uint32_t fragment_length = std::min<uint32_t>(length, static_cast<uint32_t>(rng() % junk.size()));
        const uint32_t offset = rng() % (length - fragment_length + 1);
        const Verdict v = r.add({HandshakeType::certificate, length, static_cast<uint16_t>(seq % 16), offset,
                                 fragment_length},
                                std::span(junk).first(fragment_length));
        if (v == Verdict::accepted) ++accepted;
        ASSERT_LE(r.buffered_bytes(), limits.max_buffered_bytes);
    }
    EXPECT_GT(accepted, 0u);  // the flood did reach the buffers
    r.clear();
    EXPECT_EQ(r.buffered_bytes(), 0u);
    EXPECT_EQ(r.next_seq(), 0);
}

TEST(HandshakeReassembler, ClearKeepsSequenceSoRetransmissionsStayOld) {
    Reassembler r;
    const Bytes body = pattern(12, 9);
    ASSERT_EQ(add(r, piece(HandshakeType::finished, 0, body, 0, 12)), Verdict::accepted);
    ASSERT_TRUE(r.next());
    ASSERT_EQ(add(r, piece(HandshakeType::certificate, 2, pattern(300, 1), 0, 10)), Verdict::accepted);
    EXPECT_EQ(r.buffered_bytes(), 300u);
    r.clear();
    EXPECT_EQ(r.buffered_bytes(), 0u);
    EXPECT_EQ(r.next_seq(), 1);
    EXPECT_EQ(add(r, piece(HandshakeType::finished, 0, body, 0, 12)), Verdict::old);
}

}  // namespace
}  // namespace dtls::transport
