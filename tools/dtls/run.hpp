// The commands. Each returns the process exit status and has printed any
// failure as one line (failure.hpp).
#pragma once

#include "options.hpp"

namespace dtls_tool {

int run_demo(const DemoOptions& options);
int run_client(const ClientOptions& options);
int run_server(const ServerOptions& options);

}  // namespace dtls_tool
