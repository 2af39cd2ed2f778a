// Errors are values: every failure carries what went wrong, the alert that
// was sent or received (if any) and a sentence a person can read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace dtls {

// TLS alert descriptions (RFC 5246 7.2, RFC 7301, RFC 8446 6).
enum class Alert : uint8_t {
    close_notify = 0,
    unexpected_message = 10,
    bad_record_mac = 20,
    record_overflow = 22,
    handshake_failure = 40,
    bad_certificate = 42,
    unsupported_certificate = 43,
    certificate_revoked = 44,
    certificate_expired = 45,
    certificate_unknown = 46,
    illegal_parameter = 47,
    unknown_ca = 48,
    access_denied = 49,
    decode_error = 50,
    decrypt_error = 51,
    protocol_version = 70,
    insufficient_security = 71,
    internal_error = 80,
    inappropriate_fallback = 86,
    user_canceled = 90,
    no_renegotiation = 100,
    missing_extension = 109,
    unsupported_extension = 110,
    unrecognized_name = 112,
    no_application_protocol = 120,
};

const char* to_string(Alert alert);

enum class ErrorCode {
    invalid_argument,     // the caller asked for something impossible
    invalid_state,        // the call does not fit the connection's state
    message_too_large,    // payload does not fit one datagram at the MTU
    credential,           // certificate or key could not be loaded
    alert_sent,           // we detected a fault and sent a fatal alert
    alert_received,       // the peer sent a fatal alert
    timeout,              // retransmissions exhausted
    closed,               // connection already closed
    internal,             // a crypto library failure we cannot explain
};

struct Error {
    ErrorCode code = ErrorCode::internal;
    std::optional<Alert> alert;  // the alert sent or received, if any
    std::string reason;

    std::string to_string() const;
};

// A value or an Error. Kept deliberately small: C++20 has no std::expected.
template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::move(value)) {}
    Result(Error error) : v_(std::move(error)) {}

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() { return std::get<0>(v_); }
    const T& value() const { return std::get<0>(v_); }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    const Error& error() const { return std::get<1>(v_); }

private:
    std::variant<T, Error> v_;
};

struct Ok {};
using Status = Result<Ok>;

}  // namespace dtls
