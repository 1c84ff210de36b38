// Writing .vmt traces: records are gathered into columns (pid runs, control bytes, sizes, address
// deltas) for one block at a time, then each block is zstd-compressed and checksummed.
#include <zstd.h>

#include <array>
#include <utility>
#include <vector>

#include "trace/output_file.hpp"
#include "trace/vmt.hpp"
#include "trace/vmt_format.hpp"
#include "vmsim/error.hpp"

namespace vmsim {
namespace {

struct FreeCCtx {
  void operator()(ZSTD_CCtx* cctx) const { ZSTD_freeCCtx(cctx); }
};

class VmtWriter final : public TraceWriter {
 public:
  VmtWriter(const std::string& path, const TraceWriterOptions& options, const VmtTuning& tuning)
      : out_(path, false), header_(options.header), tuning_(tuning), cctx_(ZSTD_createCCtx()) {
    if (cctx_ == nullptr) throw Error("cannot start zstd compressor");
    if (tuning_.records_per_block == 0 || tuning_.records_per_block > vmt::kMaxBlockRecords) {
      throw Error("vmt: records per block must be 1.." + std::to_string(vmt::kMaxBlockRecords));
    }
    if (header_.command.size() > vmt::kMaxCommandBytes) {
      throw Error("vmt: recorded command line longer than " +
                  std::to_string(vmt::kMaxCommandBytes) + " bytes");
    }
    write_file_header();
  }
  VmtWriter(const VmtWriter&) = delete;
  VmtWriter& operator=(const VmtWriter&) = delete;

  void write(std::span<const Access> records) override {
    if (finished_) throw Error("cannot write to " + out_.path() + ": already finished");
    for (const Access& a : records) {
      if (const std::string_view why = invalid_record(a); !why.empty()) {
        throw Error("cannot write record " + std::to_string(records_ + 1) + " to " + out_.path() +
                    ": " + std::string(why));
      }
      encode(a);
      ++records_;
      if (block_records_ == tuning_.records_per_block) flush_block();
    }
  }

  void finish(const TraceHeader& final_header) override {
    if (finished_) return;
    flush_block();
    std::array<unsigned char, vmt::kTrailerPayload> payload{};
    vmt::store_u64(payload.data(), final_header.duration_ns);
    vmt::store_u64(payload.data() + 8, records_);
    vmt::store_u64(payload.data() + 16, blocks_);
    write_block(vmt::BlockKind::Trailer, payload.data(), payload.size(), payload.size(), 0);
    out_.commit();
    finished_ = true;
  }

  std::uint64_t records_written() const override { return records_; }
  std::uint64_t bytes_written() const override { return out_.bytes_written(); }

 private:
  void write_file_header() {
    const std::size_t command_bytes = header_.command.size();
    std::vector<unsigned char> h(vmt::kFileHeaderMin + command_bytes);
    std::copy(vmt::kMagic.begin(), vmt::kMagic.end(), h.begin());
    vmt::store_u16(&h[8], vmt::kVersion);
    vmt::store_u16(&h[10], 0);
    vmt::store_u32(&h[12], static_cast<std::uint32_t>(h.size()));
    vmt::store_u64(&h[16], header_.page_size_hint);
    vmt::store_u64(&h[24], header_.start_unix_ns);
    vmt::store_u32(&h[32], static_cast<std::uint32_t>(command_bytes));
    std::copy(header_.command.begin(), header_.command.end(), h.begin() + vmt::kFileHeaderFixed);
    const std::size_t body = vmt::kFileHeaderFixed + command_bytes;
    vmt::store_u64(&h[body], vmt::checksum(h.data(), body));
    out_.write(h.data(), h.size());
  }

  void end_run() {
    if (run_length_ == 0) return;
    unsigned char buf[20];
    std::size_t n = vmt::put_varint(buf, run_pid_);
    n += vmt::put_varint(buf + n, run_length_);
    pid_runs_.insert(pid_runs_.end(), buf, buf + n);
    run_length_ = 0;
  }

  void encode(const Access& a) {
    if (run_length_ == 0 || a.pid != run_pid_) {
      end_run();
      run_pid_ = a.pid;
      state_ = &states_[states_.index_of(a.pid)];
    }
    ++run_length_;
    ++block_records_;
    const unsigned ctx = vmt::context_of(a.op);
    unsigned control = static_cast<unsigned>(a.op) << 4;
    if (static_cast<unsigned>(a.op) >= vmt::kOpEscape) [[unlikely]]
      control = escape(a.op);
    if (a.size != state_->size[ctx]) {
      control |= vmt::kSizeChanged;
      state_->size[ctx] = a.size;
      if (a.size < 256) {
        sizes_.push_back(static_cast<unsigned char>(a.size));
      } else {
        sizes_.push_back(0);
        unsigned char buf[4];
        vmt::store_u32(buf, a.size);
        big_sizes_.insert(big_sizes_.end(), buf, buf + 4);
      }
    }
    const std::uint64_t z = vmt::zigzag(a.addr - state_->next[ctx]);
    const unsigned length = vmt::byte_length(z);
    control |= length;
    for (unsigned i = 0; i < length; ++i)
      deltas_.push_back(static_cast<unsigned char>(z >> (8 * i)));
    state_->next[ctx] = a.addr + a.size;
    control_.push_back(static_cast<unsigned char>(control));
    if (has_prot(a.op)) prots_.push_back(prot_bits(a.prot));
  }

  // An op from kOpEscape on: its control byte holds kOpEscape and the ops stream the op. Out of
  // line: events are rare.
  [[gnu::noinline]] unsigned escape(Op op) {
    ops_.push_back(static_cast<unsigned char>(op));
    beyond_escape_ |= static_cast<unsigned>(op) > vmt::kOpEscape;
    return vmt::kOpEscape << 4;
  }

  void flush_block() {
    if (block_records_ == 0) return;
    end_run();
    raw_.clear();
    // A block with @mmap or @mprotect records is of the kind that also stores their protections,
    // one with @brk or @exec records of the kind that also stores ops beyond the control byte's;
    // every other block is as the format had it before protections were kept.
    const bool with_ops = beyond_escape_;
    const bool with_prots = with_ops || !prots_.empty();
    if (!with_ops) ops_.clear();
    raw_.resize(with_ops     ? vmt::kBodyPrefixWithEvents
                : with_prots ? vmt::kBodyPrefixWithProts
                             : vmt::kBodyPrefix);
    vmt::store_u32(&raw_[0], static_cast<std::uint32_t>(pid_runs_.size()));
    vmt::store_u32(&raw_[4], static_cast<std::uint32_t>(sizes_.size()));
    vmt::store_u32(&raw_[8], static_cast<std::uint32_t>(big_sizes_.size()));
    vmt::store_u32(&raw_[12], static_cast<std::uint32_t>(deltas_.size()));
    if (with_prots) vmt::store_u32(&raw_[16], static_cast<std::uint32_t>(prots_.size()));
    if (with_ops) vmt::store_u32(&raw_[20], static_cast<std::uint32_t>(ops_.size()));
    for (const auto* stream :
         {&pid_runs_, &control_, &sizes_, &big_sizes_, &deltas_, &prots_, &ops_}) {
      raw_.insert(raw_.end(), stream->begin(), stream->end());
    }
    packed_.resize(ZSTD_compressBound(raw_.size()));
    const std::size_t n = ZSTD_compressCCtx(cctx_.get(), packed_.data(), packed_.size(),
                                            raw_.data(), raw_.size(), tuning_.zstd_level);
    if (ZSTD_isError(n)) throw Error(std::string("zstd: ") + ZSTD_getErrorName(n));
    write_block(with_ops     ? vmt::BlockKind::RecordsWithEvents
                : with_prots ? vmt::BlockKind::RecordsWithProts
                             : vmt::BlockKind::Records,
                packed_.data(), n, raw_.size(), block_records_);
    ++blocks_;
    block_records_ = 0;
    for (auto* stream : {&pid_runs_, &control_, &sizes_, &big_sizes_, &deltas_, &prots_, &ops_}) {
      stream->clear();
    }
    beyond_escape_ = false;
    states_.clear();
  }

  void write_block(vmt::BlockKind kind, const unsigned char* payload, std::size_t stored,
                   std::size_t raw, std::uint32_t count) {
    std::array<unsigned char, vmt::kBlockHeaderSize> h{};
    std::copy(vmt::kBlockMagic.begin(), vmt::kBlockMagic.end(), h.begin());
    h[4] = static_cast<unsigned char>(kind);
    vmt::store_u32(&h[8], static_cast<std::uint32_t>(stored));
    vmt::store_u32(&h[12], static_cast<std::uint32_t>(raw));
    vmt::store_u32(&h[16], count);
    vmt::store_u64(&h[24], vmt::checksum(payload, stored));
    vmt::store_u64(&h[32], vmt::checksum(h.data(), 32));
    out_.write(h.data(), h.size());
    out_.write(payload, stored);
  }

  OutputFile out_;
  TraceHeader header_;
  VmtTuning tuning_;
  std::unique_ptr<ZSTD_CCtx, FreeCCtx> cctx_;
  bool finished_ = false;
  std::uint64_t records_ = 0;
  std::uint64_t blocks_ = 0;  // record blocks written

  // The block being gathered.
  std::uint32_t block_records_ = 0;
  std::uint16_t run_pid_ = 0;
  std::uint64_t run_length_ = 0;
  vmt::PidState* state_ = nullptr;  // of run_pid_, in states_
  vmt::PidStates states_;
  std::vector<unsigned char> pid_runs_, control_, sizes_, big_sizes_, deltas_, prots_;
  std::vector<unsigned char> ops_;  // of records with op kOpEscape or beyond
  bool beyond_escape_ = false;      // the block has a record with an op beyond kOpEscape
  std::vector<unsigned char> raw_, packed_;
};

}  // namespace

std::unique_ptr<TraceWriter> make_vmt_writer(const std::string& path,
                                             const TraceWriterOptions& options,
                                             const VmtTuning& tuning) {
  return std::make_unique<VmtWriter>(path, options, tuning);
}

}  // namespace vmsim
