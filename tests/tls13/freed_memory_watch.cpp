// The replacement operator new and delete behind FreedMemoryWatch (see
// freed_memory_watch.hpp). Allocation is plain malloc; deallocation searches
// the block while a watch is active, then frees it. Nothing here allocates.
#include "freed_memory_watch.hpp"

#include <malloc.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <new>

namespace dtls::tls13::testing {
namespace {

constexpr size_t kMaxSecrets = 8;
constexpr size_t kMaxSecretLength = 64;

struct Pattern {
    std::array<uint8_t, kMaxSecretLength> bytes{};
    size_t length = 0;
};

// Plain globals: they live outside the heap, and the tests run on one thread.
bool active = false;
std::array<Pattern, kMaxSecrets> patterns;
size_t pattern_count = 0;
size_t found = 0;

}  // namespace

namespace {

void inspect_freed_block(const void* block, size_t size) {
    if (!active || block == nullptr) return;
    const auto* begin = static_cast<const uint8_t*>(block);
    const auto* end = begin + size;
    for (size_t i = 0; i < pattern_count; ++i) {
        const Pattern& p = patterns[i];
        if (std::search(begin, end, p.bytes.begin(), p.bytes.begin() + static_cast<long>(p.length)) != end) {
            ++found;
            return;
        }
    }
}

}  // namespace

FreedMemoryWatch::FreedMemoryWatch() {
    pattern_count = 0;
    found = 0;
    active = true;
}

FreedMemoryWatch::~FreedMemoryWatch() {
    active = false;
    for (Pattern& p : patterns) {
        std::memset(p.bytes.data(), 0, p.bytes.size());
        p.length = 0;
    }
    pattern_count = 0;
}

void FreedMemoryWatch::watch(std::span<const uint8_t> secret) {
    if (secret.empty() || secret.size() > kMaxSecretLength || pattern_count == kMaxSecrets) std::abort();
    Pattern& p = patterns[pattern_count++];
    std::copy(secret.begin(), secret.end(), p.bytes.begin());
    p.length = secret.size();
}

size_t FreedMemoryWatch::blocks_freed_holding_a_secret() const { return found; }

}  // namespace dtls::tls13::testing

// Every allocation through operator new in this binary; the array forms and
// the nothrow forms come back here through the library's defaults.
void* operator new(size_t n) {
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc();
}

void operator delete(void* p) noexcept {
    if (p != nullptr) dtls::tls13::testing::inspect_freed_block(p, malloc_usable_size(p));
    std::free(p);
}

void operator delete(void* p, size_t n) noexcept {
    dtls::tls13::testing::inspect_freed_block(p, n);
    std::free(p);
}
