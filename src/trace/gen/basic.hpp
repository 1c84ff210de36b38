// Constructors of the individual generators, used by make_generator().
#pragma once

#include <memory>

#include "trace/gen/generator.hpp"

namespace vmsim::gen {

std::uint64_t working_set(const GeneratorParams& p);

std::unique_ptr<TraceReader> make_sequential(const GeneratorParams& p);
std::unique_ptr<TraceReader> make_strided(const GeneratorParams& p);
std::unique_ptr<TraceReader> make_uniform(const GeneratorParams& p);
std::unique_ptr<TraceReader> make_zipf(const GeneratorParams& p);
std::unique_ptr<TraceReader> make_loop(const GeneratorParams& p);
std::unique_ptr<TraceReader> make_phases(const GeneratorParams& p);
std::unique_ptr<TraceReader> make_matmul(const GeneratorParams& p);
std::unique_ptr<TraceReader> make_mix(const GeneratorParams& p);

}  // namespace vmsim::gen
