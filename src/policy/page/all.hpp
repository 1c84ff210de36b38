// The one list of page-replacement policies. Adding a policy: write src/policy/page/NAME.hpp and
// add the class here; the CLI, --list-policies, the dispatcher and the typed tests all follow from
// this list.
#pragma once

#include "policy/page/aging.hpp"
#include "policy/page/arc.hpp"
#include "policy/page/car.hpp"
#include "policy/page/clock.hpp"
#include "policy/page/clock_pro.hpp"
#include "policy/page/enhanced_clock.hpp"
#include "policy/page/fifo.hpp"
#include "policy/page/lfu.hpp"
#include "policy/page/lirs.hpp"
#include "policy/page/lru.hpp"
#include "policy/page/lru_k.hpp"
#include "policy/page/mfu.hpp"
#include "policy/page/mru.hpp"
#include "policy/page/nfu.hpp"
#include "policy/page/opt.hpp"
#include "policy/page/pff.hpp"
#include "policy/page/random.hpp"
#include "policy/page/s3fifo.hpp"
#include "policy/page/sieve.hpp"
#include "policy/page/two_q.hpp"
#include "policy/page/working_set.hpp"
#include "policy/page/wsclock.hpp"

namespace vmsim {

template <class... Ps>
struct TypeList {};

using PagePolicies = TypeList<Fifo, Lru, Clock, Opt, RandomPolicy, Lfu, Mfu, Nfu, Aging, Mru,
                              EnhancedClock, LruK, Sieve, TwoQ, Arc, Lirs, ClockPro, Car, S3Fifo,
                              WorkingSet, WsClock, PageFaultFrequency>;

}  // namespace vmsim
