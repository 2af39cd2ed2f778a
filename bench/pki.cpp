#include "pki.hpp"

#include "support/certs.hpp"

namespace dtls::bench {

const Pki& pki() {
    static const Pki instance = [] {
        const test::TestCa ca = test::TestCa::create(test::KeyKind::ecdsa_p256, "dtls bench CA");
        test::IssueOptions names;
        names.dns_names = {kServerName};
        const test::Issued server = ca.issue(test::KeyKind::ecdsa_p256, kServerName, names);
        Pki p;
        p.ca_pem = ca.cert_pem();
        p.server_chain_pem = server.chain_pem;
        p.server_key_pem = server.key_pem;
        p.server_credential = std::make_shared<const Credential>(test::credential_of(server));
        return p;
    }();
    return instance;
}

}  // namespace dtls::bench
