# SPDX-License-Identifier: Apache-2.0
# Builds tests/consumer against wirekit and runs it. Run with cmake -P and:
#   MODE  installed: install wirekit's own (static) build into a prefix, then
#           build the consumer with find_package, and pkg_config_main.cpp with
#           `pkg-config --cflags --libs wirekit`; no part of wirekit is compiled again.
#         subdirectory: build the consumer with add_subdirectory of the source
#           tree and BUILD_SHARED_LIBS=ON (only the runtime, as a unity build,
#           and the consumer),
#           check the SONAME and the exported symbols, install that build into
#           a prefix and build the consumer against the installed shared wirekit.
#   WIREKIT_SOURCE_DIR, WIREKIT_BINARY_DIR, WORK_DIR, CXX_COMPILER, CXX_FLAGS
#   JOBS  parallel build jobs (default: $WIREKIT_JOBS, else the number of cores)
# Each form of wirekit_generate() is in tests/consumer/CMakeLists.txt.
cmake_minimum_required(VERSION 3.25)

# The byte layer's line; Hello: 8-byte header, u32 + u8 block, u8-length string
# (1 + 8 bytes); Goodbye: header and a u16; then the exception from the library.
set(expected [=[<Buffer ca fe f0 0d 34 12 00 00> ok
{"Hello":{"sequence":7,"mood":"happy","who":"consumer"}} (22 bytes)
{"Goodbye":{"code":200}} (10 bytes)
RangeError caught
tls ok]=])
file(REMOVE_RECURSE "${WORK_DIR}")
if(NOT JOBS AND DEFINED ENV{WIREKIT_JOBS})
  set(JOBS "$ENV{WIREKIT_JOBS}")
elseif(NOT JOBS)
  cmake_host_system_information(RESULT JOBS QUERY NUMBER_OF_LOGICAL_CORES)
endif()

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE output
                  ERROR_VARIABLE output)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "failed (${status}): ${ARGN}\n${output}")
  endif()
  set(output "${output}" PARENT_SCOPE)
endfunction()

# Runs a consumer program and compares what it prints with the expected text.
function(check_program program what)
  run("${program}")
  string(STRIP "${output}" output)
  if(NOT output STREQUAL expected)
    message(FATAL_ERROR "${what}: consumer printed\n${output}\nexpected\n${expected}")
  endif()
  message(STATUS "${what}: ok")
endfunction()

# Configures, builds and runs the consumer project in <build>.
function(build_consumer build what)
  run("${CMAKE_COMMAND}" -S "${WIREKIT_SOURCE_DIR}/tests/consumer" -B "${build}" -G Ninja
      "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}" "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}"
      "-DCMAKE_EXE_LINKER_FLAGS=${CXX_FLAGS}" "-DCMAKE_SHARED_LINKER_FLAGS=${CXX_FLAGS}" ${ARGN})
  run("${CMAKE_COMMAND}" --build "${build}" --parallel ${JOBS})
  check_program("${build}/consumer" "${what}")
  # The compiler that wirekit_generate() ran: the imported executable wirekit::wirekit.
  file(READ "${build}/wirekit_compiler.txt" compiler)
  run("${compiler}" --version)
  if(NOT output MATCHES "^wirekit [0-9]+\\.[0-9]+\\.[0-9]+\n$")
    message(FATAL_ERROR "${what}: wirekit::wirekit (${compiler}) --version printed '${output}'")
  endif()
  set(compiler "${compiler}" PARENT_SCOPE)
endfunction()

# wirekit::pcap: built and working wherever the installed prefix exports it.
function(check_pcap prefix build what)
  file(GLOB_RECURSE pcap_targets "${prefix}/*/wirekitPcapTargets.cmake")
  if(NOT pcap_targets)
    message(STATUS "${what}: no wirekit::pcap installed (wirekit built without libpcap)")
    return()
  endif()
  if(NOT EXISTS "${build}/consumer_pcap")
    message(FATAL_ERROR "${what}: wirekit::pcap is installed but find_package(wirekit) did not give it")
  endif()
  run("${build}/consumer_pcap" "${build}/consumer.pcap")
  if(NOT output STREQUAL "pcap ok\n")
    message(FATAL_ERROR "${what}: consumer_pcap printed '${output}'")
  endif()
  message(STATUS "${what}, wirekit::pcap: ok")
endfunction()

if(MODE STREQUAL "installed")
  set(prefix "${WORK_DIR}/prefix")
  run("${CMAKE_COMMAND}" --install "${WIREKIT_BINARY_DIR}" --prefix "${prefix}")
  foreach(installed share/doc/wirekit/LICENSE include/wirekit/export.hpp bin/wirekit)
    if(NOT EXISTS "${prefix}/${installed}")
      message(FATAL_ERROR "not installed: ${installed}")
    endif()
  endforeach()

  build_consumer("${WORK_DIR}/build" "find_package, static" "-DCMAKE_PREFIX_PATH=${prefix}")
  check_pcap("${prefix}" "${WORK_DIR}/build" "find_package, static")
  if(NOT compiler STREQUAL "${prefix}/bin/wirekit")
    message(FATAL_ERROR "wirekit::wirekit is ${compiler}, not the installed ${prefix}/bin/wirekit")
  endif()

  # Without CMake: a small program with pkg-config's flags alone.
  file(GLOB_RECURSE pc_files "${prefix}/*/wirekit.pc")
  if(NOT pc_files)
    message(FATAL_ERROR "wirekit.pc is not installed")
  endif()
  list(GET pc_files 0 pc_file)
  get_filename_component(pc_dir "${pc_file}" DIRECTORY)
  set(ENV{PKG_CONFIG_PATH} "${pc_dir}")
  run(pkg-config --cflags --libs wirekit)
  separate_arguments(pc_flags UNIX_COMMAND "${output}")
  separate_arguments(extra_flags UNIX_COMMAND "${CXX_FLAGS}")
  run("${CXX_COMPILER}" -std=c++20 ${extra_flags} "${WIREKIT_SOURCE_DIR}/tests/consumer/pkg_config_main.cpp"
      -o "${WORK_DIR}/pkg_config_main" ${pc_flags})
  run("${WORK_DIR}/pkg_config_main")
  message(STATUS "pkg-config, static: ok")
elseif(MODE STREQUAL "subdirectory")
  # A unity build: the runtime's sources compile in batches, in 2.4 times less CPU
  # time; wirekit's own build compiles each of them alone.
  build_consumer("${WORK_DIR}/build" "add_subdirectory, shared"
                 "-DWIREKIT_SOURCE_DIR=${WIREKIT_SOURCE_DIR}" -DBUILD_SHARED_LIBS=ON -DCMAKE_UNITY_BUILD=ON)
  set(library "${WORK_DIR}/build/wirekit/runtime/libwirekit.so")
  run(readelf -d "${library}")
  if(NOT output MATCHES "Library soname: \\[libwirekit\\.so\\.[0-9]+\\.[0-9]+\\]")
    message(FATAL_ERROR "libwirekit.so has no SONAME libwirekit.so.<major>.<minor>:\n${output}")
  endif()
  # The public API is exported; what the library keeps to itself is not.
  run(nm -D -C --defined-only "${library}")
  foreach(exported "wirekit::Buffer::from(" "typeinfo for wirekit::RangeError" "wirekit::events::data")
    string(FIND "${output}" "${exported}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "libwirekit.so does not export ${exported}")
    endif()
  endforeach()
  string(FIND "${output}" "wirekit::detail::errnoName" at)
  if(NOT at EQUAL -1)
    message(FATAL_ERROR "libwirekit.so exports its internal wirekit::detail::errnoName")
  endif()

  # The same shared build, installed.
  set(prefix "${WORK_DIR}/prefix")
  run("${CMAKE_COMMAND}" --install "${WORK_DIR}/build" --prefix "${prefix}")
  # wirekit_add_wireshark_dissector: built with the project, installed to INSTALL_DIR.
  set(dissector "${prefix}/wireshark/plugins/hello.wk.lua")
  if(NOT EXISTS "${dissector}")
    message(FATAL_ERROR "the Wireshark dissector was not installed to ${dissector}")
  endif()
  file(READ "${dissector}" lua)
  string(FIND "${lua}" "Pref.range(\"TCP ports\", \"9100-9101\"" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${dissector} does not claim the PORTS given (9100-9101)")
  endif()
  build_consumer("${WORK_DIR}/installed" "find_package, shared" "-DCMAKE_PREFIX_PATH=${prefix}")
  check_pcap("${prefix}" "${WORK_DIR}/installed" "find_package, shared")
else()
  message(FATAL_ERROR "MODE must be installed or subdirectory, not '${MODE}'")
endif()
