// The codecs of RFC 9147 9's NewConnectionId and RequestConnectionId: what
// they read back, and the malformed or forbidden bodies they refuse (with
// the fault that picks the alert: decode_error or illegal_parameter).
#include <gtest/gtest.h>

#include "messages/connection_id_messages.hpp"
#include "wire/writer.hpp"

namespace dtls::test {
namespace {

using messages::ConnectionIdUsage;

Bytes encoded(const messages::NewConnectionId& m) {
    Bytes out;
    wire::Writer w(out);
    EXPECT_TRUE(messages::encode(m, w));
    return out;
}

TEST(ConnectionIdMessages, NewConnectionIdReadsWhatItWrites) {
    const messages::NewConnectionId m{{Bytes{1, 2, 3}, Bytes(255, 0xab), Bytes{9}}, ConnectionIdUsage::cid_immediate};
    const Bytes body = encoded(m);
    auto back = messages::decode_new_connection_id(body);
    ASSERT_TRUE(back.ok()) << back.error().to_string();
    EXPECT_EQ(back->cids, m.cids);
    EXPECT_EQ(back->usage, ConnectionIdUsage::cid_immediate);
    // An empty list of spares: an answer to a request that gives nothing
    // (RFC 9147 9).
    auto none = messages::decode_new_connection_id(encoded({{}, ConnectionIdUsage::cid_spare}));
    ASSERT_TRUE(none.ok());
    EXPECT_TRUE(none->cids.empty());
}

TEST(ConnectionIdMessages, MalformedNewConnectionIdIsRefused) {
    const Bytes good = encoded({{Bytes{1, 2, 3}}, ConnectionIdUsage::cid_spare});  // 00 04 03 01 02 03 01
    struct Case {
        const char* name;
        Bytes body;
        Fault fault;
    };
    const std::vector<Case> cases = {
        {"empty body", {}, Fault::malformed_message},
        {"no usage", Bytes(good.begin(), good.end() - 1), Fault::malformed_message},
        {"trailing byte", [&] { Bytes b = good; b.push_back(0); return b; }(), Fault::malformed_message},
        {"list overruns the body", {0x00, 0x09, 0x03, 1, 2, 3, 1}, Fault::malformed_message},
        {"a CID overruns the list", {0x00, 0x03, 0x05, 1, 2, 1}, Fault::malformed_message},
        {"an empty CID", {0x00, 0x01, 0x00, 1}, Fault::forbidden_value},
        {"unknown usage", {0x00, 0x02, 0x01, 7, 2}, Fault::forbidden_value},
        {"cid_immediate without a CID", {0x00, 0x00, 0x00}, Fault::forbidden_value},
    };
    for (const Case& c : cases) {
        auto r = messages::decode_new_connection_id(c.body);
        ASSERT_FALSE(r.ok()) << c.name;
        EXPECT_EQ(r.error().fault, c.fault) << c.name << ": " << r.error().to_string();
    }
}

TEST(ConnectionIdMessages, RequestConnectionIdReadsOneByte) {
    auto r = messages::decode_request_connection_id(Bytes{5});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->num_cids, 5);
    EXPECT_FALSE(messages::decode_request_connection_id(Bytes{}).ok());
    EXPECT_FALSE(messages::decode_request_connection_id(Bytes{5, 0}).ok());
}

}  // namespace
}  // namespace dtls::test
