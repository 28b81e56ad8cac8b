# Install rules: headers, the runtime library, and a CMake package so that
# find_package(wirekit) gives wirekit::runtime.
include(CMakePackageConfigHelpers)

set(WIREKIT_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/wirekit")

install(DIRECTORY runtime/include/wirekit DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(TARGETS wirekit_runtime EXPORT wirekitTargets
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(EXPORT wirekitTargets NAMESPACE wirekit:: DESTINATION "${WIREKIT_INSTALL_CMAKEDIR}")

# The schema compiler: its Python package and templates, the `wirekit` launcher,
# and wirekit_generate() (WirekitGenerate.cmake, included by wirekitConfig.cmake).
set(WIREKIT_INSTALL_CODEGENDIR "${CMAKE_INSTALL_DATADIR}/wirekit/codegen")
install(DIRECTORY codegen/wirekit_codegen DESTINATION "${WIREKIT_INSTALL_CODEGENDIR}"
  FILES_MATCHING PATTERN "*.py" PATTERN "*.j2" PATTERN "__pycache__" EXCLUDE)
install(PROGRAMS codegen/wirekit.py DESTINATION "${WIREKIT_INSTALL_CODEGENDIR}")
install(PROGRAMS codegen/bin/wirekit DESTINATION "${CMAKE_INSTALL_BINDIR}")
install(FILES cmake/WirekitGenerate.cmake cmake/WirekitWireshark.cmake DESTINATION "${WIREKIT_INSTALL_CMAKEDIR}")

configure_package_config_file(cmake/wirekitConfig.cmake.in
  "${CMAKE_CURRENT_BINARY_DIR}/wirekitConfig.cmake"
  INSTALL_DESTINATION "${WIREKIT_INSTALL_CMAKEDIR}"
  PATH_VARS WIREKIT_INSTALL_CODEGENDIR)
write_basic_package_version_file("${CMAKE_CURRENT_BINARY_DIR}/wirekitConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES
  cmake/FindAsio.cmake
  "${CMAKE_CURRENT_BINARY_DIR}/wirekitConfig.cmake"
  "${CMAKE_CURRENT_BINARY_DIR}/wirekitConfigVersion.cmake"
  DESTINATION "${WIREKIT_INSTALL_CMAKEDIR}")
