# Installation: headers, the library, a CMake package (find_package(dtls)
# giving dtls::dtls) and a pkg-config file (dtls.pc).
#
# The library is assembled from per-layer OBJECT libraries through
# $<TARGET_OBJECTS:...> sources, so `dtls` does not link them as targets and
# the export set needs only `dtls` itself (and `dtls_sspi`, exported as
# dtls::sspi, which links it). If the layers are ever linked with
# target_link_libraries instead, they must join the export set too.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(DTLS_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/dtls)

# What a consumer needs of OpenSSL depends on whether libdtls is static
# (below: the pkg-config file and the CMake package).
get_target_property(dtls_type dtls TYPE)
if(dtls_type STREQUAL "STATIC_LIBRARY")
    set(DTLS_PC_REQUIRES "Requires: libcrypto >= 3.0")
    set(DTLS_PACKAGE_NEEDS_OPENSSL TRUE)
else()
    set(DTLS_PC_REQUIRES "")
    set(DTLS_PACKAGE_NEEDS_OPENSSL FALSE)
endif()

install(TARGETS dtls dtls_sspi
    EXPORT dtlsTargets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
    INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

# include/dtls/ holds public headers only; internal headers live under src/.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/dtls
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
    FILES_MATCHING PATTERN "*.hpp" PATTERN "*.h")

install(EXPORT dtlsTargets
    NAMESPACE dtls::
    DESTINATION ${DTLS_INSTALL_CMAKEDIR})

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/dtlsConfig.cmake.in
    ${PROJECT_BINARY_DIR}/dtlsConfig.cmake
    INSTALL_DESTINATION ${DTLS_INSTALL_CMAKEDIR})
# Before 1.0 a minor release may break the API, so only the same minor matches.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/dtlsConfigVersion.cmake
    COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/dtlsConfig.cmake ${PROJECT_BINARY_DIR}/dtlsConfigVersion.cmake
    DESTINATION ${DTLS_INSTALL_CMAKEDIR})

# pkg-config. The prefix is found relative to the .pc file so that an install
# with `cmake --install --prefix <dir>` (or DESTDIR) is still correct.
# A static libdtls needs libcrypto on every consumer's link line, so it goes in
# Requires. A shared libdtls records libcrypto itself and nothing of OpenSSL
# reaches the public headers, so it requires nothing: even Requires.private
# would make `pkg-config --cflags dtls` fail on a machine without libssl-dev.
set(DTLS_PC_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
file(RELATIVE_PATH DTLS_PC_PREFIX_FROM_PCDIR /prefix/${DTLS_PC_INSTALL_DIR} /prefix)
string(REGEX REPLACE "/$" "" DTLS_PC_PREFIX_FROM_PCDIR "${DTLS_PC_PREFIX_FROM_PCDIR}")
foreach(dir IN ITEMS LIBDIR INCLUDEDIR)
    if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
        set(DTLS_PC_${dir} "${CMAKE_INSTALL_${dir}}")
    else()
        set(DTLS_PC_${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
    endif()
endforeach()
configure_file(${CMAKE_CURRENT_LIST_DIR}/dtls.pc.in ${PROJECT_BINARY_DIR}/dtls.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/dtls.pc DESTINATION ${DTLS_PC_INSTALL_DIR})
