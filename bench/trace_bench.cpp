// Trace decoding speed: .vmt decoding into batches of 4096 records (the reader interface the
// simulator uses), .vmt encoding, and for contrast the lackey text reader on the same records.
// Inputs are held in memory, so neither disk nor page cache is measured. Figures go to
// docs/performance.md ("Trace decoding").
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "trace/readers.hpp"
#include "trace/vmt.hpp"
#include "workloads.hpp"

namespace vmsim::bench {
namespace {

constexpr std::size_t kBatch = 4096;

// Serves bytes someone else owns: make_memory_source() would copy the input in every iteration.
class ViewSource final : public ByteSource {
 public:
  explicit ViewSource(std::string_view data) : data_(data) {}
  std::size_t read(std::span<char> dst) override {
    const std::size_t n = std::min(dst.size(), data_.size() - pos_);
    std::memcpy(dst.data(), data_.data() + pos_, n);
    pos_ += n;
    return n;
  }
  std::uint64_t bytes_consumed() const override { return pos_; }
  std::uint64_t bytes_total() const override { return data_.size(); }

 private:
  std::string_view data_;
  std::size_t pos_ = 0;
};

std::string slurp(const std::string& path) {
  std::string data;
  if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
    char buf[1 << 16];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) data.append(buf, n);
    std::fclose(f);
  }
  return data;
}

std::vector<Access> drain(TraceReader& reader) {
  std::vector<Access> all;
  std::vector<Access> batch(kBatch);
  for (std::size_t n; (n = reader.read(batch)) > 0;)
    all.insert(all.end(), batch.begin(), batch.begin() + n);
  return all;
}

// Writes `records` as .vmt through a temporary file and returns its bytes.
std::string encode(const std::vector<Access>& records, const VmtTuning& tuning = {}) {
  char path[] = "/tmp/vmsim-trace-bench-XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd >= 0) ::close(fd);
  auto writer = make_vmt_writer(path, {}, tuning);
  writer->write(records);
  writer->finish({});
  std::string bytes = slurp(path);
  std::remove(path);
  return bytes;
}

const std::string kExamples = std::string(VMSIM_SOURCE_DIR) + "/examples/traces/";
constexpr const char* kLackeyTraces[] = {"matmul-naive", "matmul-blocked", "listwalk"};

// The three recorded lackey traces, one after the other: 3.1 M references of real programs.
struct LackeyInput {
  std::string text;  // decompressed lackey text
  std::string zst;   // the .lackey.zst files as stored, concatenated
  std::vector<Access> records;
};

const LackeyInput& lackey_input() {
  static const LackeyInput input = [] {
    LackeyInput in;
    for (const char* name : kLackeyTraces) {
      const std::string zst = slurp(kExamples + name + ".lackey.zst");
      in.zst += zst;
      auto reader = make_reader_from_memory(zst, TraceFormat::Lackey);
      const std::vector<Access> records = drain(*reader);
      in.records.insert(in.records.end(), records.begin(), records.end());
    }
    // The text as the lackey writer prints it: valgrind's own format.
    char path[] = "/tmp/vmsim-trace-bench-XXXXXX";
    const int fd = ::mkstemp(path);
    if (fd >= 0) ::close(fd);
    TraceWriterOptions options;
    options.format = TraceFormat::Lackey;
    auto writer = create_trace_writer(path, options);
    writer->write(in.records);
    writer->finish({});
    in.text = slurp(path);
    std::remove(path);
    return in;
  }();
  return input;
}

const std::vector<Access>& input_records(int which) {
  static const std::vector<Access> local = make_local_trace(kTraceAccesses);
  return which == 0 ? lackey_input().records : local;
}

void decode_vmt(benchmark::State& state) {
  const std::vector<Access>& records = input_records(static_cast<int>(state.range(0)));
  VmtTuning tuning;
  if (state.range(1) > 0) tuning.zstd_level = static_cast<int>(state.range(1));
  if (state.range(2) > 0) tuning.records_per_block = std::uint32_t{1} << state.range(2);
  const std::string vmt = encode(records, tuning);
  std::vector<Access> batch(kBatch);
  std::uint64_t checksum = 0;
  for (auto _ : state) {
    auto reader = make_vmt_reader(std::make_unique<ViewSource>(vmt), "bench.vmt");
    for (std::size_t n; (n = reader->read(batch)) > 0;) checksum += batch[n - 1].addr;
  }
  benchmark::DoNotOptimize(checksum);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * records.size()));
  state.counters["bytes_per_ref"] =
      static_cast<double>(vmt.size()) / static_cast<double>(records.size());
}

void encode_vmt(benchmark::State& state) {
  const std::vector<Access>& records = input_records(static_cast<int>(state.range(0)));
  VmtTuning tuning;
  if (state.range(1) > 0) tuning.zstd_level = static_cast<int>(state.range(1));
  for (auto _ : state) benchmark::DoNotOptimize(encode(records, tuning).size());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * records.size()));
}

// The lackey reader on the same references, from text in memory and from the .zst files.
void read_lackey(benchmark::State& state) {
  const LackeyInput& in = lackey_input();
  const std::string& data = state.range(0) == 0 ? in.text : in.zst;
  std::vector<Access> batch(kBatch);
  std::uint64_t checksum = 0;
  for (auto _ : state) {
    auto reader = make_reader_from_memory(data, TraceFormat::Lackey);
    for (std::size_t n; (n = reader->read(batch)) > 0;) checksum += batch[n - 1].addr;
  }
  benchmark::DoNotOptimize(checksum);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * in.records.size()));
  state.counters["bytes_per_ref"] =
      static_cast<double>(data.size()) / static_cast<double>(in.records.size());
}

// Inputs: 0 = the recorded lackey traces, 1 = the synthetic `local` trace of the simulate
// benchmarks. Second argument: zstd level, third: log2 of the records per block (0: the writer's
// defaults, level 6 and 256 Ki records).
BENCHMARK(decode_vmt)
    ->Name("trace/vmt_decode")
    ->ArgNames({"input", "level", "block"})
    ->Args({0, 0, 0})
    ->Args({1, 0, 0})
    ->Args({0, 3, 0})
    ->Args({0, 9, 0})
    ->Args({0, 19, 0})
    ->Args({1, 19, 0})
    ->Args({0, 0, 16})
    ->Args({1, 0, 16})
    ->Args({0, 0, 20})
    ->Args({1, 0, 20})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(encode_vmt)
    ->Name("trace/vmt_encode")
    ->ArgNames({"input", "level"})
    ->Args({0, 0})
    ->Args({1, 0})
    ->Args({0, 9})
    ->Args({0, 19})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(read_lackey)
    ->Name("trace/lackey_read")
    ->ArgNames({"zst"})
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace vmsim::bench
