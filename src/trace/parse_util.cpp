#include "trace/parse_util.hpp"

namespace vmsim {

std::string quote(std::string_view text) {
  // Long enough for any valid field, short enough to keep the message on one line.
  constexpr std::size_t kMaxShown = 40;
  constexpr char kHex[] = "0123456789abcdef";
  std::string out = "'";
  const std::size_t shown = text.size() > kMaxShown ? kMaxShown : text.size();
  for (std::size_t i = 0; i < shown; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 || byte >= 0x7f) {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    } else {
      out += static_cast<char>(byte);
    }
  }
  if (shown < text.size()) out += "...";
  out += "'";
  return out;
}

}  // namespace vmsim
