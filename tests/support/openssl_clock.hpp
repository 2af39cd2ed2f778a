// Virtual time for libssl's DTLS retransmission timer.
//
// OpenSSL 3.0 times DTLS retransmissions against gettimeofday() (d1_lib.c),
// and it also checks that timer at the start of every record read, where an
// expired timer makes it retransmit and read again in a loop. A tiny timer
// plus DTLSv1_handle_timeout therefore does not give a virtual clock: every
// read would retransmit until the alert budget runs out. Instead this file
// defines gettimeofday() for the test executable (libssl imports it, so the
// executable's definition wins). While a VirtualClockScope is alive on a
// thread, gettimeofday() on that thread answers the scope's virtual Instant;
// otherwise it answers the real wall clock as before, so nothing else changes.
#pragma once

#include <sys/time.h>

#include "dtls/config.hpp"

namespace dtls::test {

// Lets libssl see `now` as the time of day for the lifetime of the scope.
// Scopes nest; the innermost wins.
class VirtualClockScope {
public:
    explicit VirtualClockScope(Instant now);
    ~VirtualClockScope();
    VirtualClockScope(const VirtualClockScope&) = delete;
    VirtualClockScope& operator=(const VirtualClockScope&) = delete;

private:
    const Instant* previous_;
    Instant now_;
};

// The time of day libssl sees at virtual `now`, and back. The mapping adds a
// fixed offset so that Instant{} is not the zero timeval libssl reads as
// "no timer". Microsecond precision, as libssl keeps it.
timeval to_timeval(Instant now);
Instant from_timeval(const timeval& time);

}  // namespace dtls::test
