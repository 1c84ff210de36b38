// One address space (Linux's mm_struct): today its page table; regions (VMAs) arrive with the OS
// model.
#pragma once

#include <cstdint>

#include "mm/page_table.hpp"

namespace vmsim {

struct MmStruct {
  std::uint16_t pid = 0;
  PageTable page_table;

  MmStruct(std::uint16_t owner_pid, const PageTableShape& shape, TableFrames& table_frames)
      : pid(owner_pid), page_table(shape, table_frames) {}
};

}  // namespace vmsim
