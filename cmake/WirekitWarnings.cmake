# SPDX-License-Identifier: Apache-2.0
# wirekit_set_warnings(<target>): the warning flags every wirekit target builds
# with, on g++ and clang++ alike; -Werror when WIREKIT_WERROR is on (CI).
function(wirekit_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    # GCC 12 at -O2 and above reports -Wrestrict inside libstdc++'s std::string
    # for concatenations such as "a" + s (GCC bug 105329), not about our code.
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(WIREKIT_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

if(WIREKIT_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
