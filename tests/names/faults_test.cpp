// The fault table: every fault has a readable name of its own, the faults a
// peer causes each send one fatal alert, the timer faults send none, and an
// Error made from a fault carries the fault, its alert and the right code.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "dtls/errors.hpp"

namespace dtls {
namespace {

constexpr Fault kLastFault = Fault::no_common_certificate_type;

TEST(Faults, EachHasItsOwnName) {
    std::set<std::string> names;
    for (int f = 0; f <= static_cast<int>(kLastFault); ++f) {
        const std::string name = to_string(static_cast<Fault>(f));
        EXPECT_NE(name, "unknown fault") << f;
        EXPECT_TRUE(names.insert(name).second) << "two faults named " << name;
    }
}

TEST(Faults, OnlyTheTimerFaultsSendNoAlert) {
    for (int f = 0; f <= static_cast<int>(kLastFault); ++f) {
        const auto fault = static_cast<Fault>(f);
        const bool timer = fault == Fault::retransmissions_exhausted || fault == Fault::handshake_deadline;
        EXPECT_EQ(alert_for(fault).has_value(), !timer) << to_string(fault);
        if (alert_for(fault)) {
            EXPECT_NE(*alert_for(fault), Alert::close_notify) << to_string(fault);
        }
    }
}

TEST(Faults, TheAlertsTheRfcsPrescribe) {
    // RFC 5246 7.2.2 and RFC 8446 6.2 for the faults whose alert is named there.
    EXPECT_EQ(alert_for(Fault::malformed_message), Alert::decode_error);
    EXPECT_EQ(alert_for(Fault::forbidden_value), Alert::illegal_parameter);
    EXPECT_EQ(alert_for(Fault::unexpected_message), Alert::unexpected_message);
    EXPECT_EQ(alert_for(Fault::unsupported_version), Alert::protocol_version);
    EXPECT_EQ(alert_for(Fault::finished_invalid), Alert::decrypt_error);
    EXPECT_EQ(alert_for(Fault::signature_invalid), Alert::decrypt_error);
    EXPECT_EQ(alert_for(Fault::certificate_unknown_issuer), Alert::unknown_ca);
    EXPECT_EQ(alert_for(Fault::certificate_expired), Alert::certificate_expired);
    EXPECT_EQ(alert_for(Fault::no_common_application_protocol), Alert::no_application_protocol);  // RFC 7301 3.2
    EXPECT_EQ(alert_for(Fault::unsolicited_extension), Alert::unsupported_extension);
    EXPECT_EQ(alert_for(Fault::internal_failure), Alert::internal_error);
    EXPECT_EQ(alert_for(Fault::forgery_limit), Alert::bad_record_mac);  // RFC 8446 6.2: a record that cannot be deprotected
    EXPECT_EQ(alert_for(Fault::record_too_large), Alert::record_overflow);  // RFC 8449 4, RFC 8446 5.4
    EXPECT_EQ(alert_for(Fault::no_common_certificate_type), Alert::unsupported_certificate);  // RFC 7250 4.2
}

TEST(Faults, AnErrorFromAFaultCarriesItsAlertAndCode) {
    const Error sent = Error::from(Fault::finished_invalid, "server Finished does not verify");
    EXPECT_EQ(sent.code, ErrorCode::alert_sent);
    EXPECT_EQ(sent.alert, Alert::decrypt_error);
    EXPECT_EQ(sent.fault, Fault::finished_invalid);
    EXPECT_EQ(sent.to_string(), "server Finished does not verify (alert sent: decrypt_error)");

    const Error timeout = Error::from(Fault::retransmissions_exhausted, "no answer");
    EXPECT_EQ(timeout.code, ErrorCode::timeout);
    EXPECT_FALSE(timeout.alert.has_value());

    const Error plain{ErrorCode::invalid_argument, std::nullopt, "bad MTU"};
    EXPECT_FALSE(plain.fault.has_value()) << "errors that are not faults carry none";
}

}  // namespace
}  // namespace dtls
