// What /proc says about the processes of a recording, and signalling them.
#pragma once

#include <sys/types.h>

#include <vector>

namespace vmsim {

// The parent of a live process, or -1 when it has gone (valgrind's socket log does not say it).
pid_t parent_of(pid_t pid);

// Every live process below `root` in the process tree (children, their children ...), from one
// scan of /proc. A process that has already been re-parented (its parent exited) is not found.
std::vector<pid_t> descendants_of(pid_t root);

}  // namespace vmsim
