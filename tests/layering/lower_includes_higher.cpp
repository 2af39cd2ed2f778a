// Compiled as part of the record layer, this must fail: the engine is above
// the record layer, so its headers are not reachable from here.
#include "engine/connection.hpp"
