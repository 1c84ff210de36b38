// "Did you mean ...?": the known names closest to a mistyped one, by edit distance. One rule for
// commands, options, settings, presets, policies and their parameters.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vmsim {

// Optimal string alignment distance without regard to case: insertions, deletions, substitutions
// and swaps of two neighbours each cost 1, so `lur` is one slip from `lru`.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidates nearest to `word`, if near enough to be a likely slip: one edit in a word of up to
// three letters, two in a longer one. Ties are all returned, in the candidates' order.
std::vector<std::string> closest_matches(std::string_view word,
                                         const std::vector<std::string>& candidates);

// "; did you mean 'x'?" (or 'x' or 'y'), or empty when nothing is close.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace vmsim
