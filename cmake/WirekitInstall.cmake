# SPDX-License-Identifier: Apache-2.0
# Install rules: headers, the runtime library, and a CMake package so that
# find_package(wirekit) gives wirekit::runtime (and wirekit::pcap, below).
include(CMakePackageConfigHelpers)

set(WIREKIT_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/wirekit")

install(DIRECTORY runtime/include/wirekit DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(FILES "${PROJECT_BINARY_DIR}/runtime/include/wirekit/export.hpp"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/wirekit")
install(TARGETS wirekit_runtime EXPORT wirekitTargets
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(FILES LICENSE DESTINATION "${CMAKE_INSTALL_DOCDIR}")
install(EXPORT wirekitTargets NAMESPACE wirekit:: DESTINATION "${WIREKIT_INSTALL_CMAKEDIR}")
# wirekit::pcap, where libpcap was found, in an export of its own:
# wirekitConfig.cmake loads it when the consumer has libpcap too (the
# component `pcap` of find_package(wirekit)), so that one without still finds
# wirekit::runtime.
if(TARGET wirekit_pcap)
  install(TARGETS wirekit_pcap EXPORT wirekitPcapTargets
    ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
    LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}"
    INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
  install(EXPORT wirekitPcapTargets NAMESPACE wirekit:: DESTINATION "${WIREKIT_INSTALL_CMAKEDIR}")
endif()

# The schema compiler: its Python package and templates, the `wirekit` launcher,
# and wirekit_generate() (WirekitGenerate.cmake, included by wirekitConfig.cmake).
set(WIREKIT_INSTALL_CODEGENDIR "${CMAKE_INSTALL_DATADIR}/wirekit/codegen")
install(DIRECTORY codegen/wirekit_codegen DESTINATION "${WIREKIT_INSTALL_CODEGENDIR}"
  FILES_MATCHING PATTERN "*.py" PATTERN "*.j2" PATTERN "__pycache__" EXCLUDE)
install(PROGRAMS codegen/wirekit.py DESTINATION "${WIREKIT_INSTALL_CODEGENDIR}")
install(PROGRAMS codegen/bin/wirekit DESTINATION "${CMAKE_INSTALL_BINDIR}")
install(FILES cmake/WirekitGenerate.cmake cmake/WirekitWireshark.cmake DESTINATION "${WIREKIT_INSTALL_CMAKEDIR}")
install(FILES cmake/WirekitFuzz.cmake cmake/WirekitDecoderFuzzer.cpp.in
  DESTINATION "${WIREKIT_INSTALL_CMAKEDIR}")

configure_package_config_file(cmake/wirekitConfig.cmake.in
  "${CMAKE_CURRENT_BINARY_DIR}/wirekitConfig.cmake"
  INSTALL_DESTINATION "${WIREKIT_INSTALL_CMAKEDIR}"
  PATH_VARS WIREKIT_INSTALL_CODEGENDIR CMAKE_INSTALL_BINDIR)
write_basic_package_version_file("${CMAKE_CURRENT_BINARY_DIR}/wirekitConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES
  cmake/FindAsio.cmake
  "${CMAKE_CURRENT_BINARY_DIR}/wirekitConfig.cmake"
  "${CMAKE_CURRENT_BINARY_DIR}/wirekitConfigVersion.cmake"
  DESTINATION "${WIREKIT_INSTALL_CMAKEDIR}")

# wirekit.pc for builds without CMake: `pkg-config --cflags --libs wirekit`. Its
# prefix is found from the .pc file's own place, so the prefix can move.
get_target_property(wirekit_runtime_type wirekit_runtime TYPE)
set(WIREKIT_PC_CFLAGS "-DASIO_STANDALONE -pthread")
if(wirekit_runtime_type STREQUAL "STATIC_LIBRARY")
  # A static libwirekit needs zlib at the program's link; a shared one links it itself.
  set(WIREKIT_PC_REQUIRES "fmt zlib")
  set(WIREKIT_PC_REQUIRES_PRIVATE "")
  string(APPEND WIREKIT_PC_CFLAGS " -DWIREKIT_STATIC_DEFINE")
else()
  set(WIREKIT_PC_REQUIRES "fmt")
  set(WIREKIT_PC_REQUIRES_PRIVATE "zlib")
endif()
set(WIREKIT_INSTALL_PKGCONFIGDIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
file(RELATIVE_PATH WIREKIT_PC_PREFIX "/${WIREKIT_INSTALL_PKGCONFIGDIR}" "/")
string(REGEX REPLACE "/$" "" WIREKIT_PC_PREFIX "${WIREKIT_PC_PREFIX}")
configure_file(cmake/wirekit.pc.in "${CMAKE_CURRENT_BINARY_DIR}/wirekit.pc" @ONLY)
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/wirekit.pc" DESTINATION "${WIREKIT_INSTALL_PKGCONFIGDIR}")
