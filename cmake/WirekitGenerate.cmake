# wirekit_generate(TARGET <name> SCHEMAS <files…> [OUTPUT_DIR <dir>])
#
# Generates a C++ header (<schema file name>.hpp, e.g. car.wk.hpp) from each .wk
# schema and makes <name> an INTERFACE library whose include path holds them and
# which links wirekit::runtime. A header is regenerated when its schema, a schema
# it imports, a template or the compiler changes: the compiler writes the list of
# those files as a depfile.
#
# Works from wirekit's own build, from add_subdirectory(wirekit), and from an
# installed wirekit found with find_package(wirekit).
#
# WIREKIT_PYTHON (cache): a Python 3 with Jinja2, found by trying `import jinja2`.

include_guard(GLOBAL)

# Where the compiler is: in the source tree next to this file, or where an
# installed wirekitConfig.cmake says (it sets WIREKIT_CODEGEN_DIR first).
if(EXISTS "${CMAKE_CURRENT_LIST_DIR}/../codegen/wirekit.py")
  get_filename_component(WIREKIT_CODEGEN_DIR "${CMAKE_CURRENT_LIST_DIR}/../codegen" ABSOLUTE)
elseif(NOT WIREKIT_CODEGEN_DIR OR NOT EXISTS "${WIREKIT_CODEGEN_DIR}/wirekit.py")
  message(FATAL_ERROR "wirekit: the schema compiler is not at '${WIREKIT_CODEGEN_DIR}'")
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

function(wirekit_generate)
  cmake_parse_arguments(ARG "" "TARGET;OUTPUT_DIR" "SCHEMAS" ${ARGN})
  if(NOT ARG_TARGET OR NOT ARG_SCHEMAS)
    message(FATAL_ERROR "wirekit_generate(TARGET <name> SCHEMAS <files…> [OUTPUT_DIR <dir>])")
  endif()
  _wirekit_find_python()
  if(NOT ARG_OUTPUT_DIR)
    set(ARG_OUTPUT_DIR "${CMAKE_CURRENT_BINARY_DIR}/wirekit_generated/${ARG_TARGET}")
  endif()
  get_filename_component(output_dir "${ARG_OUTPUT_DIR}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
  file(GLOB_RECURSE compiler_files CONFIGURE_DEPENDS
    "${WIREKIT_CODEGEN_DIR}/wirekit_codegen/*.py" "${WIREKIT_CODEGEN_DIR}/wirekit_codegen/*.j2")

  set(headers)
  foreach(schema IN LISTS ARG_SCHEMAS)
    get_filename_component(schema "${schema}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    get_filename_component(schema_name "${schema}" NAME)
    set(header "${output_dir}/${schema_name}.hpp")
    set(depfile "${output_dir}/${schema_name}.d")
    add_custom_command(
      OUTPUT "${header}"
      COMMAND "${WIREKIT_PYTHON}" "${WIREKIT_CODEGEN_DIR}/wirekit.py" generate "${schema}"
              -o "${output_dir}" --depfile "${depfile}"
      DEPENDS "${schema}" ${compiler_files}
      DEPFILE "${depfile}"
      COMMENT "wirekit: generating ${schema_name}.hpp"
      VERBATIM)
    list(APPEND headers "${header}")
  endforeach()

  add_custom_target(${ARG_TARGET}_wirekit_generate DEPENDS ${headers})
  add_library(${ARG_TARGET} INTERFACE)
  target_include_directories(${ARG_TARGET} INTERFACE "${output_dir}")
  if(TARGET wirekit::runtime)
    target_link_libraries(${ARG_TARGET} INTERFACE wirekit::runtime)
  endif()
  add_dependencies(${ARG_TARGET} ${ARG_TARGET}_wirekit_generate)
endfunction()
