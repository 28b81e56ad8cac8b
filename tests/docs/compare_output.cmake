# SPDX-License-Identifier: Apache-2.0
# cmake -DPROGRAM=<program> -DEXPECTED=<file> -P compare_output.cmake
# Runs the program; fails unless it exits 0 and prints exactly the file.
execute_process(COMMAND "${PROGRAM}" OUTPUT_VARIABLE output ERROR_VARIABLE errors
  RESULT_VARIABLE status TIMEOUT 30)
file(READ "${EXPECTED}" expected)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} exited with ${status}:\n${output}${errors}")
endif()
if(NOT output STREQUAL expected)
  message(FATAL_ERROR "${PROGRAM} printed:\n${output}\n${EXPECTED} has:\n${expected}")
endif()
