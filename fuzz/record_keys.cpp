#include "record_keys.hpp"

#include <array>
#include <cstdlib>

namespace dtls::fuzz {

record::RecordLayer record_layer_with_keys(uint8_t selector) {
    struct Keys {
        crypto::AeadAlgorithm alg;
        size_t key_length;
        size_t iv_length;
    };
    static constexpr std::array<Keys, 3> kinds{{
        {crypto::AeadAlgorithm::aes_128_gcm, 16, 4},
        {crypto::AeadAlgorithm::aes_256_gcm, 32, 4},
        {crypto::AeadAlgorithm::chacha20_poly1305, 32, 12},
    }};
    const Keys& k = kinds[selector % kinds.size()];
    std::array<uint8_t, 32> key;
    std::array<uint8_t, 12> iv;
    for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(0x40 + i);
    for (size_t i = 0; i < iv.size(); ++i) iv[i] = static_cast<uint8_t>(0xA0 + i);

    auto protection = [&](record::RecordProtection::Direction direction) {
        auto p = record::RecordProtection::create(k.alg, direction, std::span(key).first(k.key_length),
                                                  std::span(iv).first(k.iv_length));
        if (!p) std::abort();
        return std::move(*p);
    };
    record::RecordLayer layer;
    layer.set_write_keys(protection(record::RecordProtection::Direction::seal));
    layer.set_read_keys(protection(record::RecordProtection::Direction::open));
    layer.activate_read_epoch1();
    layer.begin_write_epoch1();
    return layer;
}

}  // namespace dtls::fuzz
