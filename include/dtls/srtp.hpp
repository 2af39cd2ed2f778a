/// @file
/// DTLS-SRTP keying (RFC 5764 4.2): the SRTP master keys and salts of an
/// established connection that negotiated use_srtp, ready for an SRTP
/// library such as libsrtp2.
#pragma once

#include <cstddef>

#include "dtls/config.hpp"
#include "dtls/connection.hpp"
#include "dtls/errors.hpp"

namespace dtls {

/// The lengths of a profile's SRTP master key and master salt, in bytes
/// (RFC 5764 4.1.2, RFC 7714 12).
struct SrtpKeyLengths {
    size_t key = 0;   ///< master key bytes
    size_t salt = 0;  ///< master salt bytes
};
/// Zero lengths for a value that is not one of SrtpProfile's.
SrtpKeyLengths srtp_key_lengths(SrtpProfile profile);

/// One direction's SRTP master key and salt, wiped when destroyed (a copy
/// the application makes, such as key_and_salt()'s, is its own to wipe).
struct SrtpMasterKey {
    Bytes key;   ///< the SRTP master key
    Bytes salt;  ///< the SRTP master salt
    /// key followed by salt: the form libsrtp2's srtp_policy_t.key takes.
    Bytes key_and_salt() const;

    /// Copyable and movable; the destructor wipes.
    ///@{
    SrtpMasterKey() = default;
    SrtpMasterKey(const SrtpMasterKey&) = default;
    SrtpMasterKey(SrtpMasterKey&&) noexcept = default;
    SrtpMasterKey& operator=(const SrtpMasterKey&) = default;
    SrtpMasterKey& operator=(SrtpMasterKey&&) noexcept = default;
    ~SrtpMasterKey();
    ///@}
};

/// The keys of both directions. The client protects what it sends with
/// `client` and the server with `server`; each side decrypts the other's
/// packets with the other's key.
struct SrtpKeys {
    SrtpProfile profile{};  ///< the profile agreed
    Bytes mki;              ///< the agreed MKI, empty for none
    SrtpMasterKey client;   ///< what the client protects its packets with
    SrtpMasterKey server;   ///< what the server protects its packets with
    /// The key this side protects its packets with.
    const SrtpMasterKey& local(Role our_role) const { return our_role == Role::client ? client : server; }
    /// The key the peer protects its packets with.
    const SrtpMasterKey& remote(Role our_role) const { return our_role == Role::client ? server : client; }
};

/// Exports 2 * (key + salt) bytes with the label "EXTRACTOR-dtls_srtp" and
/// no context (RFC 5764 4.2) and splits them as client key, server key,
/// client salt, server salt. Fails with ErrorCode::invalid_state before the
/// handshake completes or when no SRTP profile was agreed.
Result<SrtpKeys> srtp_keys(const Connection& connection);

}  // namespace dtls
