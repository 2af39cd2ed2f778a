#include "record_keys.hpp"

#include <array>
#include <cstdlib>

namespace dtls::fuzz {

record::EpochTable epoch_table_with_keys(uint8_t selector) {
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
    record::EpochTable table;
    table.install_write(1, protection(record::RecordProtection::Direction::seal));
    table.install_read(1, protection(record::RecordProtection::Direction::open));
    if (!table.activate_read(1) || !table.activate_write(1)) std::abort();
    return table;
}

}  // namespace dtls::fuzz
