// The one list of page-replacement policies. Adding a policy: write src/policy/page/NAME.hpp and
// add the class here; the CLI, --list-policies, the dispatcher and the typed tests all follow from
// this list.
#pragma once

#include "policy/page/clock.hpp"
#include "policy/page/fifo.hpp"
#include "policy/page/lru.hpp"
#include "policy/page/opt.hpp"
#include "policy/page/random.hpp"

namespace vmsim {

template <class... Ps>
struct TypeList {};

using PagePolicies = TypeList<Fifo, Lru, Clock, Opt, RandomPolicy>;

}  // namespace vmsim
