// The whole public C++ API.
#pragma once

#include "dtls/client.hpp"
#include "dtls/config.hpp"
#include "dtls/connection.hpp"
#include "dtls/endpoint.hpp"
#include "dtls/errors.hpp"
#include "dtls/server.hpp"
