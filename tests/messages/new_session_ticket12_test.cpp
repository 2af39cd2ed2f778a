// The DTLS 1.2 NewSessionTicket (RFC 5077 3.3): lifetime hint and ticket,
// nothing after them.
#include <gtest/gtest.h>

#include "messages/new_session_ticket12.hpp"

namespace dtls::messages {
namespace {

TEST(NewSessionTicket12, RoundTrips) {
    NewSessionTicket12 m{7200, Bytes(100, 0xAB)};
    auto body = encoded(m);
    ASSERT_TRUE(body);
    EXPECT_EQ(body->size(), 4u + 2u + 100u);
    auto back = decode_new_session_ticket12(*body);
    ASSERT_TRUE(back) << back.error().reason;
    EXPECT_EQ(back->ticket_lifetime_hint, 7200u);
    EXPECT_EQ(back->ticket, m.ticket);
}

TEST(NewSessionTicket12, TruncatedOrTrailingBytesAreMalformed) {
    auto body = encoded(NewSessionTicket12{60, Bytes{1, 2, 3}});
    ASSERT_TRUE(body);
    Bytes truncated(body->begin(), body->end() - 1);
    Bytes trailing = *body;
    trailing.push_back(0);
    for (const Bytes& bad : {truncated, trailing, Bytes{0, 0}}) {
        auto r = decode_new_session_ticket12(bad);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().fault, Fault::malformed_message);
    }
}

}  // namespace
}  // namespace dtls::messages
