// SPDX-License-Identifier: Apache-2.0
#pragma once
// std::chrono's durations, time points and clocks, which is all the public
// headers need (timeouts in options). GCC 12's C++20 <chrono> adds calendars,
// time zones and their formatting, which include <sstream>: about 13 MB of
// compiler memory in every translation unit that includes a stream header.
// libstdc++ keeps durations and clocks in <bits/chrono.h> (GCC 11 and later);
// other standard libraries get the whole <chrono>.
#include <cstddef>  // defines __GLIBCXX__ for the test below

#if defined(__GLIBCXX__) && __has_include(<bits/chrono.h>)
#include <bits/chrono.h>
#else
#include <chrono>
#endif
