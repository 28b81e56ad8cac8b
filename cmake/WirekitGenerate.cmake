# SPDX-License-Identifier: Apache-2.0
# wirekit_generate(TARGET <name> | APPEND_TO <target>
#                  SCHEMAS <files…>
#                  [IMPORT_DIRS <dirs…>] [OUTPUT_DIR <dir>] [LANGUAGES <language>…])
#
# Generates code from .wk schemas with the compiler wirekit::wirekit, the way
# protobuf_generate() and flatbuffers_generate_headers() do:
#   TARGET <name>      makes <name> an INTERFACE library whose include path holds
#                      the generated headers and which links wirekit::runtime;
#   APPEND_TO <target> instead gives an existing target that include path, the
#                      link to wirekit::runtime and a dependency on the generation;
#   IMPORT_DIRS        where relative imports are looked for after the importing
#                      file's own directory (the compiler's -I), relative to the
#                      current source directory;
#   OUTPUT_DIR         where the files go (default:
#                      ${CMAKE_CURRENT_BINARY_DIR}/wirekit_generated/<name>);
#   LANGUAGES          the back ends to run (default: cpp), each writing
#                      <schema file name><suffix>, e.g. car.wk.hpp.
# A file is regenerated when its schema, a schema it imports, a template or the
# compiler changes: the compiler writes the list of those files as a depfile.
#
# Works from wirekit's own build, from add_subdirectory(wirekit), and from an
# installed wirekit found with find_package(wirekit). The compiler is the
# imported executable wirekit::wirekit (define it before this file is included
# to use another one); it runs with WIREKIT_PYTHON (cache), a Python 3 with
# Jinja2 found by trying `import jinja2`.

include_guard(GLOBAL)

# Where the compiler is: in the source tree next to this file, or where an
# installed wirekitConfig.cmake says (it sets WIREKIT_CODEGEN_DIR and defines
# wirekit::wirekit first).
if(EXISTS "${CMAKE_CURRENT_LIST_DIR}/../codegen/wirekit.py")
  get_filename_component(WIREKIT_CODEGEN_DIR "${CMAKE_CURRENT_LIST_DIR}/../codegen" ABSOLUTE)
  if(NOT TARGET wirekit::wirekit)
    # GLOBAL: seen by the parent project of an add_subdirectory(wirekit).
    add_executable(wirekit::wirekit IMPORTED GLOBAL)
    set_target_properties(wirekit::wirekit PROPERTIES IMPORTED_LOCATION "${WIREKIT_CODEGEN_DIR}/bin/wirekit")
  endif()
elseif(NOT WIREKIT_CODEGEN_DIR OR NOT EXISTS "${WIREKIT_CODEGEN_DIR}/wirekit.py")
  message(FATAL_ERROR "wirekit: the schema compiler is not at '${WIREKIT_CODEGEN_DIR}'")
endif()
if(NOT TARGET wirekit::wirekit)
  message(FATAL_ERROR "wirekit: no wirekit::wirekit target for the schema compiler")
endif()
set(WIREKIT_CODEGEN_DIR "${WIREKIT_CODEGEN_DIR}" CACHE INTERNAL "wirekit's schema compiler")

function(_wirekit_find_python)
  if(WIREKIT_PYTHON)
    return()
  endif()
  set(candidates /usr/bin/python3)
  find_program(_wirekit_python3 NAMES python3)
  if(_wirekit_python3)
    list(APPEND candidates "${_wirekit_python3}")
  endif()
  foreach(candidate IN LISTS candidates)
    if(EXISTS "${candidate}")
      execute_process(COMMAND "${candidate}" -c "import jinja2"
        RESULT_VARIABLE result OUTPUT_QUIET ERROR_QUIET)
      if(result EQUAL 0)
        set(WIREKIT_PYTHON "${candidate}" CACHE FILEPATH "Python 3 with Jinja2 for the wirekit schema compiler")
        return()
      endif()
    endif()
  endforeach()
  message(FATAL_ERROR "wirekit: no Python 3 with Jinja2 found; install python3-jinja2 or set WIREKIT_PYTHON")
endfunction()

# The -I arguments of the compiler for import directories (relative to the
# current source directory), in <out_var>.
function(_wirekit_import_args out_var)
  set(args)
  foreach(dir IN LISTS ARGN)
    get_filename_component(dir "${dir}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND args -I "${dir}")
  endforeach()
  set(${out_var} "${args}" PARENT_SCOPE)
endfunction()

# The rule that runs `wirekit generate --lang <language>` on a schema into
# <output_dir>, its file being <schema file name><suffix> (in <out_var>); the
# rest of the arguments go to the compiler (-I DIR, --ports RANGE). It runs
# again when the schema, a schema it imports, a template or the compiler
# changes: the compiler writes those files as a depfile.
function(_wirekit_generate_command out_var language suffix schema output_dir)
  get_filename_component(schema "${schema}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  get_filename_component(schema_name "${schema}" NAME)
  set(output "${output_dir}/${schema_name}${suffix}")
  file(GLOB_RECURSE compiler_files CONFIGURE_DEPENDS
    "${WIREKIT_CODEGEN_DIR}/wirekit_codegen/*.py" "${WIREKIT_CODEGEN_DIR}/wirekit_codegen/*.j2")
  add_custom_command(
    OUTPUT "${output}"
    COMMAND "${CMAKE_COMMAND}" -E env "WIREKIT_PYTHON=${WIREKIT_PYTHON}"
            "$<TARGET_FILE:wirekit::wirekit>" generate --lang ${language} ${ARGN} "${schema}"
            -o "${output_dir}" --depfile "${output}.d"
    DEPENDS "${schema}" ${compiler_files}
    DEPFILE "${output}.d"
    COMMENT "wirekit: generating ${schema_name}${suffix}"
    VERBATIM)
  set(${out_var} "${output}" PARENT_SCOPE)
endfunction()

function(wirekit_generate)
  set(usage "wirekit_generate(TARGET <name> | APPEND_TO <target> SCHEMAS <files…> [IMPORT_DIRS <dirs…>] [OUTPUT_DIR <dir>] [LANGUAGES <languages…>])")
  cmake_parse_arguments(ARG "" "TARGET;APPEND_TO;OUTPUT_DIR" "SCHEMAS;IMPORT_DIRS;LANGUAGES" ${ARGN})
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "wirekit_generate: unknown arguments ${ARG_UNPARSED_ARGUMENTS}\n${usage}")
  endif()
  if(NOT ARG_SCHEMAS OR (ARG_TARGET AND ARG_APPEND_TO) OR (NOT ARG_TARGET AND NOT ARG_APPEND_TO))
    message(FATAL_ERROR "${usage}")
  endif()
  if(ARG_APPEND_TO AND NOT TARGET "${ARG_APPEND_TO}")
    message(FATAL_ERROR "wirekit_generate: APPEND_TO ${ARG_APPEND_TO} is not a target")
  endif()
  if(NOT ARG_LANGUAGES)
    set(ARG_LANGUAGES cpp)
  endif()
  # The file a back end writes for a schema, after the schema's file name (as
  # emit/<language>.py names it). Here, not at file scope: a caller of
  # add_subdirectory(wirekit) does not see wirekit's directory variables.
  set(suffix_cpp ".hpp")
  set(suffix_ts ".ts")
  _wirekit_find_python()

  if(ARG_TARGET)
    set(name "${ARG_TARGET}")
  else()
    # A target may take the code of several calls: number its generation targets.
    get_property(count GLOBAL PROPERTY _WIREKIT_GENERATE_COUNT)
    math(EXPR count "${count} + 1")
    set_property(GLOBAL PROPERTY _WIREKIT_GENERATE_COUNT "${count}")
    set(name "${ARG_APPEND_TO}_${count}")
  endif()
  if(NOT ARG_OUTPUT_DIR)
    set(ARG_OUTPUT_DIR "${CMAKE_CURRENT_BINARY_DIR}/wirekit_generated/${name}")
  endif()
  get_filename_component(output_dir "${ARG_OUTPUT_DIR}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
  _wirekit_import_args(import_args ${ARG_IMPORT_DIRS})

  set(outputs)
  foreach(language IN LISTS ARG_LANGUAGES)
    if(NOT DEFINED suffix_${language})
      message(FATAL_ERROR "wirekit_generate: unknown language '${language}'")
    endif()
    foreach(schema IN LISTS ARG_SCHEMAS)
      _wirekit_generate_command(output ${language} ${suffix_${language}} "${schema}" "${output_dir}"
                                ${import_args})
      list(APPEND outputs "${output}")
    endforeach()
  endforeach()
  add_custom_target(${name}_wirekit_generate DEPENDS ${outputs})

  if(ARG_TARGET)
    add_library(${ARG_TARGET} INTERFACE)
    target_include_directories(${ARG_TARGET} INTERFACE "$<BUILD_INTERFACE:${output_dir}>")
    if(TARGET wirekit::runtime)
      target_link_libraries(${ARG_TARGET} INTERFACE wirekit::runtime)
    endif()
    add_dependencies(${ARG_TARGET} ${name}_wirekit_generate)
    return()
  endif()

  # Through the properties rather than target_link_libraries(), which refuses to
  # mix its keyword and plain forms on one target.
  get_target_property(type ${ARG_APPEND_TO} TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    set(scope INTERFACE)
  else()
    set(scope PUBLIC)
    set_property(TARGET ${ARG_APPEND_TO} APPEND PROPERTY LINK_LIBRARIES wirekit::runtime)
  endif()
  target_include_directories(${ARG_APPEND_TO} ${scope} "$<BUILD_INTERFACE:${output_dir}>")
  set_property(TARGET ${ARG_APPEND_TO} APPEND PROPERTY INTERFACE_LINK_LIBRARIES wirekit::runtime)
  add_dependencies(${ARG_APPEND_TO} ${name}_wirekit_generate)
  get_target_property(target_dir ${ARG_APPEND_TO} SOURCE_DIR)
  if(target_dir STREQUAL CMAKE_CURRENT_SOURCE_DIR AND NOT scope STREQUAL "INTERFACE")
    # The headers among its sources (for IDEs), where CMake knows their rule.
    target_sources(${ARG_APPEND_TO} PRIVATE ${outputs})
  endif()
endfunction()
