#include "record_keys.hpp"

#include <array>
#include <cstdlib>

namespace dtls::fuzz {

record::EpochTable epoch_table_with_keys(uint8_t selector) {
    std::array<uint8_t, 32> key;
    std::array<uint8_t, 32> sn_key;
    std::array<uint8_t, 12> iv;
    for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(0x40 + i);
    for (size_t i = 0; i < sn_key.size(); ++i) sn_key[i] = static_cast<uint8_t>(0x70 + i);
    for (size_t i = 0; i < iv.size(); ++i) iv[i] = static_cast<uint8_t>(0xA0 + i);
    record::EpochTable table;
    const uint64_t epoch = epoch_of(selector);

    if (selects_dtls13(selector)) {
        using Algorithm = crypto::AeadCipher::Algorithm;
        struct Keys {
            Algorithm alg;
            size_t key_length;
        };
        static constexpr std::array<Keys, 5> kinds{{
            {Algorithm::aes_128_gcm, 16},
            {Algorithm::aes_256_gcm, 32},
            {Algorithm::chacha20_poly1305, 32},
            {Algorithm::aes_128_ccm, 16},
            {Algorithm::aes_128_ccm_8, 16},
        }};
        const Keys& k = kinds[selector % kinds.size()];
        auto protection = [&](record::Dtls13Protection::Direction direction) {
            auto p = record::Dtls13Protection::create(k.alg, direction, std::span(key).first(k.key_length), iv,
                                                      std::span(sn_key).first(k.key_length));
            if (!p) std::abort();
            return std::move(*p);
        };
        table.expect_dtls13(true);
        table.install_write(epoch, protection(record::Dtls13Protection::Direction::seal));
        table.install_read(epoch, protection(record::Dtls13Protection::Direction::open));
    } else {
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
        auto protection = [&](record::RecordProtection::Direction direction) {
            auto p = record::RecordProtection::create(k.alg, direction, std::span(key).first(k.key_length),
                                                      std::span(iv).first(k.iv_length));
            if (!p) std::abort();
            return std::move(*p);
        };
        table.install_write(epoch, protection(record::RecordProtection::Direction::seal));
        table.install_read(epoch, protection(record::RecordProtection::Direction::open));
    }
    if (!table.activate_read(epoch) || !table.activate_write(epoch)) std::abort();
    return table;
}

}  // namespace dtls::fuzz
