# Installation: headers, the library, a CMake package (find_package(dtls))
# and a pkg-config file.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)
