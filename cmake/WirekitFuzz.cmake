# SPDX-License-Identifier: Apache-2.0
# wirekit_add_decoder_fuzzer(<target> SCHEMAS <files…>)
#
# A libFuzzer executable <target> for the generated decoders of the schemas
# (clang only; built with -fsanitize=fuzzer,address,undefined). For each input
# it decodes the bytes with one schema's decode() (the first input byte picks
# the schema when there are several), formats the message as JSON (which reads
# every field and group entry), copies it through the generated encoders into a
# buffer of stale bytes, decodes that copy and checks that it gives the same
# JSON, and that copying the copy gives the same bytes. A DecodeError is a
# good answer; a crash, a sanitizer report or a difference aborts.
#
#   wirekit_add_decoder_fuzzer(orders_fuzzer SCHEMAS orders.wk)
#   # then: ./orders_fuzzer corpus/ -max_total_time=600
#
# With another compiler it does nothing but say so: fuzzing needs clang's libFuzzer.

include_guard(GLOBAL)
include("${CMAKE_CURRENT_LIST_DIR}/WirekitGenerate.cmake")

set(_WIREKIT_FUZZ_MAIN "${CMAKE_CURRENT_LIST_DIR}/WirekitDecoderFuzzer.cpp.in")

function(wirekit_add_decoder_fuzzer target)
  cmake_parse_arguments(ARG "" "" "SCHEMAS" ${ARGN})
  if(NOT ARG_SCHEMAS)
    message(FATAL_ERROR "wirekit_add_decoder_fuzzer(<target> SCHEMAS <files…>)")
  endif()
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(WARNING "wirekit: ${target} left out: fuzzers need clang (libFuzzer)")
    return()
  endif()
  # The schemas' headers, and beside them the transcoders (`generate
  # --transcoder`: the copy of a decoded message through the encoders).
  wirekit_generate(TARGET ${target}_schemas SCHEMAS ${ARG_SCHEMAS})
  set(output_dir "${CMAKE_CURRENT_BINARY_DIR}/wirekit_generated/${target}_transcode")
  file(GLOB_RECURSE compiler_files CONFIGURE_DEPENDS
    "${WIREKIT_CODEGEN_DIR}/wirekit_codegen/*.py" "${WIREKIT_CODEGEN_DIR}/wirekit_codegen/*.j2")

  set(headers)
  set(WIREKIT_FUZZ_INCLUDES "")
  set(WIREKIT_FUZZ_SCHEMAS "")
  foreach(schema IN LISTS ARG_SCHEMAS)
    get_filename_component(schema "${schema}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    get_filename_component(schema_name "${schema}" NAME)
    # The C++ namespace is the schema's package (`package demo.chat;`).
    file(STRINGS "${schema}" package_line REGEX "^[ \t]*package[ \t]+[A-Za-z0-9_.]+[ \t]*;")
    if(NOT package_line)
      message(FATAL_ERROR "wirekit_add_decoder_fuzzer: no `package` line in ${schema}")
    endif()
    list(GET package_line 0 package_line)
    string(REGEX REPLACE "^[ \t]*package[ \t]+([A-Za-z0-9_.]+).*" "\\1" package "${package_line}")
    string(REPLACE "." "::" namespace "${package}")
    set(header "${output_dir}/${schema_name}.transcode.hpp")
    add_custom_command(
      OUTPUT "${header}"
      COMMAND "${WIREKIT_PYTHON}" "${WIREKIT_CODEGEN_DIR}/wirekit.py" generate "${schema}"
              -o "${output_dir}" --transcoder --depfile "${output_dir}/${schema_name}.d"
      DEPENDS "${schema}" ${compiler_files}
      DEPFILE "${output_dir}/${schema_name}.d"
      COMMENT "wirekit: generating ${schema_name}.hpp for ${target}"
      VERBATIM)
    list(APPEND headers "${header}")
    string(APPEND WIREKIT_FUZZ_INCLUDES "#include \"${schema_name}.transcode.hpp\"\n")
    string(APPEND WIREKIT_FUZZ_SCHEMAS "    WIREKIT_FUZZ_SCHEMA(::${namespace}),  // ${schema_name}\n")
  endforeach()

  set(source "${output_dir}/${target}.cpp")
  configure_file("${_WIREKIT_FUZZ_MAIN}" "${source}" @ONLY)
  add_executable(${target} "${source}" ${headers})
  target_include_directories(${target} PRIVATE "${output_dir}")
  target_link_libraries(${target} PRIVATE ${target}_schemas)
  target_compile_options(${target} PRIVATE -fsanitize=fuzzer,address,undefined
                         -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(${target} PRIVATE -fsanitize=fuzzer,address,undefined)
endfunction()
