// The flight writer: every datagram fits the MTU, the records it sends are
// logged with the bytes of the message each carried, and an acknowledgement
// of records retires exactly those bytes, so the next transmission sends only
// what is still unacknowledged (what DTLS 1.3 ACKs need, RFC 9147 7).
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "record/datagram_reader.hpp"
#include "transport/flight.hpp"
#include "transport/fragment.hpp"

namespace dtls::transport {
namespace {

using messages::HandshakeType;

Flight three_messages() {
    Flight f{"Test..Flight", {}};
    f.messages.push_back({record::ContentType::handshake, 0, HandshakeType::server_hello, 1, Bytes(70, 1)});
    f.messages.push_back({record::ContentType::handshake, 0, HandshakeType::certificate, 2, Bytes(900, 2)});
    f.messages.push_back({record::ContentType::handshake, 0, HandshakeType::server_hello_done, 3, {}});
    return f;
}

struct Sent {
    uint16_t seq;
    uint32_t offset;
    uint32_t length;
    bool operator<(const Sent& o) const { return std::tie(seq, offset, length) < std::tie(o.seq, o.offset, o.length); }
};

// Sends the rest of the flight; returns every fragment as (message_seq,
// offset, length), checking every datagram fits the MTU.
std::vector<Sent> drain(FlightWriter& writer, record::EpochTable& table, size_t mtu) {
    std::vector<Sent> out;
    Bytes datagram;
    for (int guard = 0; guard < 1000; ++guard) {
        datagram.clear();
        if (!writer.next_datagram(mtu, table, datagram)) break;
        EXPECT_LE(datagram.size(), mtu);
        record::DatagramReader reader(datagram, 0);
        record::FramedRecord framed;
        while (reader.next(framed) == record::DatagramReader::Next::record) {
            wire::Reader r(framed.body);
            FragmentHeader h;
            std::span<const uint8_t> fragment;
            EXPECT_TRUE(read_fragment(r, h, fragment));
            out.push_back({h.message_seq, h.fragment_offset, h.fragment_length});
        }
    }
    return out;
}

// Which bytes of each message the fragments cover.
std::map<uint16_t, std::set<uint32_t>> coverage(const std::vector<Sent>& fragments) {
    std::map<uint16_t, std::set<uint32_t>> bytes;
    for (const Sent& f : fragments) {
        auto& set = bytes[f.seq];
        for (uint32_t i = f.offset; i < f.offset + f.length; ++i) set.insert(i);
    }
    return bytes;
}

TEST(FlightWriter, SendsEveryByteInDatagramsThatFitAndLogsEachRecord) {
    const Flight flight = three_messages();
    record::EpochTable table;
    FlightWriter writer;
    writer.track_records(true);
    writer.start(&flight);
    const std::vector<Sent> fragments = drain(writer, table, 300);
    EXPECT_FALSE(writer.active());
    auto bytes = coverage(fragments);
    EXPECT_EQ(bytes[1].size(), 70u);
    EXPECT_EQ(bytes[2].size(), 900u);
    EXPECT_EQ(bytes.count(3), 1u) << "the empty ServerHelloDone is sent too";

    // One log entry per record, in record-number order, matching the wire.
    ASSERT_EQ(writer.sent().size(), fragments.size());
    for (size_t i = 0; i < fragments.size(); ++i) {
        const SentFragment& s = writer.sent()[i];
        EXPECT_EQ(s.record, (record::RecordNumber{0, i}));
        EXPECT_EQ(flight.messages[s.message].seq, fragments[i].seq);
        EXPECT_EQ(s.offset, fragments[i].offset);
        EXPECT_EQ(s.length, fragments[i].length);
    }
}

// conformance: RFC9147-7.2-1
TEST(FlightWriter, AnAcknowledgementRetiresExactlyTheBytesItsRecordCarried) {
    const Flight flight = three_messages();
    record::EpochTable table;
    FlightWriter writer;
    writer.track_records(true);
    writer.start(&flight);
    const std::vector<Sent> first = drain(writer, table, 300);
    ASSERT_GE(first.size(), 5u);

    // Acknowledge every other record of the first transmission.
    std::vector<SentFragment> log(writer.sent().begin(), writer.sent().end());
    std::set<Sent> acknowledged;
    for (size_t i = 0; i < log.size(); i += 2) {
        writer.acknowledge(log[i].record);
        acknowledged.insert(first[i]);
    }
    writer.acknowledge({0, 9999});  // a record never sent changes nothing
    writer.acknowledge({1, 0});
    EXPECT_FALSE(writer.fully_acknowledged());

    writer.restart();
    const std::vector<Sent> second = drain(writer, table, 300);
    for (const Sent& s : second) {
        EXPECT_EQ(acknowledged.count(s), 0u) << "resent acknowledged bytes of message " << s.seq;
    }
    // What was resent plus what was acknowledged is the whole flight.
    std::vector<Sent> together(second);
    together.insert(together.end(), acknowledged.begin(), acknowledged.end());
    auto bytes = coverage(together);
    EXPECT_EQ(bytes[1].size(), 70u);
    EXPECT_EQ(bytes[2].size(), 900u);

    // Acknowledging the second transmission's records completes the flight,
    // and nothing is left to send.
    for (size_t i = log.size(); i < writer.sent().size(); ++i) writer.acknowledge(writer.sent()[i].record);
    EXPECT_TRUE(writer.fully_acknowledged());
    writer.restart();
    EXPECT_TRUE(drain(writer, table, 300).empty());
}

// conformance: RFC9147-7.2-4
TEST(FlightWriter, AnAcknowledgementCanRetireBytesAcrossTransmissionsAtAnotherMtu) {
    const Flight flight = three_messages();
    record::EpochTable table;
    FlightWriter writer;
    writer.track_records(true);
    writer.start(&flight);
    const size_t first = drain(writer, table, 1200).size();  // the certificate in one fragment
    writer.restart();
    drain(writer, table, 250);  // and again in small ones
    const std::vector<SentFragment> log(writer.sent().begin(), writer.sent().end());
    ASSERT_GT(log.size(), first);
    // The second transmission's records alone cover everything too.
    for (size_t i = first; i < log.size(); ++i) writer.acknowledge(log[i].record);
    EXPECT_TRUE(writer.fully_acknowledged());
}

TEST(FlightWriter, ANewFlightForgetsThePreviousOnesRecords) {
    const Flight a = three_messages(), b = three_messages();
    record::EpochTable table;
    FlightWriter writer;
    writer.track_records(true);
    writer.start(&a);
    drain(writer, table, 1200);
    const record::RecordNumber old = writer.sent().front().record;
    writer.start(&b);
    EXPECT_TRUE(writer.sent().empty());
    writer.acknowledge(old);
    EXPECT_FALSE(writer.fully_acknowledged());
    EXPECT_EQ(coverage(drain(writer, table, 1200))[2].size(), 900u);
}

TEST(FlightWriter, TheRecordLogIsBounded) {
    Flight big{"Big", {}};
    big.messages.push_back({record::ContentType::handshake, 0, HandshakeType::certificate, 0, Bytes(60000, 3)});
    record::EpochTable table;
    FlightWriter writer;
    writer.track_records(true);
    writer.start(&big);
    drain(writer, table, 200);  // about 340 records
    EXPECT_EQ(writer.sent().size(), FlightWriter::kMaxSentRecords);
    EXPECT_GT(writer.sent().front().record.sequence, 0u) << "the oldest records went first";
}

TEST(FlightWriter, LogsNothingUnlessAskedTo) {
    const Flight flight = three_messages();
    record::EpochTable table;
    FlightWriter writer;
    writer.start(&flight);
    EXPECT_FALSE(drain(writer, table, 300).empty());
    EXPECT_TRUE(writer.sent().empty());
}

TEST(FlightWriter, ChangeCipherSpecIsOneWholeRecordAndCanBeAcknowledged) {
    Flight flight{"ChangeCipherSpec..Finished", {}};
    transport::FlightMessage ccs;
    ccs.content = record::ContentType::change_cipher_spec;
    ccs.body = {1};
    flight.messages.push_back(ccs);
    flight.messages.push_back({record::ContentType::handshake, 0, HandshakeType::finished, 5, Bytes(12, 7)});
    record::EpochTable table;
    FlightWriter writer;
    writer.track_records(true);
    writer.start(&flight);
    Bytes datagram;
    ASSERT_TRUE(writer.next_datagram(1200, table, datagram));
    ASSERT_EQ(writer.sent().size(), 2u);
    EXPECT_EQ(writer.sent()[0].length, 0u);
    writer.acknowledge(writer.sent()[0].record);
    writer.acknowledge(writer.sent()[1].record);
    EXPECT_TRUE(writer.fully_acknowledged());
}

}  // namespace
}  // namespace dtls::transport
