// Sanitizer and unoptimised builds run the simulator ten or more times slower; the miss-ratio
// curve tests check the same things on smaller inputs there, to stay within seconds per test.
#pragma once

namespace vmsim::test {

#if defined(__SANITIZE_ADDRESS__) || !defined(NDEBUG)
inline constexpr bool kSlowBuild = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kSlowBuild = true;
#else
inline constexpr bool kSlowBuild = false;
#endif
#else
inline constexpr bool kSlowBuild = false;
#endif

}  // namespace vmsim::test
