// An established client/server pair that shares nothing with the attacked
// one but the process. It sends records both ways before and after each
// attack, and at the end checks that every one arrived exactly once and in
// order, and that it dropped nothing: an attack on one association must not
// reach another through shared state (cookie secrets, crypto contexts,
// static buffers).
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tls12/mitm.hpp"
#include "tls12/pair.hpp"

namespace dtls::test {

class Bystander {
public:
    // `version`: the version both sides speak (the DTLS 1.3 tables attack a
    // DTLS 1.3 pair, so their bystander speaks DTLS 1.3 too).
    explicit Bystander(ProtocolVersion version = ProtocolVersion::dtls1_2) {
        pair_.client_config.min_version = pair_.server_config.min_version = version;
        pair_.client_config.max_version = pair_.server_config.max_version = version;
        pair_.client_config.ca_pem = test_ca().cert_pem();
        pair_.client_config.server_name = "server.test";
        pair_.server_config.credential = server_credential();
        pair_.client_address = {10, 0, 0, 2, 0x12, 0x34};
        established_ = pair_.handshake();
        EXPECT_TRUE(established_) << "bystander: " << pair_.describe();
        if (established_) {
            EXPECT_EQ(pair_.client->negotiated().version, version);
        }
    }

    // One record each way.
    void talk(const std::string& tag) {
        if (!established_) return;
        const std::string up = "bystander up " + tag, down = "bystander down " + tag;
        EXPECT_TRUE(pair_.client->send(bytes_of(up), pair_.now));
        EXPECT_TRUE(pair_.server_conn->send(bytes_of(down), pair_.now));
        pair_.pump();
        sent_up_.push_back(up);
        sent_down_.push_back(down);
    }

    // Everything sent arrived once, in order, and nothing else happened.
    void expect_unharmed() {
        ASSERT_TRUE(established_);
        talk("last");
        EXPECT_EQ(pair_.client->state(), State::established);
        EXPECT_EQ(pair_.server_conn->state(), State::established);
        EXPECT_EQ(Pair::data_of(pair_.server_events), sent_up_);
        EXPECT_EQ(Pair::data_of(pair_.client_events), sent_down_);
        EXPECT_EQ(pair_.client->stats().records_dropped, 0u);
        EXPECT_EQ(pair_.server_conn->stats().records_dropped, 0u);
    }

private:
    Pair pair_;
    bool established_ = false;
    std::vector<std::string> sent_up_, sent_down_;
};

}  // namespace dtls::test
