/// @file
/// The whole public C++ API.
#pragma once

#include "dtls/client.hpp"
#include "dtls/config.hpp"
#include "dtls/connection.hpp"
#include "dtls/endpoint.hpp"
#include "dtls/errors.hpp"
#include "dtls/server.hpp"
#include "dtls/session.hpp"
#include "dtls/version.hpp"

/// @namespace dtls
/// The C++ API: every public name of the library is in this namespace.
