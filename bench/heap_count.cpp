#include "heap_count.hpp"

#include <malloc.h>
#include <openssl/crypto.h>

#include <cstdlib>
#include <new>

namespace dtls::bench::heap {

namespace {

// Single-threaded benchmark: plain counters.
size_t g_cxx = 0;
size_t g_openssl = 0;

void* counted_new(size_t size) {
    void* p = std::malloc(size == 0 ? 1 : size);
    if (p == nullptr) throw std::bad_alloc();
    g_cxx += malloc_usable_size(p);
    return p;
}

void* counted_new_aligned(size_t size, std::align_val_t alignment) {
    const size_t a = static_cast<size_t>(alignment);
    void* p = std::aligned_alloc(a, (size + a - 1) / a * a);
    if (p == nullptr) throw std::bad_alloc();
    g_cxx += malloc_usable_size(p);
    return p;
}

void counted_delete(void* p) {
    if (p == nullptr) return;
    g_cxx -= malloc_usable_size(p);
    std::free(p);
}

void* openssl_malloc(size_t size, const char*, int) {
    void* p = std::malloc(size);
    if (p != nullptr) g_openssl += malloc_usable_size(p);
    return p;
}

void openssl_free(void* p, const char*, int);

void* openssl_realloc(void* old, size_t size, const char*, int) {
    if (size == 0) {
        openssl_free(old, nullptr, 0);
        return nullptr;
    }
    const size_t before = old ? malloc_usable_size(old) : 0;
    void* p = std::realloc(old, size);
    if (p == nullptr) return nullptr;  // `old` is untouched
    g_openssl += malloc_usable_size(p);
    g_openssl -= before;
    return p;
}

void openssl_free(void* p, const char*, int) {
    if (p == nullptr) return;
    g_openssl -= malloc_usable_size(p);
    std::free(p);
}

}  // namespace

bool count_openssl() { return CRYPTO_set_mem_functions(openssl_malloc, openssl_realloc, openssl_free) == 1; }
size_t cxx_bytes() { return g_cxx; }
size_t openssl_bytes() { return g_openssl; }

}  // namespace dtls::bench::heap

using dtls::bench::heap::counted_delete;
using dtls::bench::heap::counted_new;
using dtls::bench::heap::counted_new_aligned;

void* operator new(size_t size) { return counted_new(size); }
void* operator new[](size_t size) { return counted_new(size); }
void* operator new(size_t size, std::align_val_t a) { return counted_new_aligned(size, a); }
void* operator new[](size_t size, std::align_val_t a) { return counted_new_aligned(size, a); }
void* operator new(size_t size, const std::nothrow_t&) noexcept {
    try {
        return counted_new(size);
    } catch (...) {
        return nullptr;
    }
}
void* operator new[](size_t size, const std::nothrow_t&) noexcept {
    try {
        return counted_new(size);
    } catch (...) {
        return nullptr;
    }
}
void operator delete(void* p) noexcept { counted_delete(p); }
void operator delete[](void* p) noexcept { counted_delete(p); }
void operator delete(void* p, size_t) noexcept { counted_delete(p); }
void operator delete[](void* p, size_t) noexcept { counted_delete(p); }
void operator delete(void* p, std::align_val_t) noexcept { counted_delete(p); }
void operator delete[](void* p, std::align_val_t) noexcept { counted_delete(p); }
void operator delete(void* p, size_t, std::align_val_t) noexcept { counted_delete(p); }
void operator delete[](void* p, size_t, std::align_val_t) noexcept { counted_delete(p); }
