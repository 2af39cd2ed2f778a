#include "allocation_counter.hpp"

#include <openssl/crypto.h>

#include <atomic>
#include <cstdlib>
#include <new>

namespace dtls::crypto::testing {
namespace {

std::atomic<long> allocations{0};

void* counting_malloc(size_t n, const char*, int) {
    ++allocations;
    return std::malloc(n);
}
void* counting_realloc(void* p, size_t n, const char*, int) {
    ++allocations;
    return std::realloc(p, n);
}
void plain_free(void* p, const char*, int) { std::free(p); }

const bool openssl_counted = CRYPTO_set_mem_functions(counting_malloc, counting_realloc, plain_free) == 1;

}  // namespace

long heap_allocations() { return allocations.load(); }
bool counting_openssl_allocations() { return openssl_counted; }

}  // namespace dtls::crypto::testing

// Every allocation through operator new in this test binary is counted too.
void* operator new(size_t n) {
    ++dtls::crypto::testing::allocations;
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
