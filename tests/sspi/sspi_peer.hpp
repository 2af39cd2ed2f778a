// Test helpers for the SSPI facade: credentials made from the test CA, and
// SspiPeer, an impaired-link LinkPeer that drives InitializeSecurityContext /
// AcceptSecurityContext the way Schannel application code does (one datagram
// per call, SEC_I_MESSAGE_FRAGMENT loops, calls without input on timeouts),
// then EncryptMessage / DecryptMessage.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "dtls/connection.hpp"
#include "dtls/sspi.h"
#include "support/certs.hpp"
#include "support/impaired_link.hpp"

namespace dtls::test {

// Every SSPI call in these tests reads this virtual clock (DtlsSspiSetClock).
class VirtualClock {
public:
    VirtualClock();
    ~VirtualClock();
    static void set(Instant now);
};

// Owns a credential handle.
class SspiCredential {
public:
    SspiCredential() { SecInvalidateHandle(&handle_); }
    ~SspiCredential();
    SspiCredential(const SspiCredential&) = delete;
    SspiCredential& operator=(const SspiCredential&) = delete;
    PCredHandle get() { return &handle_; }

private:
    CredHandle handle_;
};

// A server credential for `issued`; trust in `ca_pem` (client certificates)
// when not empty.
SECURITY_STATUS server_credential(const Issued& issued, SspiCredential& out, DWORD protocols = SP_PROT_DTLS1_2_SERVER,
                                  const std::string& ca_pem = {});
// A client credential trusting `ca_pem`, or validating manually when empty.
SECURITY_STATUS client_credential(const std::string& ca_pem, SspiCredential& out,
                                  DWORD protocols = SP_PROT_DTLS1_2_CLIENT, const Issued* certificate = nullptr);

// The client's address as a server sees it (a sockaddr_in).
std::vector<uint8_t> client_address(uint16_t port = 4433);

struct SspiPeerOptions {
    ULONG mtu = 0;                  // 0: Schannel's default
    std::string target = "localhost";
    bool zero_length_token = false;  // the other "no input" form
    ULONG extra_requirements = 0;
    std::vector<std::string> alpn;
};

class SspiPeer : public LinkPeer {
public:
    // A client sends its ClientHello at once; a server waits for one.
    SspiPeer(Role role, PCredHandle credential, SspiPeerOptions options, Instant now);
    ~SspiPeer() override;

    void receive(std::span<const uint8_t> datagram, Instant now) override;
    bool poll_datagram(std::vector<uint8_t>& out) override;
    std::optional<Instant> next_timeout() const override;
    void handle_timeout(Instant now) override;
    bool done() const override { return established_ || failed(); }

    bool established() const { return established_; }
    bool failed() const { return final_status_ && *final_status_ != SEC_E_OK; }
    std::optional<SECURITY_STATUS> final_status() const { return final_status_; }
    PCtxtHandle context() { return &context_; }
    bool has_context() const { return have_context_; }

    // Seals `text` with EncryptMessage and queues the record.
    SECURITY_STATUS send(const std::string& text);
    // Application messages DecryptMessage returned, and every status it gave.
    const std::vector<std::string>& received() const { return received_; }
    const std::vector<SECURITY_STATUS>& decrypt_statuses() const { return decrypt_statuses_; }
    // Datagrams with the status of the ISC/ASC call that produced them.
    const std::vector<SECURITY_STATUS>& step_statuses() const { return step_statuses_; }
    size_t largest_datagram() const { return largest_; }

    // One ISC/ASC call (plus the fragment loop); `datagram` empty means no input.
    SECURITY_STATUS step(std::span<const uint8_t> datagram);

private:
    SECURITY_STATUS call(std::span<const uint8_t> datagram, std::vector<uint8_t>& token);
    void decrypt(std::vector<uint8_t> datagram);

    Role role_;
    PCredHandle credential_;
    SspiPeerOptions options_;
    CtxtHandle context_;
    bool have_context_ = false;
    bool established_ = false;
    std::optional<SECURITY_STATUS> final_status_;
    Instant now_;
    std::vector<uint8_t> address_ = client_address();
    std::deque<std::vector<uint8_t>> outgoing_;
    std::vector<std::string> received_;
    std::vector<SECURITY_STATUS> decrypt_statuses_;
    std::vector<SECURITY_STATUS> step_statuses_;
    size_t largest_ = 0;
};

// The wire form of SECBUFFER_APPLICATION_PROTOCOLS for an ALPN list.
std::vector<uint8_t> application_protocols(const std::vector<std::string>& names);

}  // namespace dtls::test
