// The control for lower_includes_higher.cpp: compiled as part of the record
// layer, a header of the wire layer below is reachable.
#include "wire/reader.hpp"
