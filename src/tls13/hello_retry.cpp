#include "tls13/hello_retry.hpp"

#include "messages/hello_retry_request.hpp"

namespace dtls::tls13 {

Result<Bytes> encode_hello_retry_request(const RetryRequest& request) {
    messages::ServerHello hrr;
    hrr.random = messages::kHelloRetryRequestRandom;
    hrr.cipher_suite = request.cipher_suite;
    hrr.extensions.supported_versions = std::vector<uint16_t>{messages::kDtls13};
    hrr.extensions.key_share_selected_group = request.selected_group;
    if (!request.cookie.empty()) hrr.extensions.cookie = Bytes(request.cookie.begin(), request.cookie.end());
    return messages::encoded(hrr);
}

}  // namespace dtls::tls13
