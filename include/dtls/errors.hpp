/// @file
/// Errors are values: every failure carries what went wrong, the alert that
/// was sent or received (if any) and a sentence a person can read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace dtls {

/// TLS alert descriptions (RFC 5246 7.2, RFC 7301, RFC 8446 6).
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
    certificate_required = 116,  ///< DTLS 1.3 only (RFC 8446 6.2)
    no_application_protocol = 120,
};

/// The alert's name as the RFCs spell it ("handshake_failure"), or
/// "unknown_alert" for a value not listed.
const char* to_string(Alert alert);

/// What kind of failure an Error is.
enum class ErrorCode {
    invalid_argument,     ///< the caller asked for something impossible
    invalid_state,        ///< the call does not fit the connection's state
    message_too_large,    ///< payload does not fit one datagram at the MTU
    credential,           ///< certificate or key could not be loaded
    alert_sent,           ///< we detected a fault and sent a fatal alert
    alert_received,       ///< the peer sent a fatal alert
    timeout,              ///< retransmissions exhausted, or Config::handshake_timeout passed
    closed,               ///< connection already closed
    internal,             ///< a crypto library failure we cannot explain
};

/// Every fault the engine detects, by what went wrong. Each has exactly one
/// alert, given by alert_for() below: that table is the only place where a
/// fault is turned into an alert. Tests and applications can match the fault
/// rather than the wording of the reason.
enum class Fault : uint8_t {
    // The peer's bytes or messages.
    malformed_message,            ///< does not parse
    forbidden_value,              ///< parses, but a field holds a value the protocol forbids
    unexpected_message,           ///< not allowed in the current state
    too_many_hello_verify_requests,
    // Negotiation.
    unsupported_version,
    no_common_cipher_suite,
    no_common_group,
    no_common_signature_scheme,
    no_common_application_protocol,
    no_null_compression,
    extended_master_secret_missing,
    renegotiation_info_not_empty,  ///< renegotiation is never done
    unsolicited_extension,         ///< the server answered an extension we did not send
    not_offered,                   ///< the server chose something we did not offer
    missing_extension,             ///< a DTLS 1.3 hello lacks an extension it must carry
    // The peer's identity.
    certificate_required,          ///< a required client certificate is missing
    certificate_invalid,           ///< empty, unparsable, wrong name, broken signature
    certificate_unsupported,       ///< its key cannot be used here, or it is not for this purpose
    certificate_unknown_issuer,    ///< no path to a trusted root (or no roots configured)
    certificate_expired,           ///< or not yet valid
    certificate_revoked,
    certificate_unknown,           ///< rejected by the store for another reason
    certificate_rejected,          ///< rejected by the application's CertificateVerifier
    signature_invalid,             ///< a handshake signature does not verify
    finished_invalid,              ///< the Finished verify_data does not match
    key_share_invalid,             ///< the peer's public key share is not a valid point
    // Ours.
    internal_failure,              ///< a crypto library failure, or a message too large to encode
    // Timers: no alert is sent.
    retransmissions_exhausted,
    handshake_deadline,
    // Limits (added last to keep the values above).
    forgery_limit,  ///< DTLS 1.3: as many records failed to authenticate with our read key as its limit allows
    fingerprint_mismatch,  ///< the peer's certificate matches none of Config::peer_fingerprints
    record_too_large,      ///< a protected record's plaintext exceeds the limit we announced (RFC 8449, RFC 6066)
    /// Server: the client's PSK identity is unknown. Its alert is the one a
    /// wrong key gets, so the client cannot tell the two apart (RFC 4279 2).
    psk_identity_unknown,
    /// The peer's raw public key (RFC 7250) is none of Config::trusted_raw_public_keys.
    raw_public_key_untrusted,
    /// No certificate type (X.509, raw public key) both sides accept (RFC 7250 4.2).
    no_common_certificate_type,
};

/// The fault's name as the enumerator spells it ("certificate_expired"), or
/// "unknown fault" for a value not listed.
const char* to_string(Fault fault);

/// The alert a fault sends (none for the timer faults).
constexpr std::optional<Alert> alert_for(Fault fault) {
    switch (fault) {
        case Fault::malformed_message: return Alert::decode_error;
        case Fault::forbidden_value: return Alert::illegal_parameter;
        case Fault::unexpected_message: return Alert::unexpected_message;
        case Fault::too_many_hello_verify_requests: return Alert::unexpected_message;
        case Fault::unsupported_version: return Alert::protocol_version;
        case Fault::no_common_cipher_suite: return Alert::handshake_failure;
        case Fault::no_common_group: return Alert::handshake_failure;
        case Fault::no_common_signature_scheme: return Alert::handshake_failure;
        case Fault::no_common_application_protocol: return Alert::no_application_protocol;
        case Fault::no_null_compression: return Alert::illegal_parameter;
        case Fault::extended_master_secret_missing: return Alert::handshake_failure;
        case Fault::renegotiation_info_not_empty: return Alert::handshake_failure;
        case Fault::unsolicited_extension: return Alert::unsupported_extension;
        case Fault::not_offered: return Alert::illegal_parameter;
        case Fault::missing_extension: return Alert::missing_extension;
        case Fault::certificate_required: return Alert::handshake_failure;
        case Fault::certificate_invalid: return Alert::bad_certificate;
        case Fault::certificate_unsupported: return Alert::unsupported_certificate;
        case Fault::certificate_unknown_issuer: return Alert::unknown_ca;
        case Fault::certificate_expired: return Alert::certificate_expired;
        case Fault::certificate_revoked: return Alert::certificate_revoked;
        case Fault::certificate_unknown: return Alert::certificate_unknown;
        case Fault::certificate_rejected: return Alert::bad_certificate;
        case Fault::signature_invalid: return Alert::decrypt_error;
        case Fault::finished_invalid: return Alert::decrypt_error;
        case Fault::key_share_invalid: return Alert::illegal_parameter;
        case Fault::internal_failure: return Alert::internal_error;
        case Fault::retransmissions_exhausted: return std::nullopt;
        case Fault::handshake_deadline: return std::nullopt;
        case Fault::forgery_limit: return Alert::bad_record_mac;
        case Fault::fingerprint_mismatch: return Alert::bad_certificate;
        case Fault::record_too_large: return Alert::record_overflow;
        case Fault::psk_identity_unknown: return Alert::decrypt_error;
        case Fault::raw_public_key_untrusted: return Alert::bad_certificate;
        case Fault::no_common_certificate_type: return Alert::unsupported_certificate;
    }
    return Alert::internal_error;
}

/// A failure, as a value.
struct Error {
    ErrorCode code = ErrorCode::internal;  ///< what kind of failure
    std::optional<Alert> alert;            ///< the alert sent or received, if any
    std::string reason;                    ///< a sentence a person can read: what went wrong
    std::optional<Fault> fault;            ///< what we detected, when the error is a fault of ours to report

    Error() = default;
    /// An error with each field given.
    Error(ErrorCode code, std::optional<Alert> alert, std::string reason, std::optional<Fault> fault = std::nullopt)
        : code(code), alert(alert), reason(std::move(reason)), fault(fault) {}

    /// The error a fault makes: its alert from alert_for(), and the code
    /// alert_sent (timeout for the timer faults). The alert is sent when the
    /// error ends a connection.
    static Error from(Fault fault, std::string reason) {
        const std::optional<Alert> alert = alert_for(fault);
        return Error{alert ? ErrorCode::alert_sent : ErrorCode::timeout, alert, std::move(reason), fault};
    }

    /// The reason, followed by " (alert sent: NAME)" or " (alert received:
    /// NAME)" when there is an alert.
    std::string to_string() const;
};

/// A value or an Error. Kept deliberately small: C++20 has no std::expected.
template <class T>
class [[nodiscard]] Result {
public:
    /// A result holding a value.
    Result(T value) : v_(std::move(value)) {}
    /// A result holding an Error.
    Result(Error error) : v_(std::move(error)) {}

    /// Whether it holds a value rather than an Error.
    bool ok() const { return v_.index() == 0; }
    /// Same as ok().
    explicit operator bool() const { return ok(); }
    /// The value (operator->: a pointer to it). Only when ok(): otherwise
    /// std::bad_variant_access is thrown.
    ///@{
    T& value() { return std::get<0>(v_); }
    const T& value() const { return std::get<0>(v_); }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    ///@}
    /// The error. Only when not ok(): otherwise std::bad_variant_access is thrown.
    const Error& error() const { return std::get<1>(v_); }

private:
    std::variant<T, Error> v_;
};

/// What a Status holds when the call succeeded: nothing.
struct Ok {};
/// The result of a call that returns nothing but may fail.
using Status = Result<Ok>;

}  // namespace dtls
