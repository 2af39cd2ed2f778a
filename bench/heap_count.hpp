// Counts the heap bytes this process holds, split by who asked: C++
// operator new (our engine, the standard library) and libcrypto/libssl's
// OPENSSL_malloc. Linked only into dtls_bench_memory: the replaced
// allocators cost a little on every allocation.
#pragma once

#include <cstddef>

namespace dtls::bench::heap {

// Must run before libcrypto allocates anything (first thing in main):
// afterwards OpenSSL refuses to change its allocator. False if refused.
bool count_openssl();

size_t cxx_bytes();      // live bytes from operator new, as malloc_usable_size counts them
size_t openssl_bytes();  // live bytes from OPENSSL_malloc and friends

}  // namespace dtls::bench::heap
