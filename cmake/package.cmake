# The Debian package: `cpack -G DEB` in a build tree (docs/getting-started.md,
# "A Debian package").
# One package, named dtls, holding everything `cmake --install` puts in the
# install tree: the shared libraries, the headers, the CMake and pkg-config
# files, the `dtls` command and its man page, README and CHANGELOG.
# tests/package/deb_check.sh builds it and uses it as a user would.
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/CHANGELOG.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_PACKAGE_NAME dtls)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "dtls developers")
set(CPACK_PACKAGE_CONTACT "dtls developers <dtls@invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "sans-I/O DTLS 1.2 and 1.3 engine for C++20, SSPI-style C API and dtls tool")
set(CPACK_PACKAGE_DESCRIPTION
    "dtls takes UDP datagrams in and gives datagrams out, with the time passed in and timers reported out:\n"
    "it never touches a socket or a clock. It offers a C++20 API, a C API with the Windows Schannel SSPI\n"
    "names and codes, and the dtls command-line tool (demo, client, server).")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES TRUE)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
# Dependencies come from what the binaries actually link (libssl3 for
# libcrypto, libc6, libstdc++6, libgcc-s1), read by dpkg-shlibdeps.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# A shlibs file so that other packages' dpkg-shlibdeps can depend on this one.
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
include(CPack)
