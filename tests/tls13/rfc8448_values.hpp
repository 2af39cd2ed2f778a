// Values from RFC 8448, "Example Handshake Traces for TLS 1.3", copied
// byte for byte from the RFC's text: section 3 (Simple 1-RTT Handshake,
// x25519, TLS_AES_128_GCM_SHA256) and section 4 (Resumed 0-RTT Handshake,
// from section 3's ticket). Each value names the line of its label in the
// RFC's text file (they were compared with it by a script when written).
// The traces use TLS 1.3's "tls13 " label prefix.
//
// Handshake messages are given whole (type and length included, as the
// transcript hashes them); the transcript hashes the RFC prints are here too,
// and the tests compute them again from the messages.
#pragma once

#include <string_view>

namespace dtls::tls13::rfc8448 {

// Section 3: Simple 1-RTT Handshake.
namespace simple {

// rfc8448.txt line 177: ClientHello (196 octets), under {client} construct a ClientHello handshake message
inline constexpr std::string_view client_hello =
    "010000c00303cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece700000613011303130201"
    "0000910000000b0009000006736572766572ff01000100000a00140012001d0017001800190100010101020103010400"
    "230000003300260024001d002099381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c002b00"
    "03020304000d0020001e040305030603020308040805080604010501060102010402050206020202002d00020101001c"
    "00024001";

// rfc8448.txt line 241: ServerHello (90 octets), under {server} construct a ServerHello handshake message
inline constexpr std::string_view server_hello =
    "020000560303a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e2692800130100002e00330024"
    "001d0020c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f002b00020304";

// rfc8448.txt line 376: EncryptedExtensions (40 octets),
// under {server} construct an EncryptedExtensions handshake message
inline constexpr std::string_view encrypted_extensions =
    "080000240022000a00140012001d00170018001901000101010201030104001c0002400100000000";

// rfc8448.txt line 382: Certificate (445 octets), under {server} construct a Certificate handshake message
inline constexpr std::string_view certificate =
    "0b0001b9000001b50001b0308201ac30820115a003020102020102300d06092a864886f70d01010b0500300e310c300a"
    "06035504031303727361301e170d3136303733303031323335395a170d3236303733303031323335395a300e310c300a"
    "0603550403130372736130819f300d06092a864886f70d010101050003818d0030818902818100b4bb498f8279303d98"
    "0836399b36c6988c0c68de55e1bdb826d3901a2461eafd2de49a91d015abbc9a95137ace6c1af19eaa6af98c7ced4312"
    "0998e187a80ee0ccb0524b1b018c3e0b63264d449a6d38e22a5fda430846748030530ef0461c8ca9d9efbfae8ea6d1d0"
    "3e2bd193eff0ab9a8002c47428a6d35a8d88d79f7f1e3f0203010001a31a301830090603551d1304023000300b060355"
    "1d0f0404030205a0300d06092a864886f70d01010b05000381810085aad2a0e5b9276b908c65f73a7267170618a54c5f"
    "8a7b337d2df7a594365417f2eae8f8a58c8f8172f9319cf36b7fd6c55b80f21a03015156726096fd335e5e67f2dbf102"
    "702e608ccae6bec1fc63a42a99be5c3eb7107c3c54e9b9eb2bd5203b1c3b84e0a8b2f759409ba3eac9d91d402dcc0cc8"
    "f8961229ac9187b42b4de10000";

// rfc8448.txt line 415: CertificateVerify (136 octets),
// under {server} construct a CertificateVerify handshake message
inline constexpr std::string_view certificate_verify =
    "0f000084080400805a747c5d88fa9bd2e55ab085a61015b7211f824cd484145ab3ff52f1fda8477b0b7abc90db78e2d3"
    "3a5c141a078653fa6bef780c5ea248eeaaa785c4f394cab6d30bbe8d4859ee511f602957b15411ac027671459e46445c"
    "9ea58c181e818e95b8c3fb0bf3278409d3be152a3da5043e063dda65cdf5aea20d53dfacd42f74f3";

// rfc8448.txt line 441: Finished (36 octets), under {server} construct a Finished handshake message
inline constexpr std::string_view server_finished =
    "140000209b9b141d906337fbd2cbdce71df4deda4ab42c309572cb7fffee5454b78f0718";

// rfc8448.txt line 692: Finished (36 octets), under {client} construct a Finished handshake message
inline constexpr std::string_view client_finished =
    "14000020a8ec436d677634ae525ac1fcebe11a039ec17694fac6e98527b642f2edd5ce61";

// rfc8448.txt line 764: NewSessionTicket (205 octets), under {server} construct a NewSessionTicket handshake message
inline constexpr std::string_view new_session_ticket =
    "040000c90000001efad6aac502000000b22c035d829359ee5ff7af4ec900000000262a6494dc486d2c8a34cb33fa90bf"
    "1b0070ad3c498883c9367c09a2be785abc55cd226097a3a982117283f82a03a143efd3ff5dd36d64e861be7fd61d2827"
    "db279cce145077d454a3664d4e6da4d29ee03725a6a4dafcd0fc67d2aea70529513e3da2677fa5906c5b3f7d8f92f228"
    "bda40dda721470f9fbf297b5aea617646fac5c03272e970727c621a79141ef5f7de6505e5bfbc388e93343694093934a"
    "e4d3570008002a000400000400";

// rfc8448.txt line 267: IKM (32 octets), under {server} extract secret "handshake"
// The IKM of the "handshake" extraction: the x25519 shared secret.
inline constexpr std::string_view ecdhe_shared_secret =
    "8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d";

// rfc8448.txt line 219: secret (32 octets), under {server} extract secret "early"
inline constexpr std::string_view early_secret =
    "33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a";

// rfc8448.txt line 270: secret (32 octets), under {server} extract secret "handshake"
inline constexpr std::string_view handshake_secret =
    "1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac";

// rfc8448.txt line 287: hash (32 octets), under {server} derive secret "tls13 c hs traffic"
// Transcript-Hash(ClientHello, ServerHello).
inline constexpr std::string_view hello_hash =
    "860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8";

// rfc8448.txt line 290: info (54 octets), under {server} derive secret "tls13 c hs traffic"
// The HkdfLabel of "tls13 c hs traffic", for the tests' own HkdfLabel builder.
inline constexpr std::string_view client_handshake_traffic_info =
    "002012746c7331332063206873207472616666696320860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed"
    "063cf0e1cad8";

// rfc8448.txt line 294: expanded (32 octets), under {server} derive secret "tls13 c hs traffic"
inline constexpr std::string_view client_handshake_traffic_secret =
    "b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21";

// rfc8448.txt line 309: expanded (32 octets), under {server} derive secret "tls13 s hs traffic"
inline constexpr std::string_view server_handshake_traffic_secret =
    "b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38";

// rfc8448.txt line 343: secret (32 octets), under {server} extract secret "master"
inline constexpr std::string_view master_secret =
    "18df06843d13a08bf2a449844c5f8a478001bc4d4c627984d5a41da8d0402919";

// rfc8448.txt line 365: key info (13 octets), under {server} derive write traffic keys for handshake data
// The HkdfLabel of "tls13 key" for 16 bytes.
inline constexpr std::string_view key_info =
    "001009746c733133206b657900";

// rfc8448.txt line 367: key expanded (16 octets), under {server} derive write traffic keys for handshake data
inline constexpr std::string_view server_handshake_write_key =
    "3fce516009c21727d0f2e4e86ee403bc";

// rfc8448.txt line 370: iv info (12 octets), under {server} derive write traffic keys for handshake data
// The HkdfLabel of "tls13 iv" for 12 bytes.
inline constexpr std::string_view iv_info =
    "000c08746c73313320697600";

// rfc8448.txt line 372: iv expanded (12 octets), under {server} derive write traffic keys for handshake data
inline constexpr std::string_view server_handshake_write_iv =
    "5d313eb2671276ee13000b30";

// rfc8448.txt line 430: info (18 octets), under {server} calculate finished "tls13 finished"
// The HkdfLabel of "tls13 finished" for 32 bytes.
inline constexpr std::string_view finished_info =
    "00200e746c7331332066696e697368656400";

// rfc8448.txt line 433: expanded (32 octets), under {server} calculate finished "tls13 finished"
inline constexpr std::string_view server_finished_key =
    "008d3b66f816ea559f96b537e885c31fc068bf492c652f01f288a1d8cdc19fc8";

// rfc8448.txt line 436: finished (32 octets), under {server} calculate finished "tls13 finished"
inline constexpr std::string_view server_verify_data =
    "9b9b141d906337fbd2cbdce71df4deda4ab42c309572cb7fffee5454b78f0718";

// rfc8448.txt line 537: hash (32 octets), under {server} derive secret "tls13 c ap traffic"
// Transcript-Hash(ClientHello ... server Finished).
inline constexpr std::string_view server_finished_hash =
    "9608102a0f1ccc6db6250b7b7e417b1a000eaada3daae4777a7686c9ff83df13";

// rfc8448.txt line 544: expanded (32 octets), under {server} derive secret "tls13 c ap traffic"
inline constexpr std::string_view client_application_traffic_secret =
    "9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5";

// rfc8448.txt line 567: expanded (32 octets), under {server} derive secret "tls13 s ap traffic"
inline constexpr std::string_view server_application_traffic_secret =
    "a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643";

// rfc8448.txt line 582: expanded (32 octets), under {server} derive secret "tls13 exp master"
inline constexpr std::string_view exporter_master_secret =
    "fe22f881176eda18eb8f44529e6792c50c9a3f89452f68d8ae311b4309d3cf50";

// rfc8448.txt line 592: key expanded (16 octets), under {server} derive write traffic keys for application data
inline constexpr std::string_view server_application_write_key =
    "9f02283b6c9c07efc26bb9f2ac92e356";

// rfc8448.txt line 597: iv expanded (12 octets), under {server} derive write traffic keys for application data
inline constexpr std::string_view server_application_write_iv =
    "cf782b88dd83549aadf1e984";

// rfc8448.txt line 606: key expanded (16 octets), under {server} derive read traffic keys for handshake data
// The server's read keys for handshake data: the client's write keys.
inline constexpr std::string_view client_handshake_write_key =
    "dbfaa693d1762c5b666af5d950258d01";

// rfc8448.txt line 611: iv expanded (12 octets), under {server} derive read traffic keys for handshake data
inline constexpr std::string_view client_handshake_write_iv =
    "5bd3c71b836e0b76bb73265f";

// rfc8448.txt line 684: expanded (32 octets), under {client} calculate finished "tls13 finished"
inline constexpr std::string_view client_finished_key =
    "b80ad01015fb2f0bd65ff7d4da5d6bf83f84821d1f87fdc7d3c75b5a7b42d9c4";

// rfc8448.txt line 687: finished (32 octets), under {client} calculate finished "tls13 finished"
inline constexpr std::string_view client_verify_data =
    "a8ec436d677634ae525ac1fcebe11a039ec17694fac6e98527b642f2edd5ce61";

// rfc8448.txt line 713: key expanded (16 octets), under {client} derive write traffic keys for application data
inline constexpr std::string_view client_application_write_key =
    "17422dda596ed5d9acd890e3c63f5051";

// rfc8448.txt line 718: iv expanded (12 octets), under {client} derive write traffic keys for application data
inline constexpr std::string_view client_application_write_iv =
    "5b78923dee08579033e523d9";

// rfc8448.txt line 725: hash (32 octets), under {client} derive secret "tls13 res master"
// Transcript-Hash(ClientHello ... client Finished).
inline constexpr std::string_view client_finished_hash =
    "209145a96ee8e2a122ff810047cc952684658d6049e86429426db87c54ad143d";

// rfc8448.txt line 739: expanded (32 octets), under {client} derive secret "tls13 res master"
inline constexpr std::string_view resumption_master_secret =
    "7df235f2031d2a051287d02b0241b0bfdaf86cc856231f2d5aba46c434ec196c";

// rfc8448.txt line 754: hash (2 octets), under {server} generate resumption secret "tls13 resumption"
// The context of "tls13 resumption": the nonce of the NewSessionTicket.
inline constexpr std::string_view ticket_nonce =
    "0000";

// rfc8448.txt line 759: expanded (32 octets), under {server} generate resumption secret "tls13 resumption"
inline constexpr std::string_view resumption_psk =
    "4ecd0eb6ec3b4d87f5d6028f922ca4c5851a277fd41311c9e62d2c9492e1c4f3";

}  // namespace simple

// Section 4: Resumed 0-RTT Handshake (PSK with (EC)DHE, 0-RTT data).
namespace resumed {

// rfc8448.txt line 878: IKM (32 octets), under {client} extract secret "early"
// The IKM of the "early" extraction: section 3's resumption PSK.
inline constexpr std::string_view psk =
    "4ecd0eb6ec3b4d87f5d6028f922ca4c5851a277fd41311c9e62d2c9492e1c4f3";

// rfc8448.txt line 881: secret (32 octets), under {client} extract secret "early"
inline constexpr std::string_view early_secret =
    "9b2188e9b2fc6d64d71dc329900e20bb41915000f678aa839cbb797cb7d8332c";

// rfc8448.txt line 921: ClientHello prefix (477 octets), under {client} calculate PSK binder
// The ClientHello without its binders list (Truncate(ClientHello1)).
inline constexpr std::string_view truncated_client_hello =
    "010001fc03031bc3ceb6bbe39cff938355b5a50adb6db21b7a6af649d7b4bc419d7876487d9500000613011303130201"
    "0001cd0000000b0009000006736572766572ff01000100000a00140012001d0017001800190100010101020103010400"
    "3300260024001d0020e4ffb68ac05f8d96c99da26698346c6be16482badddafe051a66b4f18d668f0b002a0000002b00"
    "03020304000d0020001e040305030603020308040805080604010501060102010402050206020202002d00020101001c"
    "000240010015005700000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "2900dd00b800b22c035d829359ee5ff7af4ec900000000262a6494dc486d2c8a34cb33fa90bf1b0070ad3c498883c936"
    "7c09a2be785abc55cd226097a3a982117283f82a03a143efd3ff5dd36d64e861be7fd61d2827db279cce145077d454a3"
    "664d4e6da4d29ee03725a6a4dafcd0fc67d2aea70529513e3da2677fa5906c5b3f7d8f92f228bda40dda721470f9fbf2"
    "97b5aea617646fac5c03272e970727c621a79141ef5f7de6505e5bfbc388e93343694093934ae4d357fad6aacb";

// rfc8448.txt line 946: binder hash (32 octets), under {client} calculate PSK binder
// Transcript-Hash(Truncate(ClientHello)).
inline constexpr std::string_view binder_hash =
    "63224b2e4573f2d3454ca84b9d009a04f6be9e05711a8396473aefa01e924a14";

// rfc8448.txt line 949: PRK (32 octets), under {client} calculate PSK binder
// The PRK of the binder's finished_key: binder_key ("res binder").
inline constexpr std::string_view binder_key =
    "69fe131a3bbad5d63c64eebcc30e395b9d8107726a13d074e389dbc8a4e47256";

// rfc8448.txt line 964: expanded (32 octets), under {client} calculate PSK binder
inline constexpr std::string_view binder_finished_key =
    "5588673e72cb59c87d220caffe94f2dea9a3b1609f7d50e90a48227db9ed7eaa";

// rfc8448.txt line 967: finished (32 octets), under {client} calculate PSK binder
inline constexpr std::string_view binder =
    "3add4fb2d8fdf822a0ca3cf7678ef5e88dae990141c5924d57bb6fa31b9e5f9d";

// rfc8448.txt line 972: payload (512 octets), under {client} send handshake record
// The whole ClientHello, binders included.
inline constexpr std::string_view client_hello =
    "010001fc03031bc3ceb6bbe39cff938355b5a50adb6db21b7a6af649d7b4bc419d7876487d9500000613011303130201"
    "0001cd0000000b0009000006736572766572ff01000100000a00140012001d0017001800190100010101020103010400"
    "3300260024001d0020e4ffb68ac05f8d96c99da26698346c6be16482badddafe051a66b4f18d668f0b002a0000002b00"
    "03020304000d0020001e040305030603020308040805080604010501060102010402050206020202002d00020101001c"
    "000240010015005700000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "2900dd00b800b22c035d829359ee5ff7af4ec900000000262a6494dc486d2c8a34cb33fa90bf1b0070ad3c498883c936"
    "7c09a2be785abc55cd226097a3a982117283f82a03a143efd3ff5dd36d64e861be7fd61d2827db279cce145077d454a3"
    "664d4e6da4d29ee03725a6a4dafcd0fc67d2aea70529513e3da2677fa5906c5b3f7d8f92f228bda40dda721470f9fbf2"
    "97b5aea617646fac5c03272e970727c621a79141ef5f7de6505e5bfbc388e93343694093934ae4d357fad6aacb002120"
    "3add4fb2d8fdf822a0ca3cf7678ef5e88dae990141c5924d57bb6fa31b9e5f9d";

// rfc8448.txt line 1038: hash (32 octets), under {client} derive secret "tls13 c e traffic"
// Transcript-Hash(ClientHello).
inline constexpr std::string_view client_hello_hash =
    "08ad0fa05d7c7233b1775ba2ff9f4c5b8b59276b7f227f13a976245f5d960913";

// rfc8448.txt line 1045: expanded (32 octets), under {client} derive secret "tls13 c e traffic"
inline constexpr std::string_view client_early_traffic_secret =
    "3fbbe6a60deb66c30a32795aba0eff7eaa10105586e7be5c09678d63b6caab62";

// rfc8448.txt line 1060: expanded (32 octets), under {client} derive secret "tls13 e exp master"
inline constexpr std::string_view early_exporter_master_secret =
    "b2026866610937d7423e5be90862ccf24c0e6091186d34f812089ff5be2ef7df";

// rfc8448.txt line 1078: key expanded (16 octets),
// under {client} derive write traffic keys for early application data
inline constexpr std::string_view client_early_write_key =
    "920205a5b7bf2115e6fc5c2942834f54";

// rfc8448.txt line 1083: iv expanded (12 octets), under {client} derive write traffic keys for early application data
inline constexpr std::string_view client_early_write_iv =
    "6d475f0993c8e564610db2b9";

// rfc8448.txt line 1110: ServerHello (96 octets), under {server} construct a ServerHello handshake message
inline constexpr std::string_view server_hello =
    "0200005c03033ccfd2dec890222763472ae8136777c9d7358777bb66e91ea5122495f559ea2d00130100003400290002"
    "000000330024001d0020121761ee42c333e1b9e77b60dd57c2053cd94512ab47f115e86eff50942cea31002b00020304";

// rfc8448.txt line 1147: IKM (32 octets), under {server} extract secret "handshake"
// The IKM of the "handshake" extraction: the x25519 shared secret.
inline constexpr std::string_view ecdhe_shared_secret =
    "f44194756ff9ec9d25180635d66ea6824c6ab3bf179977be37f723570e7ccb2e";

// rfc8448.txt line 1150: secret (32 octets), under {server} extract secret "handshake"
inline constexpr std::string_view handshake_secret =
    "005cb112fd8eb4ccc623bb88a07c64b3ede1605363fc7d0df8c7ce4ff0fb4ae6";

// rfc8448.txt line 1158: hash (32 octets), under {server} derive secret "tls13 c hs traffic"
// Transcript-Hash(ClientHello, ServerHello).
inline constexpr std::string_view hello_hash =
    "f736cb34fe25e701551bee6fd24c1cc7102a7daf9405cb15d97aafe16f757d03";

// rfc8448.txt line 1165: expanded (32 octets), under {server} derive secret "tls13 c hs traffic"
inline constexpr std::string_view client_handshake_traffic_secret =
    "2faac08f851d35fea3604fcb4de82dc62c9b164a70974d0462e27f1ab278700f";

// rfc8448.txt line 1187: expanded (32 octets), under {server} derive secret "tls13 s hs traffic"
inline constexpr std::string_view server_handshake_traffic_secret =
    "fe927ae271312e8bf0275b581c54eef020450dc4ecffaa05a1a35d27518e7803";

// rfc8448.txt line 1213: secret (32 octets), under {server} extract secret "master"
inline constexpr std::string_view master_secret =
    "e2d32d4ed66dd37897a0e80c84107503ce58bf8aad4cb55a5002d77ecb890ece";

// rfc8448.txt line 1246: key expanded (16 octets), under {server} derive write traffic keys for handshake data
inline constexpr std::string_view server_handshake_write_key =
    "27c6bdc0a3dcea39a47326d79bc9e4ee";

// rfc8448.txt line 1251: iv expanded (12 octets), under {server} derive write traffic keys for handshake data
inline constexpr std::string_view server_handshake_write_iv =
    "9569ecdd4d0536705e9ef725";

// rfc8448.txt line 1255: EncryptedExtensions (44 octets),
// under {server} construct an EncryptedExtensions handshake message
inline constexpr std::string_view encrypted_extensions =
    "080000280026000a00140012001d00170018001901000101010201030104001c0002400100000000002a0000";

// rfc8448.txt line 1269: expanded (32 octets), under {server} calculate finished "tls13 finished"
inline constexpr std::string_view server_finished_key =
    "4bb74cae7a5dc8914604c0bfbe2f0c062396883922bec8a15e2a9b532a5d392c";

// rfc8448.txt line 1272: finished (32 octets), under {server} calculate finished "tls13 finished"
inline constexpr std::string_view server_verify_data =
    "48d3e0e1b3d907c6acff145e16090388c77b05c050b634ab1a88bbd0dd1a34b2";

// rfc8448.txt line 1277: Finished (36 octets), under {server} construct a Finished handshake message
inline constexpr std::string_view server_finished =
    "1400002048d3e0e1b3d907c6acff145e16090388c77b05c050b634ab1a88bbd0dd1a34b2";

// rfc8448.txt line 1315: hash (32 octets), under {server} derive secret "tls13 c ap traffic"
// Transcript-Hash(ClientHello ... server Finished).
inline constexpr std::string_view server_finished_hash =
    "b0aeffc46a2cfe33114e6fd7d51f9f04b1ca3c497dab08934a774a9d9ad7dbf3";

// rfc8448.txt line 1322: expanded (32 octets), under {server} derive secret "tls13 c ap traffic"
inline constexpr std::string_view client_application_traffic_secret =
    "2abbf2b8e381d23dbebe1dd2a7d16a8bf484cb4950d23fb7fb7fa8547062d9a1";

// rfc8448.txt line 1337: expanded (32 octets), under {server} derive secret "tls13 s ap traffic"
inline constexpr std::string_view server_application_traffic_secret =
    "cc21f1bf8feb7dd5fa505bd9c4b468a9984d554a993dc49e6d285598fb672691";

// rfc8448.txt line 1363: expanded (32 octets), under {server} derive secret "tls13 exp master"
inline constexpr std::string_view exporter_master_secret =
    "3fd93d4ffddc98e64b14dd107aedf8ee4add23f4510f58a4592d0b201bee56b4";

// rfc8448.txt line 1373: key expanded (16 octets), under {server} derive write traffic keys for application data
inline constexpr std::string_view server_application_write_key =
    "e857c690a34c5a9129d833619684f95e";

// rfc8448.txt line 1378: iv expanded (12 octets), under {server} derive write traffic keys for application data
inline constexpr std::string_view server_application_write_iv =
    "0685d6b561aab9ef1013faf9";

// rfc8448.txt line 1431: EndOfEarlyData (4 octets), under {client} construct an EndOfEarlyData handshake message
inline constexpr std::string_view end_of_early_data =
    "05000000";

// rfc8448.txt line 1447: key expanded (16 octets), under {client} derive write traffic keys for handshake data
inline constexpr std::string_view client_handshake_write_key =
    "b1530806f4adfeac83f1413032bbfa82";

// rfc8448.txt line 1452: iv expanded (12 octets), under {client} derive write traffic keys for handshake data
inline constexpr std::string_view client_handshake_write_iv =
    "eb50c16be7654abf99dd06d9";

// rfc8448.txt line 1476: expanded (32 octets), under {client} calculate finished "tls13 finished"
inline constexpr std::string_view client_finished_key =
    "5ace394c26980d581243f627d1150ae27e37fa52364e0a7f20ac686d09cd0e8e";

// rfc8448.txt line 1479: finished (32 octets), under {client} calculate finished "tls13 finished"
inline constexpr std::string_view client_verify_data =
    "7230a9c952c25cd6138fc5e6628308c41c5335dd81b9f96bcea50fd32bda416d";

// rfc8448.txt line 1484: Finished (36 octets), under {client} construct a Finished handshake message
inline constexpr std::string_view client_finished =
    "140000207230a9c952c25cd6138fc5e6628308c41c5335dd81b9f96bcea50fd32bda416d";

// rfc8448.txt line 1505: key expanded (16 octets), under {client} derive write traffic keys for application data
inline constexpr std::string_view client_application_write_key =
    "3cf122f301c6358ca7989553250efd72";

// rfc8448.txt line 1510: iv expanded (12 octets), under {client} derive write traffic keys for application data
inline constexpr std::string_view client_application_write_iv =
    "ab1aec26aa78b8fc1176b9ac";

// rfc8448.txt line 1524: hash (32 octets), under {client} derive secret "tls13 res master"
// Transcript-Hash(ClientHello ... client Finished), EndOfEarlyData included.
inline constexpr std::string_view client_finished_hash =
    "c3c122e0bd907a4a3ff6112d8fd53dbf89c773d9552e8b6b9d56d361b3a97bf6";

// rfc8448.txt line 1531: expanded (32 octets), under {client} derive secret "tls13 res master"
inline constexpr std::string_view resumption_master_secret =
    "5e95bdf1f89005ea2e9aa0ba85e728e3c19c5fe0c699e3f5bee59faebd0b5406";

}  // namespace resumed

}  // namespace dtls::tls13::rfc8448
