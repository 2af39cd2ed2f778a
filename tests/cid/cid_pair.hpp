// Our DTLS 1.2 client and server with connection IDs configured, back to
// back (tests/tls12/pair.hpp), and helpers to look at their records.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include "record/datagram_reader.hpp"
#include "support/certs.hpp"
#include "tls12/pair.hpp"

namespace dtls::test {

inline const TestCa& cid_ca() {
    static TestCa c = TestCa::create(KeyKind::ecdsa_p256);
    return c;
}

// A DTLS 1.2 pair; each side issues a CID of the given length (empty: no
// connection_id extension).
inline Pair cid_pair(std::optional<size_t> client_cid, std::optional<size_t> server_cid) {
    Pair p;
    IssueOptions names;
    names.dns_names = {"server.test"};
    p.server_config.credential =
        std::make_shared<Credential>(credential_of(cid_ca().issue(KeyKind::ecdsa_p256, "server.test", names)));
    p.client_config.ca_pem = cid_ca().cert_pem();
    p.client_config.server_name = "server.test";
    p.client_config.connection_id_length = client_cid;
    p.server_config.connection_id_length = server_cid;
    return p;
}

// The records of a datagram as a receiver issuing `cid_length`-byte CIDs
// frames them.
inline std::vector<record::FramedRecord> records_of(Bytes& datagram, size_t cid_length) {
    std::vector<record::FramedRecord> out;
    record::DatagramReader reader(datagram, cid_length);
    record::FramedRecord framed;
    for (;;) {
        const auto next = reader.next(framed);
        if (next == record::DatagramReader::Next::end) break;
        if (next == record::DatagramReader::Next::record) out.push_back(framed);
    }
    return out;
}

}  // namespace dtls::test
