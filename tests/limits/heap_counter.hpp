// Counts the bytes the test binary holds on the C++ heap, through a
// replacement of the global operator new and delete (heap_counter.cpp). The
// engine keeps every buffer in C++ containers, so this sees what a flood
// makes a connection keep; OpenSSL's own mallocs are not counted (they do
// not depend on peer input).
#pragma once

#include <cstddef>

namespace dtls::test::heap {

size_t live_bytes();
// The highest live_bytes() since the last reset_peak().
size_t peak_bytes();
void reset_peak();

}  // namespace dtls::test::heap
