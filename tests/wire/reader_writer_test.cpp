#include <gtest/gtest.h>

#include "wire/reader.hpp"
#include "wire/writer.hpp"

namespace dtls::wire {
namespace {

TEST(Wire, IntegersRoundTrip) {
    std::vector<uint8_t> buf;
    Writer w(buf);
    w.u8(0x12);
    w.u16(0x3456);
    w.u24(0x789abc);
    w.u32(0xdef01234);
    w.u48(0x56789abcdef0);
    w.u64(0x1122334455667788);
    ASSERT_EQ(buf.size(), 1u + 2 + 3 + 4 + 6 + 8);
    EXPECT_EQ(buf[1], 0x34);

    Reader r(buf);
    uint8_t a;
    uint16_t b;
    uint32_t c, d;
    uint64_t e, f;
    ASSERT_TRUE(r.u8(a) && r.u16(b) && r.u24(c) && r.u32(d) && r.u48(e) && r.u64(f));
    EXPECT_EQ(a, 0x12);
    EXPECT_EQ(b, 0x3456);
    EXPECT_EQ(c, 0x789abcu);
    EXPECT_EQ(d, 0xdef01234u);
    EXPECT_EQ(e, 0x56789abcdef0u);
    EXPECT_EQ(f, 0x1122334455667788u);
    EXPECT_TRUE(r.empty());
}

TEST(Wire, ShortReadFailsWithoutAdvancing) {
    const uint8_t bytes[] = {1, 2};
    Reader r(bytes);
    uint32_t v = 7;
    EXPECT_FALSE(r.u24(v));
    EXPECT_EQ(v, 7u);
    EXPECT_EQ(r.remaining(), 2u);
    uint16_t ok;
    EXPECT_TRUE(r.u16(ok));
    EXPECT_EQ(ok, 0x0102);
}

TEST(Wire, NestedVectors) {
    std::vector<uint8_t> buf;
    Writer w(buf);
    w.vec16([&] {
        w.vec8(std::vector<uint8_t>{9, 9, 9});
        w.u8(5);
    });
    EXPECT_EQ(buf, (std::vector<uint8_t>{0, 5, 3, 9, 9, 9, 5}));
    Reader r(buf);
    Reader inner(std::span<const uint8_t>{});
    ASSERT_TRUE(r.vec16(inner));
    std::span<const uint8_t> body;
    ASSERT_TRUE(inner.vec8(body));
    EXPECT_EQ(body.size(), 3u);
    uint8_t last;
    ASSERT_TRUE(inner.u8(last));
    EXPECT_TRUE(inner.empty());
    EXPECT_TRUE(r.empty());
}

TEST(Wire, VectorLongerThanInputIsRejected) {
    const uint8_t bytes[] = {0, 10, 1, 2, 3};
    Reader r(bytes);
    std::span<const uint8_t> body;
    EXPECT_FALSE(r.vec16(body));
    EXPECT_EQ(r.remaining(), 5u);
}

TEST(Wire, BodyTooLongForPrefixMarksWriterFailed) {
    std::vector<uint8_t> buf;
    Writer w(buf);
    std::vector<uint8_t> big(300);
    w.vec8(big);
    EXPECT_FALSE(w.ok());
}

}  // namespace
}  // namespace dtls::wire
