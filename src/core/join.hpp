// Building "a, b, c" lists for messages.
#pragma once

#include <string>
#include <string_view>

namespace vmsim {

// Appends `item` to `list`, after `separator` unless the list is empty. (Also avoids the
// `(cond ? "" : ", ") + std::string(x)` temporaries that GCC 12 misreads as overlapping copies.)
inline void append_joined(std::string& list, std::string_view separator, std::string_view item) {
  if (!list.empty()) list += separator;
  list += item;
}

}  // namespace vmsim
