#include "pki.hpp"

#include "support/certs.hpp"

namespace dtls::bench {

const Pki& pki() {
    static const Pki instance = [] {
        const test::TestCa ca = test::TestCa::create(test::KeyKind::ecdsa_p256, "dtls bench CA");
        test::IssueOptions names;
        names.dns_names = {kServerName};
        Pki p;
        p.ca_pem = ca.cert_pem();
        for (size_t i = 0; i < kRotatingServers; ++i) {
            const test::Issued server = ca.issue(test::KeyKind::ecdsa_p256, kServerName, names);
            p.servers.push_back({server.chain_pem, server.key_pem,
                                 std::make_shared<const Credential>(test::credential_of(server))});
        }
        return p;
    }();
    return instance;
}

}  // namespace dtls::bench
