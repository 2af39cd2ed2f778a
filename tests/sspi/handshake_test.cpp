// The SSPI loop between two SSPI peers over the simulated link: handshake,
// fragments, timeouts in both "no input" forms, attributes, messages,
// shutdown, and the refusals Schannel code must see.
#include <gtest/gtest.h>

#include <cstring>

#include "sspi/sspi_peer.hpp"

namespace dtls::test {
namespace {

const Instant kStart = Instant{} + std::chrono::hours(1);

class SspiLoopback : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_EQ(server_credential(leaf, server_cred), SEC_E_OK) << DtlsSspiLastError();
        ASSERT_EQ(client_credential(ca.cert_pem(), client_cred), SEC_E_OK) << DtlsSspiLastError();
    }

    VirtualClock clock;
    TestCa ca = TestCa::create();
    Issued leaf = ca.issue(KeyKind::ecdsa_p256, "localhost");
    SspiCredential server_cred, client_cred;
};

TEST_F(SspiLoopback, HandshakeMessagesAndAttributes) {
    SspiPeerOptions client_options;
    client_options.alpn = {"coap", "h2"};
    SspiPeerOptions server_options;
    server_options.alpn = {"coap"};
    SspiPeer server(Role::server, server_cred.get(), server_options, kStart);
    SspiPeer client(Role::client, client_cred.get(), client_options, kStart);
    // Request keying material before the handshake completes, as Schannel wants.
    char label[] = "EXTRACTOR-dtls_srtp";
    SecPkgContext_KeyingMaterialInfo info{static_cast<WORD>(std::strlen(label)), label, 0, nullptr, 60};
    ASSERT_EQ(SetContextAttributesA(client.context(), SECPKG_ATTR_KEYING_MATERIAL_INFO, &info, sizeof info), SEC_E_OK);

    Link link(client, server, {}, kStart);
    ASSERT_TRUE(link.run_until_done());
    ASSERT_TRUE(client.established()) << std::hex << client.final_status().value_or(0);
    ASSERT_TRUE(server.established()) << std::hex << server.final_status().value_or(0);
    // The first server answer is the stateless HelloVerifyRequest.
    EXPECT_EQ(server.step_statuses().front(), SEC_I_CONTINUE_NEEDED);
    ASSERT_EQ(SetContextAttributesA(server.context(), SECPKG_ATTR_KEYING_MATERIAL_INFO, &info, sizeof info), SEC_E_OK);

    ULONG mtu = 0;
    ASSERT_EQ(QueryContextAttributesA(client.context(), SECPKG_ATTR_DTLS_MTU, &mtu), SEC_E_OK);
    EXPECT_EQ(mtu, 1096u);  // Schannel's default
    EXPECT_LE(client.largest_datagram(), 1096u);
    EXPECT_LE(server.largest_datagram(), 1096u);

    SecPkgContext_DatagramSizes sizes{};
    ASSERT_EQ(QueryContextAttributesA(client.context(), SECPKG_ATTR_DATAGRAM_SIZES, &sizes), SEC_E_OK);
    EXPECT_EQ(sizes.cbHeader + sizes.cbTrailer + sizes.cbMaximumMessage, 1096u);

    SecPkgContext_ConnectionInfo connection{};
    ASSERT_EQ(QueryContextAttributesA(client.context(), SECPKG_ATTR_CONNECTION_INFO, &connection), SEC_E_OK);
    EXPECT_EQ(connection.dwProtocol, static_cast<DWORD>(SP_PROT_DTLS1_2_CLIENT));
    EXPECT_EQ(connection.aiCipher, static_cast<ALG_ID>(CALG_AES_128));
    EXPECT_EQ(connection.aiExch, static_cast<ALG_ID>(CALG_ECDH_EPHEM));

    SecPkgContext_CipherInfo cipher{};
    ASSERT_EQ(QueryContextAttributesW(server.context(), SECPKG_ATTR_CIPHER_INFO, &cipher), SEC_E_OK);
    EXPECT_EQ(cipher.dwCipherSuite, 0xC02Bu);
    EXPECT_EQ(std::wstring(cipher.szCipherSuite), L"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");

    SecPkgContext_ApplicationProtocol alpn{};
    ASSERT_EQ(QueryContextAttributesA(client.context(), SECPKG_ATTR_APPLICATION_PROTOCOL, &alpn), SEC_E_OK);
    EXPECT_EQ(alpn.ProtoNegoStatus, SecApplicationProtocolNegotiationStatus_Success);
    EXPECT_EQ(std::string(reinterpret_cast<char*>(alpn.ProtocolId), alpn.ProtocolIdSize), "coap");

    PCCERT_CONTEXT remote = nullptr;
    ASSERT_EQ(QueryContextAttributesA(client.context(), SECPKG_ATTR_REMOTE_CERT_CONTEXT, &remote), SEC_E_OK);
    ASSERT_NE(remote, nullptr);
    EXPECT_EQ(std::vector<uint8_t>(remote->pbCertEncoded, remote->pbCertEncoded + remote->cbCertEncoded),
              leaf.cert_der);
    EXPECT_TRUE(CertFreeCertificateContext(remote));

    SecPkgContext_KeyingMaterial client_keys{}, server_keys{};
    ASSERT_EQ(QueryContextAttributesA(client.context(), SECPKG_ATTR_KEYING_MATERIAL, &client_keys), SEC_E_OK);
    ASSERT_EQ(QueryContextAttributesA(server.context(), SECPKG_ATTR_KEYING_MATERIAL, &server_keys), SEC_E_OK);
    ASSERT_EQ(client_keys.cbKeyingMaterial, 60u);
    EXPECT_EQ(std::memcmp(client_keys.pbKeyingMaterial, server_keys.pbKeyingMaterial, 60), 0);
    FreeContextBuffer(client_keys.pbKeyingMaterial);
    FreeContextBuffer(server_keys.pbKeyingMaterial);

    ASSERT_EQ(client.send("ping"), SEC_E_OK);
    ASSERT_TRUE(link.run_until([&] { return !server.received().empty(); }));
    EXPECT_EQ(server.received(), std::vector<std::string>{"ping"});
    ASSERT_EQ(server.send("pong"), SEC_E_OK);
    ASSERT_TRUE(link.run_until([&] { return !client.received().empty(); }));
    EXPECT_EQ(client.received(), std::vector<std::string>{"pong"});
}

// At a small MTU each flight takes several calls: SEC_I_MESSAGE_FRAGMENT
// for all but the last datagram, and no datagram exceeds the MTU.
TEST_F(SspiLoopback, FlightsComeOneDatagramPerCall) {
    SspiPeerOptions options;
    options.mtu = 256;
    SspiPeer server(Role::server, server_cred.get(), options, kStart);
    SspiPeer client(Role::client, client_cred.get(), options, kStart);
    Link link(client, server, {}, kStart);
    ASSERT_TRUE(link.run_until_done());
    ASSERT_TRUE(client.established() && server.established());
    EXPECT_LE(client.largest_datagram(), 256u);
    EXPECT_LE(server.largest_datagram(), 256u);
    const auto& s = server.step_statuses();
    EXPECT_GT(std::count(s.begin(), s.end(), SEC_I_MESSAGE_FRAGMENT), 2);
    EXPECT_EQ(s.back(), SEC_E_OK);
}

// A lost flight is resent when the application calls again without input,
// in both forms Windows code uses: pInput = NULL and a zero-length token.
TEST_F(SspiLoopback, TimeoutsRetransmitInBothNoInputForms) {
    for (bool zero_length : {false, true}) {
        uint64_t timeouts = 0;
        for (uint64_t seed = 1; seed <= 4; ++seed) {
            SspiPeerOptions options;
            options.zero_length_token = zero_length;
            SspiPeer server(Role::server, server_cred.get(), options, kStart);
            SspiPeer client(Role::client, client_cred.get(), options, kStart);
            LinkOptions lossy;
            lossy.loss_a_to_b = 0.4;
            lossy.loss_b_to_a = 0.4;
            lossy.seed = seed;
            Link link(client, server, lossy, kStart);
            ASSERT_TRUE(link.run_until_done()) << zero_length << " seed " << seed;
            EXPECT_TRUE(client.established() && server.established())
                << zero_length << " seed " << seed << std::hex << " client " << client.final_status().value_or(1)
                << " server " << server.final_status().value_or(1) << std::dec << " timeouts "
                << link.stats().timeouts << " dropped " << link.stats().a_to_b.dropped << "/"
                << link.stats().b_to_a.dropped;
            timeouts += link.stats().timeouts;
        }
        EXPECT_GT(timeouts, 0u) << zero_length;
    }
}

TEST_F(SspiLoopback, ShutdownGivesACloseNotifyToken) {
    SspiPeer server(Role::server, server_cred.get(), {}, kStart);
    SspiPeer client(Role::client, client_cred.get(), {}, kStart);
    Link link(client, server, {}, kStart);
    ASSERT_TRUE(link.run_until_done());
    DWORD type = SCHANNEL_SHUTDOWN;
    SecBuffer token{sizeof type, SECBUFFER_TOKEN, &type};
    SecBufferDesc desc{SECBUFFER_VERSION, 1, &token};
    ASSERT_EQ(ApplyControlToken(client.context(), &desc), SEC_E_OK);
    ASSERT_EQ(client.step({}), SEC_E_OK);  // hands out close_notify
    std::vector<uint8_t> close_notify;
    ASSERT_TRUE(client.poll_datagram(close_notify));
    EXPECT_EQ(close_notify[0], 21);  // an alert record
    server.receive(close_notify, kStart);
    ASSERT_FALSE(server.decrypt_statuses().empty());
    EXPECT_EQ(server.decrypt_statuses().back(), SEC_I_CONTEXT_EXPIRED);
    EXPECT_EQ(client.send("late"), SEC_E_CONTEXT_EXPIRED);
}

// A replayed and a forged record are discarded with SEC_E_OUT_OF_SEQUENCE
// and the context keeps working.
TEST_F(SspiLoopback, ReplayedAndForgedRecordsLeaveTheContextUsable) {
    SspiPeer server(Role::server, server_cred.get(), {}, kStart);
    SspiPeer client(Role::client, client_cred.get(), {}, kStart);
    Link link(client, server, {}, kStart);
    ASSERT_TRUE(link.run_until_done());
    ASSERT_EQ(client.send("once"), SEC_E_OK);
    std::vector<uint8_t> record;
    ASSERT_TRUE(client.poll_datagram(record));
    server.receive(record, kStart);
    server.receive(record, kStart);  // replayed
    std::vector<uint8_t> forged = record;
    forged[forged.size() - 1] ^= 1;
    forged[10] ^= 0x40;  // a fresh sequence number, so only the tag fails
    server.receive(forged, kStart);
    ASSERT_EQ(client.send("twice"), SEC_E_OK);
    ASSERT_TRUE(client.poll_datagram(record));
    server.receive(record, kStart);
    EXPECT_EQ(server.decrypt_statuses(),
              (std::vector<SECURITY_STATUS>{SEC_E_OK, SEC_E_OUT_OF_SEQUENCE, SEC_E_OUT_OF_SEQUENCE, SEC_E_OK}));
    EXPECT_EQ(server.received(), (std::vector<std::string>{"once", "twice"}));
}

TEST_F(SspiLoopback, ServerWithoutTheClientAddressIsRefused) {
    SspiPeer client(Role::client, client_cred.get(), {}, kStart);
    std::vector<uint8_t> hello;
    ASSERT_TRUE(client.poll_datagram(hello));
    SecBuffer in[2] = {{static_cast<ULONG>(hello.size()), SECBUFFER_TOKEN, hello.data()}, {0, SECBUFFER_EMPTY, nullptr}};
    SecBufferDesc in_desc{SECBUFFER_VERSION, 2, in};
    SecBuffer out{0, SECBUFFER_TOKEN, nullptr};
    SecBufferDesc out_desc{SECBUFFER_VERSION, 1, &out};
    CtxtHandle context;
    SecInvalidateHandle(&context);
    ULONG attributes = 0;
    EXPECT_EQ(AcceptSecurityContext(server_cred.get(), nullptr, &in_desc, ASC_REQ_DATAGRAM | ASC_REQ_ALLOCATE_MEMORY,
                                    SECURITY_NATIVE_DREP, &context, &out_desc, &attributes, nullptr),
              SEC_E_INVALID_PARAMETER);
    EXPECT_NE(std::string(DtlsSspiLastError()).find("SECBUFFER_EXTRA"), std::string::npos);
    EXPECT_FALSE(SecIsValidHandle(&context));
}

// Before the cookie comes back the server context holds only the address:
// the first answer is a HelloVerifyRequest no larger than the ClientHello.
TEST_F(SspiLoopback, FirstAnswerIsAStatelessHelloVerifyRequest) {
    SspiPeer client(Role::client, client_cred.get(), {}, kStart);
    SspiPeer server(Role::server, server_cred.get(), {}, kStart);
    std::vector<uint8_t> hello, reply;
    ASSERT_TRUE(client.poll_datagram(hello));
    EXPECT_EQ(server.step(hello), SEC_I_CONTINUE_NEEDED);
    ASSERT_TRUE(server.poll_datagram(reply));
    EXPECT_EQ(reply[13], 3);  // hello_verify_request
    EXPECT_LE(reply.size(), hello.size());
    ULONG mtu = 0;
    EXPECT_EQ(QueryContextAttributesA(server.context(), SECPKG_ATTR_DTLS_MTU, &mtu), SEC_E_OK);
    SecPkgContext_StreamSizes sizes;
    EXPECT_EQ(QueryContextAttributesA(server.context(), SECPKG_ATTR_STREAM_SIZES, &sizes), SEC_E_INVALID_HANDLE);
}

TEST_F(SspiLoopback, ClientHelloThatCannotFitGivesCannotPack) {
    SspiPeerOptions options;
    options.mtu = 200;
    options.alpn = {std::string(100, 'a'), std::string(100, 'b')};
    SspiPeer client(Role::client, client_cred.get(), options, kStart);
    EXPECT_EQ(client.final_status(), SEC_E_CANNOT_PACK);
    EXPECT_FALSE(client.has_context());
}

TEST_F(SspiLoopback, MtuAttributeIsBoundedAndApplies) {
    SspiPeer client(Role::client, client_cred.get(), {}, kStart);
    ULONG mtu = 199;
    EXPECT_EQ(SetContextAttributesA(client.context(), SECPKG_ATTR_DTLS_MTU, &mtu, sizeof mtu), SEC_E_INVALID_PARAMETER);
    mtu = 65536;
    EXPECT_EQ(SetContextAttributesA(client.context(), SECPKG_ATTR_DTLS_MTU, &mtu, sizeof mtu), SEC_E_INVALID_PARAMETER);
    mtu = 300;
    EXPECT_EQ(SetContextAttributesA(client.context(), SECPKG_ATTR_DTLS_MTU, &mtu, sizeof mtu), SEC_E_OK);
    ULONG read = 0;
    EXPECT_EQ(QueryContextAttributesA(client.context(), SECPKG_ATTR_DTLS_MTU, &read), SEC_E_OK);
    EXPECT_EQ(read, 300u);
}

TEST_F(SspiLoopback, CallerBuffersThatAreTooSmallKeepTheDatagram) {
    SspiPeer server(Role::server, server_cred.get(), {}, kStart);
    CtxtHandle context;
    SecInvalidateHandle(&context);
    uint8_t small[16];
    SecBuffer out{sizeof small, SECBUFFER_TOKEN, small};
    SecBufferDesc out_desc{SECBUFFER_VERSION, 1, &out};
    ULONG attributes = 0;
    SECURITY_STATUS s = InitializeSecurityContextA(client_cred.get(), nullptr, const_cast<char*>("localhost"),
                                                   ISC_REQ_DATAGRAM, 0, SECURITY_NATIVE_DREP, nullptr, 0, &context,
                                                   &out_desc, &attributes, nullptr);
    EXPECT_EQ(s, SEC_E_BUFFER_TOO_SMALL);
    ASSERT_TRUE(SecIsValidHandle(&context));
    std::vector<uint8_t> big(2048);
    out = {static_cast<ULONG>(big.size()), SECBUFFER_TOKEN, big.data()};
    s = InitializeSecurityContextA(nullptr, &context, nullptr, ISC_REQ_DATAGRAM, 0, SECURITY_NATIVE_DREP, nullptr, 0,
                                   nullptr, &out_desc, &attributes, nullptr);
    EXPECT_EQ(s, SEC_I_CONTINUE_NEEDED);
    EXPECT_EQ(big[0], 22);   // handshake record
    EXPECT_EQ(big[13], 1);   // ClientHello
    EXPECT_GT(out.cbBuffer, 100u);
    EXPECT_EQ(attributes & ISC_RET_ALLOCATED_MEMORY, 0u);
    DeleteSecurityContext(&context);
}

TEST(SspiCredentials, DtlsOneAloneAndTlsAreRefused) {
    SspiCredential cred;
    EXPECT_EQ(client_credential("", cred, SP_PROT_DTLS1_0_CLIENT), SEC_E_UNSUPPORTED_FUNCTION);
    EXPECT_NE(std::string(DtlsSspiLastError()).find("RFC 8996"), std::string::npos);
    SspiCredential tls;
    EXPECT_EQ(client_credential("", tls, SP_PROT_TLS1_2_CLIENT), SEC_E_UNSUPPORTED_FUNCTION);
    SspiCredential x, zero;
    EXPECT_EQ(client_credential("", x, SP_PROT_DTLS1_X_CLIENT), SEC_E_OK);
    EXPECT_EQ(client_credential("", zero, 0), SEC_E_OK);
}

TEST(SspiCredentials, SchCredentialsDisabledProtocolsAreHonoured) {
    TLS_PARAMETERS params{};
    params.grbitDisabledProtocols = SP_PROT_DTLS1_2_CLIENT;
    SCH_CREDENTIALS cred{};
    cred.dwVersion = SCH_CREDENTIALS_VERSION;
    cred.dwFlags = SCH_CRED_MANUAL_CRED_VALIDATION;
    cred.cTlsParameters = 1;
    cred.pTlsParameters = &params;
    CredHandle handle;
    EXPECT_EQ(AcquireCredentialsHandleW(nullptr, const_cast<wchar_t*>(UNISP_NAME_W), SECPKG_CRED_OUTBOUND, nullptr,
                                        &cred, nullptr, nullptr, &handle, nullptr),
              SEC_E_UNSUPPORTED_FUNCTION);
    params.grbitDisabledProtocols = SP_PROT_TLS1_2_CLIENT;
    ASSERT_EQ(AcquireCredentialsHandleW(nullptr, const_cast<wchar_t*>(SCHANNEL_NAME_W), SECPKG_CRED_OUTBOUND, nullptr,
                                        &cred, nullptr, nullptr, &handle, nullptr),
              SEC_E_OK);
    EXPECT_EQ(FreeCredentialsHandle(&handle), SEC_E_OK);
    EXPECT_EQ(FreeCredentialsHandle(&handle), SEC_E_INVALID_HANDLE);
}

TEST(SspiCredentials, ServerNeedsACertificateAndPackageInfoIsFreeable) {
    SCHANNEL_CRED cred{};
    cred.dwVersion = SCHANNEL_CRED_VERSION;
    CredHandle handle;
    EXPECT_EQ(AcquireCredentialsHandleA(nullptr, const_cast<char*>(UNISP_NAME_A), SECPKG_CRED_INBOUND, nullptr, &cred,
                                        nullptr, nullptr, &handle, nullptr),
              SEC_E_NO_CREDENTIALS);
    EXPECT_EQ(AcquireCredentialsHandleA(nullptr, const_cast<char*>("Kerberos"), SECPKG_CRED_OUTBOUND, nullptr, &cred,
                                        nullptr, nullptr, &handle, nullptr),
              SEC_E_SECPKG_NOT_FOUND);
    PSecPkgInfoA info = nullptr;
    ASSERT_EQ(QuerySecurityPackageInfoA(const_cast<char*>(UNISP_NAME_A), &info), SEC_E_OK);
    EXPECT_STREQ(info->Name, UNISP_NAME_A);
    EXPECT_TRUE(info->fCapabilities & SECPKG_FLAG_DATAGRAM);
    EXPECT_GE(info->cbMaxToken, 65535u);
    FreeContextBuffer(info);
    PSecPkgInfoW wide = nullptr;
    ASSERT_EQ(QuerySecurityPackageInfoW(const_cast<wchar_t*>(SCHANNEL_NAME_W), &wide), SEC_E_OK);
    EXPECT_EQ(std::wstring(wide->Name), UNISP_NAME_W);
    FreeContextBuffer(wide);
}

TEST_F(SspiLoopback, UntrustedServerFailsWithAnAlert) {
    TestCa other = TestCa::create();
    SspiCredential distrustful;
    ASSERT_EQ(client_credential(other.cert_pem(), distrustful), SEC_E_OK);
    SspiPeer server(Role::server, server_cred.get(), {}, kStart);
    SspiPeer client(Role::client, distrustful.get(), {}, kStart);
    Link link(client, server, {}, kStart);
    link.run_until_done();
    ASSERT_TRUE(client.failed());
    EXPECT_EQ(client.final_status(), SEC_E_UNTRUSTED_ROOT);
    EXPECT_TRUE(server.failed());  // it got the alert from SECBUFFER_ALERT
}

TEST_F(SspiLoopback, WrongServerNameIsRejectedUnlessNameCheckIsOff) {
    SspiPeerOptions wrong;
    wrong.target = "elsewhere.example";
    {
        SspiPeer server(Role::server, server_cred.get(), {}, kStart);
        SspiPeer client(Role::client, client_cred.get(), wrong, kStart);
        Link link(client, server, {}, kStart);
        link.run_until_done();
        EXPECT_TRUE(client.failed());
    }
    SCHANNEL_CRED cred{};
    cred.dwVersion = SCHANNEL_CRED_VERSION;
    cred.dwFlags = SCH_CRED_NO_SERVERNAME_CHECK;
    const std::string& pem = ca.cert_pem();
    cred.hRootStore = DtlsSspiOpenCaMemory(pem.data(), pem.size());
    SspiCredential lenient;
    ASSERT_EQ(AcquireCredentialsHandleA(nullptr, const_cast<char*>(UNISP_NAME_A), SECPKG_CRED_OUTBOUND, nullptr,
                                        &cred, nullptr, nullptr, lenient.get(), nullptr),
              SEC_E_OK);
    CertCloseStore(cred.hRootStore, 0);
    SspiPeer server(Role::server, server_cred.get(), {}, kStart);
    SspiPeer client(Role::client, lenient.get(), wrong, kStart);
    Link link(client, server, {}, kStart);
    ASSERT_TRUE(link.run_until_done());
    EXPECT_TRUE(client.established());
}

}  // namespace
}  // namespace dtls::test
