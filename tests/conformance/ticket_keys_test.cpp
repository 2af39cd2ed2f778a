// The server's ticket-encryption keys (RFC 9325 3.4): they change every
// key lifetime, and a retired key is gone once the next one retires, even
// for a ticket whose own lifetime has not run out. Each `// conformance:`
// line names the requirements of docs/conformance.md the test below checks.
#include <gtest/gtest.h>

#include <chrono>

#include "resumption/ticket_keys.hpp"

namespace dtls::test {
namespace {

using resumption::TicketContents;
using resumption::TicketKeys;

TicketContents long_lived_contents(Instant issued) {
    TicketContents c;
    c.cipher_suite = 0x1301;
    c.issued = issued;
    c.lifetime = std::chrono::hours(24 * 7);  // outlives every key below
    c.psk = crypto::SecretBytes(Bytes(32, 0x42));
    c.server_name = "server.test";
    return c;
}

Bytes key_name(const Bytes& ticket) { return Bytes(ticket.begin(), ticket.begin() + TicketKeys::kNameLength); }

// conformance: RFC9325-3.4-3 RFC9325-3.4-4
TEST(ConformanceTicketKeys, KeysChangeEachLifetimeAndARetiredKeyIsGone) {
    const Instant t0 = Instant{} + std::chrono::hours(1);
    const Duration key_lifetime = std::chrono::minutes(10);
    auto keys = TicketKeys::create(key_lifetime, t0);
    ASSERT_TRUE(keys);

    auto first = (*keys)->seal(long_lived_contents(t0), t0);
    ASSERT_TRUE(first);
    auto same_period = (*keys)->seal(long_lived_contents(t0), t0 + std::chrono::minutes(9));
    ASSERT_TRUE(same_period);
    EXPECT_EQ(key_name(*same_period), key_name(*first)) << "one key seals for a whole lifetime";

    // One lifetime later a new key seals; the previous one still opens.
    const Instant t1 = t0 + key_lifetime + std::chrono::seconds(1);
    auto second = (*keys)->seal(long_lived_contents(t1), t1);
    ASSERT_TRUE(second);
    EXPECT_NE(key_name(*second), key_name(*first)) << "the key was not changed after its lifetime";
    auto opened = (*keys)->open(*first, t1);
    ASSERT_TRUE(opened) << "a ticket of the previous key opens";
    EXPECT_EQ(opened->server_name, "server.test");

    // After the next rotation the first key is destroyed: its ticket no
    // longer opens although the ticket's own lifetime (7 days) has not
    // passed, while the second key's ticket still does.
    const Instant t2 = t1 + key_lifetime + std::chrono::seconds(1);
    EXPECT_FALSE((*keys)->open(*first, t2));
    EXPECT_TRUE((*keys)->open(*second, t2));
    const Instant t3 = t2 + key_lifetime + std::chrono::seconds(1);
    EXPECT_FALSE((*keys)->open(*second, t3));
}

}  // namespace
}  // namespace dtls::test
