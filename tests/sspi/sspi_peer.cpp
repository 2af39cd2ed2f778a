#include "sspi/sspi_peer.hpp"

#include <netinet/in.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstring>

namespace dtls::test {

namespace {

std::atomic<int64_t> virtual_ms{0};

ULONGLONG read_virtual_clock(void*) { return static_cast<ULONGLONG>(virtual_ms.load()); }

void fill(SecBuffer& b, ULONG type, void* data = nullptr, size_t size = 0) {
    b.BufferType = type;
    b.pvBuffer = data;
    b.cbBuffer = static_cast<ULONG>(size);
}

}  // namespace

VirtualClock::VirtualClock() { DtlsSspiSetClock(read_virtual_clock, nullptr); }
VirtualClock::~VirtualClock() { DtlsSspiSetClock(nullptr, nullptr); }
void VirtualClock::set(Instant now) {
    virtual_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
}

SspiCredential::~SspiCredential() {
    if (SecIsValidHandle(&handle_)) FreeCredentialsHandle(&handle_);
}

SECURITY_STATUS server_credential(const Issued& issued, SspiCredential& out, DWORD protocols,
                                  const std::string& ca_pem) {
    PCCERT_CONTEXT certificate = DtlsSspiCertificateFromMemory(issued.chain_pem.data(), issued.chain_pem.size(),
                                                               issued.key_pem.data(), issued.key_pem.size());
    if (!certificate) return SEC_E_UNKNOWN_CREDENTIALS;
    SCHANNEL_CRED cred{};
    cred.dwVersion = SCHANNEL_CRED_VERSION;
    cred.cCreds = 1;
    cred.paCred = &certificate;
    cred.grbitEnabledProtocols = protocols;
    if (!ca_pem.empty()) cred.hRootStore = DtlsSspiOpenCaMemory(ca_pem.data(), ca_pem.size());
    SECURITY_STATUS s = AcquireCredentialsHandleA(nullptr, const_cast<char*>(UNISP_NAME_A), SECPKG_CRED_INBOUND,
                                                  nullptr, &cred, nullptr, nullptr, out.get(), nullptr);
    CertFreeCertificateContext(certificate);
    if (cred.hRootStore) CertCloseStore(cred.hRootStore, 0);
    return s;
}

SECURITY_STATUS client_credential(const std::string& ca_pem, SspiCredential& out, DWORD protocols,
                                  const Issued* certificate) {
    SCHANNEL_CRED cred{};
    cred.dwVersion = SCHANNEL_CRED_VERSION;
    cred.grbitEnabledProtocols = protocols;
    PCCERT_CONTEXT mine = nullptr;
    if (certificate) {
        mine = DtlsSspiCertificateFromMemory(certificate->chain_pem.data(), certificate->chain_pem.size(),
                                             certificate->key_pem.data(), certificate->key_pem.size());
        cred.cCreds = 1;
        cred.paCred = &mine;
    }
    if (ca_pem.empty()) {
        cred.dwFlags = SCH_CRED_MANUAL_CRED_VALIDATION;
    } else {
        cred.hRootStore = DtlsSspiOpenCaMemory(ca_pem.data(), ca_pem.size());
    }
    SECURITY_STATUS s = AcquireCredentialsHandleA(nullptr, const_cast<char*>(UNISP_NAME_A), SECPKG_CRED_OUTBOUND,
                                                  nullptr, &cred, nullptr, nullptr, out.get(), nullptr);
    if (mine) CertFreeCertificateContext(mine);
    if (cred.hRootStore) CertCloseStore(cred.hRootStore, 0);
    return s;
}

std::vector<uint8_t> client_address(uint16_t port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const auto* p = reinterpret_cast<const uint8_t*>(&a);
    return {p, p + sizeof a};
}

std::vector<uint8_t> application_protocols(const std::vector<std::string>& names) {
    std::vector<uint8_t> list;
    for (const std::string& n : names) {
        list.push_back(static_cast<uint8_t>(n.size()));
        list.insert(list.end(), n.begin(), n.end());
    }
    const size_t list_header = offsetof(SEC_APPLICATION_PROTOCOL_LIST, ProtocolList);
    const size_t header = offsetof(SEC_APPLICATION_PROTOCOLS, ProtocolLists);
    std::vector<uint8_t> out(header + list_header + list.size());
    const ULONG lists_size = static_cast<ULONG>(list_header + list.size());
    std::memcpy(out.data(), &lists_size, sizeof lists_size);
    SEC_APPLICATION_PROTOCOL_LIST head{};
    head.ProtoNegoExt = SecApplicationProtocolNegotiationExt_ALPN;
    head.ProtocolListSize = static_cast<unsigned short>(list.size());
    std::memcpy(out.data() + header, &head, list_header);
    if (!list.empty()) std::memcpy(out.data() + header + list_header, list.data(), list.size());
    return out;
}

SspiPeer::SspiPeer(Role role, PCredHandle credential, SspiPeerOptions options, Instant now)
    : role_(role), credential_(credential), options_(std::move(options)), now_(now) {
    SecInvalidateHandle(&context_);
    if (role_ == Role::client) {
        VirtualClock::set(now);
        step({});
    }
}

SspiPeer::~SspiPeer() {
    if (have_context_) DeleteSecurityContext(&context_);
}

SECURITY_STATUS SspiPeer::call(std::span<const uint8_t> datagram, std::vector<uint8_t>& token) {
    SecBuffer in[5];
    ULONG count = 0;
    SEC_DTLS_MTU mtu{static_cast<unsigned short>(options_.mtu)};
    std::vector<uint8_t> protocols = application_protocols(options_.alpn);
    const bool no_input = datagram.empty();
    if (!no_input || options_.zero_length_token) {
        fill(in[count++], SECBUFFER_TOKEN, const_cast<uint8_t*>(datagram.data()), datagram.size());
        fill(in[count++], SECBUFFER_EMPTY);
    }
    if (role_ == Role::server) fill(in[count++], SECBUFFER_EXTRA, address_.data(), address_.size());
    if (!have_context_ && options_.mtu) fill(in[count++], SECBUFFER_DTLS_MTU, &mtu, sizeof mtu);
    if (!have_context_ && !options_.alpn.empty()) {
        fill(in[count++], SECBUFFER_APPLICATION_PROTOCOLS, protocols.data(), protocols.size());
    }
    SecBufferDesc in_desc{SECBUFFER_VERSION, count, in};
    // The client's first call and its timeouts use pInput = NULL, as Windows code does.
    PSecBufferDesc input = count ? &in_desc : nullptr;

    SecBuffer out[2];
    fill(out[0], SECBUFFER_TOKEN);
    fill(out[1], SECBUFFER_ALERT);
    SecBufferDesc out_desc{SECBUFFER_VERSION, 2, out};
    ULONG attributes = 0;
    const ULONG requirements = ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT | ISC_REQ_CONFIDENTIALITY |
                               ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_DATAGRAM | ISC_REQ_EXTENDED_ERROR |
                               options_.extra_requirements;
    SECURITY_STATUS s;
    if (role_ == Role::client) {
        s = InitializeSecurityContextA(credential_, have_context_ ? &context_ : nullptr,
                                       const_cast<char*>(options_.target.c_str()), requirements, 0,
                                       SECURITY_NATIVE_DREP, input, 0, have_context_ ? nullptr : &context_,
                                       &out_desc, &attributes, nullptr);
    } else {
        const ULONG asc = ASC_REQ_SEQUENCE_DETECT | ASC_REQ_REPLAY_DETECT | ASC_REQ_CONFIDENTIALITY |
                          ASC_REQ_ALLOCATE_MEMORY | ASC_REQ_DATAGRAM | ASC_REQ_EXTENDED_ERROR |
                          options_.extra_requirements;
        s = AcceptSecurityContext(credential_, have_context_ ? &context_ : nullptr, &in_desc, asc,
                                  SECURITY_NATIVE_DREP, have_context_ ? nullptr : &context_, &out_desc, &attributes,
                                  nullptr);
    }
    if (SecIsValidHandle(&context_)) have_context_ = true;
    token.assign(static_cast<uint8_t*>(out[0].pvBuffer), static_cast<uint8_t*>(out[0].pvBuffer) + out[0].cbBuffer);
    if (out[0].pvBuffer) FreeContextBuffer(out[0].pvBuffer);
    if (out[1].pvBuffer) {
        if (out[1].cbBuffer) outgoing_.emplace_back(static_cast<uint8_t*>(out[1].pvBuffer),
                                                    static_cast<uint8_t*>(out[1].pvBuffer) + out[1].cbBuffer);
        FreeContextBuffer(out[1].pvBuffer);
    }
    return s;
}

SECURITY_STATUS SspiPeer::step(std::span<const uint8_t> datagram) {
    SECURITY_STATUS s;
    std::vector<uint8_t> token;
    do {
        s = call(datagram, token);
        datagram = {};
        step_statuses_.push_back(s);
        if (!token.empty()) {
            largest_ = std::max(largest_, token.size());
            outgoing_.push_back(token);
        }
    } while (s == SEC_I_MESSAGE_FRAGMENT);
    if (s == SEC_E_OK) {
        established_ = true;
        final_status_ = s;
    } else if (s != SEC_I_CONTINUE_NEEDED && s != SEC_E_INCOMPLETE_MESSAGE &&
               !(s == SEC_E_INVALID_TOKEN && !have_context_)) {
        final_status_ = s;
    }
    return s;
}

void SspiPeer::receive(std::span<const uint8_t> datagram, Instant now) {
    now_ = now;
    VirtualClock::set(now);
    if (failed()) return;
    if (!established_) {
        step(datagram);
    } else {
        decrypt(std::vector<uint8_t>(datagram.begin(), datagram.end()));
    }
}

void SspiPeer::decrypt(std::vector<uint8_t> datagram) {
    // One record per call; SECBUFFER_EXTRA points at the next one.
    uint8_t* data = datagram.data();
    size_t size = datagram.size();
    while (size > 0) {
        SecBuffer b[4];
        fill(b[0], SECBUFFER_DATA, data, size);
        for (int i = 1; i < 4; ++i) fill(b[i], SECBUFFER_EMPTY);
        SecBufferDesc desc{SECBUFFER_VERSION, 4, b};
        SECURITY_STATUS s = DecryptMessage(&context_, &desc, 0, nullptr);
        decrypt_statuses_.push_back(s);
        if (s == SEC_E_UNFINISHED_CONTEXT_DELETED) {
            step(datagram);  // our last flight was lost: answer the resent one
            return;
        }
        size = 0;
        for (auto& buffer : b) {
            if (s == SEC_E_OK && buffer.BufferType == SECBUFFER_DATA && buffer.cbBuffer) {
                received_.emplace_back(static_cast<char*>(buffer.pvBuffer), buffer.cbBuffer);
            }
            if (buffer.BufferType == SECBUFFER_EXTRA) {
                data = static_cast<uint8_t*>(buffer.pvBuffer);
                size = buffer.cbBuffer;
            }
        }
    }
}

bool SspiPeer::poll_datagram(std::vector<uint8_t>& out) {
    if (outgoing_.empty()) return false;
    out = std::move(outgoing_.front());
    outgoing_.pop_front();
    return true;
}

std::optional<Instant> SspiPeer::next_timeout() const {
    if (!have_context_ || done()) return std::nullopt;
    VirtualClock::set(now_);
    DtlsSspiNextTimeout next{};
    if (QueryContextAttributesA(const_cast<PCtxtHandle>(&context_), DTLSSSPI_ATTR_NEXT_TIMEOUT, &next) != SEC_E_OK ||
        next.dwMilliseconds == INFINITE) {
        return std::nullopt;
    }
    return now_ + std::chrono::milliseconds(next.dwMilliseconds);
}

void SspiPeer::handle_timeout(Instant now) {
    now_ = now;
    VirtualClock::set(now);
    if (!done()) step({});
}

SECURITY_STATUS SspiPeer::send(const std::string& text) {
    SecPkgContext_StreamSizes sizes{};
    SECURITY_STATUS s = QueryContextAttributesA(&context_, SECPKG_ATTR_DATAGRAM_SIZES, &sizes);
    if (s != SEC_E_OK) return s;
    std::vector<uint8_t> record(sizes.cbHeader + text.size() + sizes.cbTrailer);
    std::memcpy(record.data() + sizes.cbHeader, text.data(), text.size());
    SecBuffer b[4];
    fill(b[0], SECBUFFER_STREAM_HEADER, record.data(), sizes.cbHeader);
    fill(b[1], SECBUFFER_DATA, record.data() + sizes.cbHeader, text.size());
    fill(b[2], SECBUFFER_STREAM_TRAILER, record.data() + sizes.cbHeader + text.size(), sizes.cbTrailer);
    fill(b[3], SECBUFFER_EMPTY);
    SecBufferDesc desc{SECBUFFER_VERSION, 4, b};
    s = EncryptMessage(&context_, 0, &desc, 0);
    if (s != SEC_E_OK) return s;
    record.resize(b[0].cbBuffer + b[1].cbBuffer + b[2].cbBuffer);
    outgoing_.push_back(std::move(record));
    return s;
}

}  // namespace dtls::test
