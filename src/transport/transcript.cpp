#include "transport/transcript.hpp"

#include "crypto/secret.hpp"
#include "transport/fragment.hpp"
#include "wire/writer.hpp"

namespace dtls::transport {

Transcript::~Transcript() { crypto::cleanse(bytes_); }

bool Transcript::add(messages::HandshakeType type, uint16_t message_seq, std::span<const uint8_t> body) {
    if (body.size() >= (size_t{1} << 24)) return false;
    const auto length = static_cast<uint32_t>(body.size());
    wire::Writer w(bytes_);
    if (form_ == HeaderForm::dtls12) {
        (void)write_fragment_header(FragmentHeader{type, length, message_seq, 0, length}, w);
    } else {
        w.u8(static_cast<uint8_t>(type));
        w.u24(length);
    }
    w.bytes(body);
    return true;
}

Result<Bytes> Transcript::hash(crypto::HashAlgorithm alg) const { return crypto::digest(alg, bytes_); }

void Transcript::clear() {
    crypto::cleanse(bytes_);
    bytes_ = std::vector<uint8_t>();  // frees the storage, as clear() would not
}

}  // namespace dtls::transport
