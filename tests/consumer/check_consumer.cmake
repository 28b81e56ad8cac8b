# Builds tests/consumer against wirekit and runs it. Run with cmake -P and:
#   MODE            installed (install the build into a prefix, then find_package)
#                   or subdirectory (add_subdirectory of the source tree)
#   WIREKIT_SOURCE_DIR, WIREKIT_BINARY_DIR, WORK_DIR, CXX_COMPILER, CXX_FLAGS
cmake_minimum_required(VERSION 3.25)

# The Hello message: 8-byte header, u32 block, u8-length string (1 + 8 bytes).
set(expected "<Buffer ca fe f0 0d 34 12 00 00> ok\n{\"Hello\":{\"sequence\":7,\"who\":\"consumer\"}} (21 bytes)")
file(REMOVE_RECURSE "${WORK_DIR}")

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE output
                  ERROR_VARIABLE output)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "failed (${status}): ${ARGN}\n${output}")
  endif()
  set(output "${output}" PARENT_SCOPE)
endfunction()

set(configure_args
  -S "${WIREKIT_SOURCE_DIR}/tests/consumer" -B "${WORK_DIR}/build" -G Ninja
  "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}" "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}"
  "-DCMAKE_EXE_LINKER_FLAGS=${CXX_FLAGS}")
if(MODE STREQUAL "installed")
  run("${CMAKE_COMMAND}" --install "${WIREKIT_BINARY_DIR}" --prefix "${WORK_DIR}/prefix")
  list(APPEND configure_args "-DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix")
elseif(MODE STREQUAL "subdirectory")
  list(APPEND configure_args "-DWIREKIT_SOURCE_DIR=${WIREKIT_SOURCE_DIR}")
else()
  message(FATAL_ERROR "MODE must be installed or subdirectory, not '${MODE}'")
endif()

run("${CMAKE_COMMAND}" ${configure_args})
run("${CMAKE_COMMAND}" --build "${WORK_DIR}/build")
run("${WORK_DIR}/build/consumer")
string(STRIP "${output}" output)
if(NOT output STREQUAL expected)
  message(FATAL_ERROR "consumer printed '${output}', expected '${expected}'")
endif()
message(STATUS "consumer (${MODE}) printed: ${output}")

# wirekit_add_wireshark_dissector: built with the project, installed to INSTALL_DIR.
run("${CMAKE_COMMAND}" --install "${WORK_DIR}/build" --prefix "${WORK_DIR}/consumer-prefix")
set(dissector "${WORK_DIR}/consumer-prefix/wireshark/plugins/hello.wk.lua")
if(NOT EXISTS "${dissector}")
  message(FATAL_ERROR "the Wireshark dissector was not installed to ${dissector}")
endif()
file(READ "${dissector}" lua)
string(FIND "${lua}" "Pref.range(\"TCP ports\", \"9100-9101\"" at)
if(at EQUAL -1)
  message(FATAL_ERROR "${dissector} does not claim the PORTS given (9100-9101)")
endif()
