#include "record/content_type.hpp"

namespace dtls::record {

const char* to_string(ContentType type) {
    switch (type) {
        case ContentType::change_cipher_spec: return "ChangeCipherSpec";
        case ContentType::alert: return "Alert";
        case ContentType::handshake: return "Handshake";
        case ContentType::application_data: return "ApplicationData";
        case ContentType::tls12_cid: return "tls12_cid";
        case ContentType::ack: return "ACK";
        case ContentType::return_routability_check: return "return_routability_check";
    }
    return "unknown content type";
}

}  // namespace dtls::record
