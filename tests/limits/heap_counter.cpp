#include "heap_counter.hpp"

#include <malloc.h>

#include <atomic>
#include <cstdlib>
#include <new>

namespace dtls::test::heap {
namespace {

std::atomic<size_t> g_live{0};
std::atomic<size_t> g_peak{0};

void* counted(void* p) {
    if (p == nullptr) throw std::bad_alloc();
    const size_t now = g_live += malloc_usable_size(p);
    size_t peak = g_peak.load();
    while (now > peak && !g_peak.compare_exchange_weak(peak, now)) {
    }
    return p;
}

void uncounted(void* p) {
    if (p == nullptr) return;
    g_live -= malloc_usable_size(p);
    std::free(p);
}

void* aligned(size_t size, std::align_val_t alignment) {
    const size_t a = static_cast<size_t>(alignment);
    return std::aligned_alloc(a, (size + a - 1) / a * a);
}

}  // namespace

size_t live_bytes() { return g_live.load(); }
size_t peak_bytes() { return g_peak.load(); }
void reset_peak() { g_peak = g_live.load(); }

}  // namespace dtls::test::heap

using dtls::test::heap::aligned;
using dtls::test::heap::counted;
using dtls::test::heap::uncounted;

void* operator new(size_t size) { return counted(std::malloc(size == 0 ? 1 : size)); }
void* operator new[](size_t size) { return counted(std::malloc(size == 0 ? 1 : size)); }
void* operator new(size_t size, std::align_val_t a) { return counted(aligned(size == 0 ? 1 : size, a)); }
void* operator new[](size_t size, std::align_val_t a) { return counted(aligned(size == 0 ? 1 : size, a)); }
void* operator new(size_t size, const std::nothrow_t&) noexcept {
    void* p = std::malloc(size == 0 ? 1 : size);
    return p ? counted(p) : nullptr;
}
void* operator new[](size_t size, const std::nothrow_t&) noexcept {
    void* p = std::malloc(size == 0 ? 1 : size);
    return p ? counted(p) : nullptr;
}
void operator delete(void* p) noexcept { uncounted(p); }
void operator delete[](void* p) noexcept { uncounted(p); }
void operator delete(void* p, size_t) noexcept { uncounted(p); }
void operator delete[](void* p, size_t) noexcept { uncounted(p); }
void operator delete(void* p, std::align_val_t) noexcept { uncounted(p); }
void operator delete[](void* p, std::align_val_t) noexcept { uncounted(p); }
void operator delete(void* p, size_t, std::align_val_t) noexcept { uncounted(p); }
void operator delete[](void* p, size_t, std::align_val_t) noexcept { uncounted(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { uncounted(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { uncounted(p); }
