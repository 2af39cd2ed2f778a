// Secret byte handling and randomness.
#include <gtest/gtest.h>

#include <set>

#include "crypto/random.hpp"
#include "crypto/secret.hpp"

namespace dtls::crypto {
namespace {

TEST(Secret, EqualConstantTimeComparesContentAndLength) {
    std::vector<uint8_t> a{1, 2, 3}, b{1, 2, 3}, c{1, 2, 4}, shorter{1, 2};
    EXPECT_TRUE(equal_constant_time(a, b));
    EXPECT_FALSE(equal_constant_time(a, c));
    EXPECT_FALSE(equal_constant_time(a, shorter));
    EXPECT_TRUE(equal_constant_time({}, {}));
}

TEST(Secret, CleanseZeroesTheBytes) {
    std::vector<uint8_t> bytes(40, 0xee);
    cleanse(bytes);
    EXPECT_EQ(bytes, std::vector<uint8_t>(40, 0));
    cleanse({});  // an empty span is fine
}

TEST(Secret, SecretBytesCopyMoveAndClear) {
    std::vector<uint8_t> value{9, 8, 7, 6};
    SecretBytes original(value);
    SecretBytes copy = original;
    EXPECT_TRUE(equal_constant_time(copy.span(), value));

    SecretBytes moved = std::move(original);
    EXPECT_TRUE(equal_constant_time(moved.span(), value));
    EXPECT_TRUE(original.empty());  // NOLINT(bugprone-use-after-move): the state after a move is specified

    SecretBytes assigned(std::vector<uint8_t>{1, 1, 1, 1, 1, 1, 1, 1});
    assigned = copy;
    EXPECT_TRUE(equal_constant_time(assigned.span(), value));
    assigned = std::move(copy);
    EXPECT_TRUE(equal_constant_time(assigned.span(), value));
    EXPECT_TRUE(copy.empty());  // NOLINT(bugprone-use-after-move)

    assigned.clear();
    EXPECT_TRUE(assigned.empty());
    EXPECT_EQ(SecretBytes(16).size(), 16u);
}

TEST(Random, FillsBuffersWithFreshBytes) {
    std::set<std::vector<uint8_t>> seen;
    for (int i = 0; i < 20; ++i) {
        std::vector<uint8_t> bytes(32);
        ASSERT_TRUE(random_bytes(bytes));
        seen.insert(bytes);
    }
    EXPECT_EQ(seen.size(), 20u);
    EXPECT_EQ(seen.count(std::vector<uint8_t>(32, 0)), 0u);
    EXPECT_TRUE(random_bytes({}));  // nothing requested, nothing happens
}

}  // namespace
}  // namespace dtls::crypto
