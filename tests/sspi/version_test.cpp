// The version a program can ask for at run time, through both faces, is the
// one the build sets in project() (DTLS_PROJECT_VERSION comes from CMake).
#include <gtest/gtest.h>

#include <string>

#include "dtls/dtls.hpp"
#include "dtls/sspi.h"

TEST(Version, BothFacesReportTheProjectVersion) {
    EXPECT_EQ(dtls::version(), DTLS_PROJECT_VERSION);
    EXPECT_STREQ(DtlsSspiVersion(), DTLS_PROJECT_VERSION);
}

TEST(Version, OpenSslVersionIsTheLoadedLibcrypto) {
    const std::string text(dtls::openssl_version());
    EXPECT_EQ(text.rfind("OpenSSL 3.", 0), 0u) << text;
}
