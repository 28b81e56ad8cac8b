# SPDX-License-Identifier: Apache-2.0
# wirekit_add_wireshark_dissector(TARGET <name> SCHEMAS <files…> [IMPORT_DIRS <dirs…>]
#                                 [PORTS <range>] [OUTPUT_DIR <dir>] [INSTALL_DIR <dir>])
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
  set(usage "wirekit_add_wireshark_dissector(TARGET <name> SCHEMAS <files…> [IMPORT_DIRS <dirs…>] "
            "[PORTS <range>] [OUTPUT_DIR <dir>] [INSTALL_DIR <dir>])")
  cmake_parse_arguments(ARG "" "TARGET;OUTPUT_DIR;INSTALL_DIR;PORTS" "SCHEMAS;IMPORT_DIRS" ${ARGN})
  if(NOT ARG_TARGET OR NOT ARG_SCHEMAS OR ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR ${usage})
  endif()
  _wirekit_find_python()
  if(NOT ARG_OUTPUT_DIR)
    set(ARG_OUTPUT_DIR "${CMAKE_CURRENT_BINARY_DIR}/wirekit_wireshark/${ARG_TARGET}")
  endif()
  get_filename_component(output_dir "${ARG_OUTPUT_DIR}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
  _wirekit_import_args(arguments ${ARG_IMPORT_DIRS})
  if(ARG_PORTS)
    list(APPEND arguments --ports "${ARG_PORTS}")
  endif()

  set(dissectors)
  foreach(schema IN LISTS ARG_SCHEMAS)
    _wirekit_generate_command(dissector wireshark .lua "${schema}" "${output_dir}" ${arguments})
    list(APPEND dissectors "${dissector}")
  endforeach()

  add_custom_target(${ARG_TARGET} ALL DEPENDS ${dissectors})
  if(ARG_INSTALL_DIR)
    install(FILES ${dissectors} DESTINATION "${ARG_INSTALL_DIR}")
  endif()
endfunction()
