// A multi-process workload with fork: the parent (pid 1) initialises its data, forks `processes`
// children, and the children run in turn, in scheduling quanta, each touching the parent's pages
// (shared after fork) with probability shared_fraction and its own private pages otherwise; they
// exit at the end. With the OS model this shows sharing and copy-on-write; without it, each pid is
// simply its own address space.
#include <algorithm>
#include <memory>

#include "trace/gen/basic.hpp"
#include "trace/gen/generator_base.hpp"

namespace vmsim::gen {
namespace {

constexpr std::uint16_t kParent = 1;
constexpr std::uint64_t kQuantum = 100;              // accesses a child runs before the next one
constexpr std::uint64_t kRegionStride = 0x40000000;  // 1 GiB between processes' private regions

class Mix final : public GeneratorBase {
 public:
  explicit Mix(const GeneratorParams& p)
      : GeneratorBase(p),
        parent_accesses_(p.length / 4),
        private_pages_(p.working_set == 0 ? std::max<std::uint64_t>(1, p.pages / p.processes)
                                          : p.working_set) {}

 private:
  void refill() override {
    const GeneratorParams& p = params();
    if (generated() < parent_accesses_) {
      // The parent: first touches (writes) every page in order, then works on them at random.
      const std::uint64_t end = std::min(parent_accesses_, generated() + kQuantum);
      while (generated() < end) {
        const std::uint64_t i = generated();
        if (i < p.pages) {
          emit(p.base + i * p.page_size, Op::Write, kParent);
        } else {
          emit(address_in(rng().below(p.pages)), data_op(), kParent);
        }
      }
      return;
    }
    if (!forked_) {
      for (std::uint64_t c = 0; c < p.processes; ++c) emit_event(Op::Fork, kParent, child_pid(c));
      forked_ = true;
    }
    const std::uint16_t pid = child_pid(turn_);
    const std::uint64_t end = std::min(p.length, generated() + kQuantum);
    while (generated() < end) {
      if (rng().uniform() < p.shared_fraction) {
        emit(address_in(rng().below(p.pages)), data_op(), pid);
      } else {
        const std::uint64_t page = rng().below(private_pages_);
        emit(private_base(turn_) + page * p.page_size + offset_in_page(), data_op(), pid);
      }
    }
    turn_ = (turn_ + 1) % p.processes;
    if (generated() == p.length) {
      for (std::uint64_t c = 0; c < p.processes; ++c) emit_event(Op::Exit, child_pid(c));
    }
  }

  static std::uint16_t child_pid(std::uint64_t c) {
    return static_cast<std::uint16_t>(kParent + 1 + c);
  }
  std::uint64_t private_base(std::uint64_t c) const {
    return params().base + (c + 1) * kRegionStride;
  }

  std::uint64_t parent_accesses_;
  std::uint64_t private_pages_;
  bool forked_ = false;
  std::uint64_t turn_ = 0;
};

}  // namespace

std::unique_ptr<TraceReader> make_mix(const GeneratorParams& p) {
  return std::make_unique<Mix>(p);
}

}  // namespace vmsim::gen
