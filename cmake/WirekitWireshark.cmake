# wirekit_add_wireshark_dissector(TARGET <name> SCHEMAS <files…> [PORTS <range>]
#                                 [OUTPUT_DIR <dir>] [INSTALL_DIR <dir>])
#
# Generates a Wireshark Lua dissector (<schema file name>.lua, e.g.
# trading.wk.lua) from each .wk schema (`wirekit generate --lang wireshark`);
# <name> is a target that builds them. PORTS is the TCP port range the
# dissectors claim by default (e.g. "9000,9100-9110"; Wireshark's tcp_ports
# preference changes it later). INSTALL_DIR installs them there, e.g. a
# Wireshark plugins folder. A dissector is regenerated when its schema, a
# schema it imports, a template or the compiler changes.
#
# Needs wirekit_generate's compiler and Python (WirekitGenerate.cmake).

include_guard(GLOBAL)
include("${CMAKE_CURRENT_LIST_DIR}/WirekitGenerate.cmake")

function(wirekit_add_wireshark_dissector)
  cmake_parse_arguments(ARG "" "TARGET;OUTPUT_DIR;INSTALL_DIR;PORTS" "SCHEMAS" ${ARGN})
  if(NOT ARG_TARGET OR NOT ARG_SCHEMAS)
    message(FATAL_ERROR "wirekit_add_wireshark_dissector(TARGET <name> SCHEMAS <files…> [PORTS <range>] "
                        "[OUTPUT_DIR <dir>] [INSTALL_DIR <dir>])")
  endif()
  _wirekit_find_python()
  if(NOT ARG_OUTPUT_DIR)
    set(ARG_OUTPUT_DIR "${CMAKE_CURRENT_BINARY_DIR}/wirekit_wireshark/${ARG_TARGET}")
  endif()
  get_filename_component(output_dir "${ARG_OUTPUT_DIR}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
  set(ports)
  if(ARG_PORTS)
    set(ports --ports "${ARG_PORTS}")
  endif()
  file(GLOB_RECURSE compiler_files CONFIGURE_DEPENDS
    "${WIREKIT_CODEGEN_DIR}/wirekit_codegen/*.py" "${WIREKIT_CODEGEN_DIR}/wirekit_codegen/*.j2")

  set(dissectors)
  foreach(schema IN LISTS ARG_SCHEMAS)
    get_filename_component(schema "${schema}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    get_filename_component(schema_name "${schema}" NAME)
    set(dissector "${output_dir}/${schema_name}.lua")
    set(depfile "${output_dir}/${schema_name}.lua.d")
    add_custom_command(
      OUTPUT "${dissector}"
      COMMAND "${WIREKIT_PYTHON}" "${WIREKIT_CODEGEN_DIR}/wirekit.py" generate --lang wireshark "${schema}"
              -o "${output_dir}" --depfile "${depfile}" ${ports}
      DEPENDS "${schema}" ${compiler_files}
      DEPFILE "${depfile}"
      COMMENT "wirekit: generating the Wireshark dissector ${schema_name}.lua"
      VERBATIM)
    list(APPEND dissectors "${dissector}")
  endforeach()

  add_custom_target(${ARG_TARGET} ALL DEPENDS ${dissectors})
  if(ARG_INSTALL_DIR)
    install(FILES ${dissectors} DESTINATION "${ARG_INSTALL_DIR}")
  endif()
endfunction()
