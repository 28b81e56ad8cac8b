// SPDX-License-Identifier: Apache-2.0
#pragma once
// std::function, which is all the stream, framing and message headers need
// from <functional>. GCC 12's C++20 <functional> adds the searchers, which
// include <unordered_map>, <vector>, <array> and <bits/stl_algo.h>: about
// 13 MB of compiler memory in every translation unit that includes a stream
// header. libstdc++ keeps std::function in <bits/std_function.h>; other
// standard libraries get the whole <functional>.
#include <cstddef>  // defines __GLIBCXX__ for the test below

#if defined(__GLIBCXX__) && __has_include(<bits/std_function.h>)
#include <bits/std_function.h>
#else
#include <functional>
#endif
