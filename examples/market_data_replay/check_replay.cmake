# SPDX-License-Identifier: Apache-2.0
# cmake -DGENERATE=<generate_capture> -DREPLAY=<replay> -DWORK=<dir> [-DARGS=...] -P check_replay.cmake
# Records a capture, replays it, and fails unless the replay prints the summary
# the generator wrote (everything but the rate line, which varies).
file(MAKE_DIRECTORY "${WORK}")
execute_process(COMMAND "${GENERATE}" --out "${WORK}/feed.pcap" --expected "${WORK}/expected.txt" ${ARGS}
  RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE errors TIMEOUT 60)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "generate_capture exited with ${status}:\n${output}${errors}")
endif()
execute_process(COMMAND "${REPLAY}" --capture "${WORK}/feed.pcap" --port 14310
  RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE errors TIMEOUT 60)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "replay exited with ${status}:\n${output}${errors}")
endif()
if(NOT output MATCHES "\nrate: [0-9]+ messages/s \\([0-9]+ messages in [0-9.]+ s\\)\n$")
  message(FATAL_ERROR "replay printed no rate line:\n${output}")
endif()
string(REGEX REPLACE "rate: [^\n]*\n$" "" summary "${output}")
file(READ "${WORK}/expected.txt" expected)
if(NOT summary STREQUAL expected)
  message(FATAL_ERROR "replay printed:\n${summary}\nthe generator expected:\n${expected}")
endif()
message(STATUS "replay output:\n${output}")
