// The limits in docs/security.md, measured: floods that a peer (or anyone
// spoofing plaintext records) can send to a live connection, and the heap a
// connection holds while absorbing them. After each flood the genuine
// handshake still completes.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "transport/fragment.hpp"
#include "transport/reassembler.hpp"
#include "heap_counter.hpp"
#include "live_connection.hpp"
#include "record/dtls12_header.hpp"

namespace dtls::test {
namespace {

// The documented numbers (docs/security.md); a change here must change the table.
constexpr size_t kLargestMessage = 64 * 1024 + 512;
constexpr size_t kReassemblyBudget = 128 * 1024;
constexpr size_t kFutureMessages = 8;
constexpr size_t kFutureRecords = 8;
constexpr size_t kFutureRecordBytes = 32 * 1024;
static_assert(transport::kMaxMessageLength == kLargestMessage);
static_assert(transport::ReassemblyLimits{}.max_buffered_bytes == kReassemblyBudget);
static_assert(transport::ReassemblyLimits{}.max_future_messages == kFutureMessages);

// Reassembly keeps a body and one flag bit per byte: 9/8 of the budget, plus
// bookkeeping. Allocator rounding and the odd trace string fit in the slack.
constexpr size_t kSlack = 8 * 1024;
constexpr size_t kReassemblyHeapLimit = kReassemblyBudget + kReassemblyBudget / 8 + kSlack;
constexpr size_t kFutureRecordHeapLimit = kFutureRecordBytes + kSlack;

// One plaintext (epoch 0) handshake record holding one fragment.
Bytes handshake_fragment(messages::HandshakeType type, uint32_t length, uint16_t message_seq, uint32_t offset,
                         std::span<const uint8_t> bytes, uint64_t record_seq) {
    Bytes payload;
    wire::Writer pw(payload);
    transport::write_fragment_header({type, length, message_seq, offset, static_cast<uint32_t>(bytes.size())}, pw);
    pw.bytes(bytes);
    Bytes out;
    wire::Writer w(out);
    record::write_dtls12_header({record::ContentType::handshake, record::kVersionDtls12, 0, record_seq,
                                 static_cast<uint16_t>(payload.size())},
                                w);
    w.bytes(payload);
    return out;
}

// An epoch 1 record that cannot be opened yet (and will not authenticate).
Bytes future_epoch_record(size_t length, uint64_t record_seq) {
    Bytes out;
    wire::Writer w(out);
    record::write_dtls12_header({record::ContentType::handshake, record::kVersionDtls12, 1, record_seq,
                                 static_cast<uint16_t>(length)},
                                w);
    for (size_t i = 0; i < length; ++i) w.u8(static_cast<uint8_t>(i * 13 + record_seq));
    return out;
}

// Delivers the flood and returns how many heap bytes the connection gained
// at most while taking it (the flood itself is built beforehand).
size_t peak_growth(Connection& target, const std::vector<Bytes>& flood, Instant now) {
    const size_t before = heap::live_bytes();
    heap::reset_peak();
    for (const Bytes& d : flood) target.handle_datagram(d, now);
    return heap::peak_bytes() - before;
}

TEST(MemoryLimits, CertificateClaimingSixteenMebibytesIsNeverBuffered) {
    LiveConnections live;
    ASSERT_TRUE(live.ready());
    constexpr uint32_t k16MiB = 16 * 1024 * 1024;
    std::vector<Bytes> flood;
    const Bytes chunk(1000, 0x30);
    // 20,000 overlapping fragments spread over the whole claimed length, as
    // message 2 (where the genuine Certificate goes) and one ahead.
    for (uint32_t i = 0; i < 20000; ++i) {
        const uint32_t offset = static_cast<uint32_t>((uint64_t{i} * 839) % (k16MiB - chunk.size()));
        flood.push_back(handshake_fragment(messages::HandshakeType::certificate, k16MiB, static_cast<uint16_t>(2 + i % 2),
                                           offset, chunk, i));
    }
    const size_t to_client = peak_growth(*live.client, flood, live.now);
    const size_t to_server = peak_growth(*live.server_conn, flood, live.now);
    RecordProperty("client_peak_growth_bytes", std::to_string(to_client));
    RecordProperty("server_peak_growth_bytes", std::to_string(to_server));
    EXPECT_LE(to_client, kSlack);  // over the message limit: nothing is kept
    EXPECT_LE(to_server, kSlack);
    EXPECT_TRUE(live.finish());
}

TEST(MemoryLimits, FragmentFloodStaysWithinTheReassemblyBudget) {
    LiveConnections live;
    ASSERT_TRUE(live.ready());
    // Messages 6, 7 and 8 (inside the window, after the genuine flight's
    // 1..5) claim 40,000 bytes each, and the flood fills them byte by byte
    // with overlapping fragments, then asks for 50 more messages of 60,000.
    std::vector<Bytes> flood;
    const Bytes chunk(1100, 0x41);
    uint64_t record_seq = 0;
    for (uint16_t seq = 6; seq <= 8; ++seq) {
        for (uint32_t offset = 0; offset + chunk.size() <= 40000; offset += 700) {
            flood.push_back(handshake_fragment(messages::HandshakeType::certificate, 40000, seq, offset, chunk,
                                               record_seq++));
        }
    }
    // Message 5 would fit the window but not the remaining budget.
    for (uint32_t offset = 0; offset < 20000; offset += 1000) {
        flood.push_back(handshake_fragment(messages::HandshakeType::certificate, 60000, 5, offset, chunk, record_seq++));
    }
    for (uint16_t seq = 9; seq < 59; ++seq) {
        flood.push_back(handshake_fragment(messages::HandshakeType::certificate, 60000, seq, 0, chunk, record_seq++));
    }
    const size_t growth = peak_growth(*live.client, flood, live.now);
    RecordProperty("peak_growth_bytes", std::to_string(growth));
    // The meter works: three 40,000-byte messages really are held...
    EXPECT_GE(growth, 3 * 40000u);
    // ...and the rest is refused.
    EXPECT_LE(growth, kReassemblyHeapLimit);
    EXPECT_TRUE(live.finish());
}

TEST(MemoryLimits, FutureMessageFloodKeepsOnlyTheWindow) {
    LiveConnections live;
    ASSERT_TRUE(live.ready());
    // 10,000 complete 200-byte messages with every message_seq; only those
    // in the window after the genuine flight (6..8) may be kept.
    std::vector<Bytes> flood;
    const Bytes body(200, 0x42);
    for (uint32_t i = 0; i < 10000; ++i) {
        const auto seq = static_cast<uint16_t>(6 + i % 65530);
        flood.push_back(handshake_fragment(messages::HandshakeType::certificate, 200, seq, 0, body, i));
    }
    const size_t growth = peak_growth(*live.client, flood, live.now);
    RecordProperty("peak_growth_bytes", std::to_string(growth));
    EXPECT_LE(growth, kFutureMessages * (200 + 200 / 8 + 128) + kSlack);
    EXPECT_TRUE(live.finish());
}

// Counts the engine's trace lines that say a future-epoch record was held.
struct HeldCounter {
    std::shared_ptr<size_t> held = std::make_shared<size_t>(0);
    std::shared_ptr<size_t> refused = std::make_shared<size_t>(0);
    void attach(Config& config) const {
        config.trace = [held = held, refused = refused](std::string_view line) {
            if (line.find("held until its epoch opens") != std::string_view::npos) ++*held;
            if (line.find("too many records held for the next epoch") != std::string_view::npos) ++*refused;
        };
    }
};

TEST(MemoryLimits, FutureEpochRecordsAreCappedInNumber) {
    HeldCounter client_count, server_count;
    Config client_config = dtls12_config(), server_config = dtls12_config();
    client_count.attach(client_config);
    server_count.attach(server_config);
    LiveConnections live(client_config, server_config);
    ASSERT_TRUE(live.ready());
    std::vector<Bytes> flood;
    for (uint64_t i = 0; i < 10000; ++i) flood.push_back(future_epoch_record(100, 1000 + i));
    const size_t to_client = peak_growth(*live.client, flood, live.now);
    const size_t to_server = peak_growth(*live.server_conn, flood, live.now);
    EXPECT_EQ(*client_count.held, kFutureRecords);
    EXPECT_EQ(*server_count.held, kFutureRecords);
    EXPECT_EQ(*client_count.refused, flood.size() - kFutureRecords);
    EXPECT_LE(to_client, kFutureRecords * (100 + 128) + kSlack);
    EXPECT_LE(to_server, kFutureRecords * (100 + 128) + kSlack);
    EXPECT_TRUE(live.finish());  // the held garbage fails to authenticate after ChangeCipherSpec
}

TEST(MemoryLimits, FutureEpochRecordsAreCappedInBytes) {
    HeldCounter count;
    Config client_config = dtls12_config();
    count.attach(client_config);
    LiveConnections live(client_config);
    ASSERT_TRUE(live.ready());
    std::vector<Bytes> flood;
    for (uint64_t i = 0; i < 2000; ++i) flood.push_back(future_epoch_record(5000, 1000 + i));
    const size_t growth = peak_growth(*live.client, flood, live.now);
    RecordProperty("peak_growth_bytes", std::to_string(growth));
    EXPECT_EQ(*count.held, kFutureRecordBytes / 5000);  // 6 records of 5,000 bytes fit in 32 KiB
    EXPECT_GE(growth, 6 * 5000u);
    EXPECT_LE(growth, kFutureRecordHeapLimit);
    EXPECT_TRUE(live.finish());
}

TEST(MemoryLimits, AllFloodsTogetherStayWithinThePerConnectionBound) {
    LiveConnections live;
    ASSERT_TRUE(live.ready());
    std::vector<Bytes> flood;
    const Bytes chunk(1100, 0x43);
    for (uint16_t seq = 6; seq <= 8; ++seq) {
        for (uint32_t offset = 0; offset + chunk.size() <= 42000; offset += 1000) {
            flood.push_back(handshake_fragment(messages::HandshakeType::certificate, 42000, seq, offset, chunk, offset));
            flood.push_back(future_epoch_record(1300, 5000 + offset + seq));
        }
    }
    const size_t growth = peak_growth(*live.client, flood, live.now);
    RecordProperty("peak_growth_bytes", std::to_string(growth));
    EXPECT_LE(growth, kReassemblyHeapLimit + kFutureRecordHeapLimit);
    EXPECT_TRUE(live.finish());
}

}  // namespace
}  // namespace dtls::test
