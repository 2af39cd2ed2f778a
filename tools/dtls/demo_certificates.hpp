// The throwaway certificates `dtls demo` uses: a CA and a server certificate
// for "localhost" (and 127.0.0.1) issued by it, made in memory with fresh
// ECDSA P-256 keys each run and valid for one day.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dtls/errors.hpp"

namespace dtls_tool {

struct DemoCertificates {
    std::string ca_pem;           // the CA certificate the client trusts
    std::string server_cert_pem;  // the server's certificate, issued by the CA
    std::string server_key_pem;   // its private key (PKCS#8)
};

dtls::Result<DemoCertificates> make_demo_certificates();

// The subject of a DER certificate in RFC 2253 form, e.g. "CN=localhost".
std::string certificate_subject(const std::vector<uint8_t>& der);

}  // namespace dtls_tool
