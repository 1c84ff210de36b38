// Reading .vmt traces: blocks are checked, decompressed and validated one at a time; a damaged
// block is skipped with a warning, a truncated file is read up to its last whole block.
#include <zstd.h>

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "trace/parse_util.hpp"
#include "trace/vmt.hpp"
#include "trace/vmt_format.hpp"
#include "vmsim/error.hpp"

namespace vmsim {
namespace {

// Slack after the decompressed body: the delta decoder loads 8 bytes at a time, and a control byte
// may claim up to 8 of them, so it may look up to 8 bytes past the end of the delta stream.
constexpr std::size_t kPadding = 16;
// One warning per damaged block is useful; thousands are not, and they must not grow without bound.
constexpr std::size_t kMaxWarnings = 100;
// The least the reader asks its source for at a time.
constexpr std::size_t kReadAhead = std::size_t{64} << 10;

struct PidRun {
  std::uint16_t pid;
  std::uint32_t count;
};

constexpr std::array<std::uint64_t, 16> kDeltaMask = [] {
  std::array<std::uint64_t, 16> mask{};
  for (unsigned i = 0; i < 16; ++i)
    mask[i] = i >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * i)) - 1;
  return mask;
}();

constexpr std::array<unsigned char, 8> kContextOf = [] {
  std::array<unsigned char, 8> ctx{};
  for (unsigned op = 0; op < 8; ++op)
    ctx[op] = static_cast<unsigned char>(vmt::context_of(static_cast<Op>(op)));
  return ctx;
}();

struct FreeDCtx {
  void operator()(ZSTD_DCtx* dctx) const { ZSTD_freeDCtx(dctx); }
};

class VmtReader final : public TraceReader {
 public:
  VmtReader(std::unique_ptr<ByteSource> source, std::string name, std::size_t chunk_size,
            std::optional<VmtTrailer> trailer, bool strict, AddressLimit limit)
      : source_(std::move(source)),
        name_(std::move(name)),
        chunk_size_(std::max<std::size_t>(chunk_size, 1)),
        dctx_(ZSTD_createDCtx()),
        strict_(strict),
        limit_(std::move(limit)),
        last_address_(limit_.last_address()),
        limited_(last_address_ != ~std::uint64_t{0}) {
    if (dctx_ == nullptr) throw Error("cannot start zstd decoder");
    read_file_header();
    if (trailer) {
      header_.duration_ns = trailer->duration_ns;
      records_hint_ = trailer->records;
    }
  }
  VmtReader(const VmtReader&) = delete;
  VmtReader& operator=(const VmtReader&) = delete;

  std::size_t read(std::span<Access> out) override {
    std::size_t n = 0;
    while (n < out.size()) {
      if (record_ == block_records_) {
        if (!next_block()) break;
        continue;
      }
      if (run_left_ == 0) start_run();
      const auto m = static_cast<std::uint32_t>(std::min<std::size_t>(out.size() - n, run_left_));
      if (limited_) {
        decode<true>(out.data() + n, m);
      } else {
        decode<false>(out.data() + n, m);
      }
      n += m;
      run_left_ -= m;
      record_ += m;
    }
    return n;
  }

  std::uint64_t bytes_consumed() const override { return source_->bytes_consumed(); }
  std::uint64_t bytes_total() const override { return source_->bytes_total(); }
  const TraceHeader* header() const override { return &header_; }
  TraceFormat format() const override { return TraceFormat::Vmt; }
  std::uint64_t records_hint() const override { return records_hint_; }
  std::vector<std::string> warnings() const override {
    std::vector<std::string> all = warnings_;
    if (dropped_warnings_ > 0) {
      all.push_back(name_ + ": " + std::to_string(dropped_warnings_) + " more warnings not shown");
    }
    return all;
  }
  TraceDamage damage() const override { return damage_; }

 private:
  // ---- input buffer: bytes [pos_, end_) of in_ are file offsets [offset_ + pos_, ...) ----

  std::size_t available() const { return end_ - pos_; }
  std::uint64_t offset() const { return offset_ + pos_; }
  const unsigned char* at() const { return in_.data() + pos_; }

  // Makes `want` bytes available unless the input ends first; returns whether it did.
  bool ensure(std::size_t want) {
    while (available() < want) {
      if (eof_) return false;
      if (pos_ > 0) {
        std::memmove(in_.data(), in_.data() + pos_, available());
        end_ -= pos_;
        offset_ += pos_;
        pos_ = 0;
      }
      // What is missing, or kReadAhead if that is more (the next block's header, small blocks
      // whole), at most a chunk at a time. Not a whole chunk whatever is missing: the bytes read
      // past the block in hand are moved to the front of the buffer for the next one, and with
      // blocks about a chunk in size that moved half of every block.
      const std::size_t ask = std::min(chunk_size_, std::max(want - available(), kReadAhead));
      // Grow with the data actually read, so a header claiming a huge block on a short input
      // costs no more memory than the input.
      if (end_ + ask > in_.size()) in_.resize(end_ + ask);
      const std::size_t got =
          source_->read(std::span<char>(reinterpret_cast<char*>(in_.data() + end_), ask));
      if (got == 0) eof_ = true;
      end_ += got;
    }
    return true;
  }

  void skip(std::size_t n) { pos_ += n; }

  [[noreturn]] void fail(const std::string& message) const { throw Error(name_ + ": " + message); }
  [[noreturn]] void fail_block(std::uint64_t at, const std::string& message) const {
    fail("block at offset " + std::to_string(at) + ": " + message);
  }
  // Damage that reading survives: a warning, or the end of the run under --strict.
  void warn(std::string message) {
    if (strict_) fail(message + " (--strict makes damage an error)");
    if (warnings_.size() < kMaxWarnings) {
      warnings_.push_back(name_ + ": " + std::move(message));
    } else {
      ++dropped_warnings_;
    }
  }

  void note_lost_block(std::optional<std::uint32_t> records) {
    ++damage_.blocks_skipped;
    if (records) {
      damage_.records_lost += *records;
    } else {
      damage_.records_lost_unknown = true;
    }
  }

  // ---- file header ----

  void read_file_header() {
    if (!ensure(vmt::kMagic.size()) ||
        !vmt::has_magic(
            std::string_view(reinterpret_cast<const char*>(at()), vmt::kMagic.size()))) {
      fail("not a vmt trace (it does not start with the .vmt magic bytes 89 'VMT' 0d 0a 1a 0a)");
    }
    if (!ensure(vmt::kFileHeaderMin)) fail("truncated vmt header");
    const unsigned char* h = at();
    const std::uint16_t version = vmt::load_u16(h + 8);
    if (version != vmt::kVersion) {
      fail("vmt version " + std::to_string(version) +
           " is not supported (this vmsim reads version " + std::to_string(vmt::kVersion) + ")");
    }
    const std::uint32_t header_size = vmt::load_u32(h + 12);
    const std::uint32_t command_bytes = vmt::load_u32(h + 32);
    if (command_bytes > vmt::kMaxCommandBytes ||
        header_size != vmt::kFileHeaderMin + command_bytes) {
      fail("corrupt vmt header (bad header size)");
    }
    if (!ensure(header_size)) fail("truncated vmt header");
    h = at();
    const std::size_t body = header_size - 8;
    if (vmt::checksum(h, body) != vmt::load_u64(h + body)) fail("vmt header checksum mismatch");
    const std::uint16_t flags = vmt::load_u16(h + 10);
    if (flags != 0) fail("vmt header has unknown flags " + std::to_string(flags));
    header_.page_size_hint = vmt::load_u64(h + 16);
    header_.start_unix_ns = vmt::load_u64(h + 24);
    header_.command.assign(reinterpret_cast<const char*>(h + vmt::kFileHeaderFixed), command_bytes);
    skip(header_size);
  }

  // ---- blocks ----

  bool valid_block_header(const unsigned char* h) const {
    return std::equal(vmt::kBlockMagic.begin(), vmt::kBlockMagic.end(), h) &&
           vmt::checksum(h, 32) == vmt::load_u64(h + 32);
  }

  // Moves to the next block with a valid header after a damaged one at `damaged`; false when none
  // follows. Scans byte by byte: only the magic and the header's own checksum can be trusted.
  bool resync(std::uint64_t damaged) {
    skip(1);
    for (;;) {
      if (!ensure(vmt::kBlockHeaderSize)) {
        note_lost_block(std::nullopt);
        const std::uint64_t lost = offset() + available() - damaged;
        warn("block at offset " + std::to_string(damaged) +
             ": damaged block header, no valid block after it; " + std::to_string(lost) +
             " bytes to the end of the file skipped");
        skip(available());
        return false;
      }
      const unsigned char* p = at();
      const std::size_t limit = available() - vmt::kBlockHeaderSize + 1;
      for (std::size_t i = 0; i < limit; ++i) {
        if (p[i] == vmt::kBlockMagic[0] && valid_block_header(p + i)) {
          skip(i);
          note_lost_block(std::nullopt);
          warn("block at offset " + std::to_string(damaged) + ": damaged block header; skipped " +
               std::to_string(offset() - damaged) + " bytes to the next block at offset " +
               std::to_string(offset()) + " (records lost: unknown)");
          return true;
        }
      }
      skip(limit);
    }
  }

  // Loads the next records block; false at the end of the trace.
  bool next_block() {
    for (;;) {
      if (done_) return false;
      const std::uint64_t at_offset = offset();
      if (!ensure(vmt::kBlockHeaderSize)) {
        if (available() > 0) {
          note_lost_block(std::nullopt);
          warn("block at offset " + std::to_string(at_offset) + ": truncated (the file ends " +
               std::to_string(available()) +
               " bytes into its header); read up to the last whole block");
        } else {
          // Whatever the recording wrote after this point is gone, and nothing says how much.
          damage_.records_lost_unknown = true;
          warn("no trailer: the file ends at offset " + std::to_string(at_offset) +
               " without one, so it was not finished (read up to the last whole block)");
        }
        skip(available());
        done_ = true;
        return false;
      }
      if (!valid_block_header(at())) {
        if (!resync(at_offset)) {
          done_ = true;
          return false;
        }
        lost_blocks_ = true;
        continue;
      }
      const unsigned char* h = at();
      // Only values: ensure() below may move the buffer under `h`.
      const unsigned kind_byte = h[4];
      const auto kind = static_cast<vmt::BlockKind>(kind_byte);
      const std::uint32_t stored = vmt::load_u32(h + 8);
      const std::uint32_t raw = vmt::load_u32(h + 12);
      const std::uint32_t count = vmt::load_u32(h + 16);
      const std::uint64_t payload_sum = vmt::load_u64(h + 24);
      if (stored > vmt::kMaxRawBytes + (std::uint32_t{1} << 20) || raw > vmt::kMaxRawBytes ||
          count > vmt::kMaxBlockRecords) {
        fail_block(at_offset, "block larger than a vmt reader accepts");
      }
      if (!ensure(vmt::kBlockHeaderSize + std::size_t{stored})) {
        note_lost_block(count);
        damage_.records_lost_unknown = true;  // and whatever came after it
        warn("block at offset " + std::to_string(at_offset) + ": truncated (the file ends " +
             std::to_string(available() - vmt::kBlockHeaderSize) + " bytes into its " +
             std::to_string(stored) + "-byte payload); its " + std::to_string(count) +
             " records are lost, read up to the last whole block");
        skip(available());
        done_ = true;
        return false;
      }
      const unsigned char* payload = at() + vmt::kBlockHeaderSize;
      if (vmt::checksum(payload, stored) != payload_sum) {
        note_lost_block(count);
        warn("block at offset " + std::to_string(at_offset) + ": checksum mismatch; skipped its " +
             std::to_string(count) + " records");
        lost_blocks_ = true;
        skip(vmt::kBlockHeaderSize + stored);
        continue;
      }
      if (kind == vmt::BlockKind::Records || kind == vmt::BlockKind::RecordsWithProts ||
          kind == vmt::BlockKind::RecordsWithEvents) {
        load_records(at_offset, payload, stored, raw, count, kind);
        skip(vmt::kBlockHeaderSize + stored);
        ++blocks_read_;
        if (count == 0) continue;
        return true;
      }
      if (kind == vmt::BlockKind::Trailer) {
        read_trailer(at_offset, payload, stored, raw, count);
        skip(vmt::kBlockHeaderSize + stored);
        finish_after_trailer();
        return false;
      }
      warn("block at offset " + std::to_string(at_offset) + ": unknown block kind " +
           std::to_string(kind_byte) + " skipped");
      skip(vmt::kBlockHeaderSize + stored);
    }
  }

  void read_trailer(std::uint64_t at_offset, const unsigned char* payload, std::uint32_t stored,
                    std::uint32_t raw, std::uint32_t count) {
    if (stored != vmt::kTrailerPayload || raw != stored || count != 0) {
      fail_block(at_offset, "malformed trailer");
    }
    header_.duration_ns = vmt::load_u64(payload);
    const std::uint64_t records = vmt::load_u64(payload + 8);
    const std::uint64_t blocks = vmt::load_u64(payload + 16);
    if (!lost_blocks_ && (records != records_read_ || blocks != blocks_read_)) {
      warn("trailer at offset " + std::to_string(at_offset) + " counts " + std::to_string(records) +
           " records in " + std::to_string(blocks) + " blocks, but " +
           std::to_string(records_read_) + " records in " + std::to_string(blocks_read_) +
           " blocks were read");
    }
  }

  void finish_after_trailer() {
    done_ = true;
    const std::uint64_t at_offset = offset();
    std::uint64_t extra = 0;
    do {
      extra += available();
      skip(available());
    } while (ensure(1));
    if (extra > 0) {
      warn(std::to_string(extra) + " bytes after the trailer at offset " +
           std::to_string(at_offset) + " ignored");
    }
  }

  // Decompresses a records block and checks that its streams fit together, so decode() can run
  // without bounds checks.
  void load_records(std::uint64_t at_offset, const unsigned char* payload, std::uint32_t stored,
                    std::uint32_t raw, std::uint32_t count, vmt::BlockKind kind) {
    block_offset_ = at_offset;
    const bool with_ops = kind == vmt::BlockKind::RecordsWithEvents;
    const bool with_prots = with_ops || kind == vmt::BlockKind::RecordsWithProts;
    const std::size_t prefix = with_ops     ? vmt::kBodyPrefixWithEvents
                               : with_prots ? vmt::kBodyPrefixWithProts
                                            : vmt::kBodyPrefix;
    if (raw < prefix + std::size_t{count}) fail_block(at_offset, "malformed block (raw size)");
    body_.resize(std::size_t{raw} + kPadding);
    const std::size_t got = ZSTD_decompressDCtx(dctx_.get(), body_.data(), raw, payload, stored);
    if (ZSTD_isError(got)) {
      fail_block(at_offset,
                 std::string("corrupt compressed data (") + ZSTD_getErrorName(got) + ")");
    }
    if (got != raw) fail_block(at_offset, "malformed block (decompressed size)");
    std::fill_n(body_.data() + raw, kPadding, 0);

    const unsigned char* b = body_.data();
    const std::uint64_t runs_len = vmt::load_u32(b);
    const std::uint64_t sizes_len = vmt::load_u32(b + 4);
    const std::uint64_t big_len = vmt::load_u32(b + 8);
    const std::uint64_t deltas_len = vmt::load_u32(b + 12);
    const std::uint64_t prots_len = with_prots ? vmt::load_u32(b + 16) : 0;
    const std::uint64_t ops_len = with_ops ? vmt::load_u32(b + 20) : 0;
    if (prefix + runs_len + count + sizes_len + big_len + deltas_len + prots_len + ops_len != raw) {
      fail_block(at_offset, "malformed block (stream lengths)");
    }
    const unsigned char* runs = b + prefix;
    control_ = runs + runs_len;
    sizes_ = control_ + count;
    big_sizes_ = sizes_ + sizes_len;
    deltas_ = big_sizes_ + big_len;
    prots_ = deltas_ + deltas_len;
    ops_ = prots_ + prots_len;
    with_prots_ = with_prots;
    with_ops_ = with_ops;

    runs_.clear();
    std::uint64_t total = 0;
    for (const unsigned char* p = runs; p != control_;) {
      std::uint64_t pid = 0;
      std::uint64_t length = 0;
      if (!vmt::get_varint(p, control_, pid) || !vmt::get_varint(p, control_, length) ||
          pid > 0xffff || length == 0 || length > count - total) {
        fail_block(at_offset, "malformed block (pid runs)");
      }
      total += length;
      runs_.push_back({static_cast<std::uint16_t>(pid), static_cast<std::uint32_t>(length)});
    }
    if (total != count) fail_block(at_offset, "malformed block (pid runs)");

    const ControlCounts claimed = control_counts(count);
    if (claimed.bad || claimed.delta_bytes != deltas_len || claimed.sizes != sizes_len) {
      fail_block(at_offset, "malformed block (control bytes)");
    }
    // Records that carry a protection (ops 5 and 7, the only ones with op & 5 == 5): in a block
    // with protections, one each; a block of the older kind has none, so its @mmap records map
    // read-write (what a text @mmap without one means) and an @mprotect (op 7) cannot be in it.
    // In a block with ops, each record with op 7 has its op in the ops stream (7, 8 or 9), and
    // only those that are 7 (@mprotect) have a protection. Counted only in blocks with events,
    // which are rare.
    std::uint64_t with_prot = 0;
    std::uint64_t escaped = 0;
    if (claimed.events) {
      for (std::uint32_t i = 0; i < count; ++i) {
        with_prot += (control_[i] & 0x50U) == 0x50U;
        escaped += (control_[i] & 0x70U) == 0x70U;
      }
    }
    if (with_ops) {
      const auto not_mprotect = static_cast<std::uint64_t>(std::count_if(
          ops_, ops_ + ops_len, [](unsigned char op) { return op != vmt::kOpEscape; }));
      const bool bad_op = std::any_of(ops_, ops_ + ops_len, [](unsigned char op) {
        return op < vmt::kOpEscape || op >= kOpCount;
      });
      if (bad_op || escaped != ops_len) fail_block(at_offset, "malformed block (ops)");
      with_prot -= not_mprotect;
    }
    if (with_prots ? with_prot != prots_len ||
                         std::any_of(prots_, prots_ + prots_len,
                                     [](unsigned char p) { return p > prot_bits(kProtAll); })
                   : escaped != 0) {
      fail_block(at_offset, "malformed block (protections)");
    }
    block_has_events_ = claimed.events;
    const auto escapes = static_cast<std::uint64_t>(std::count(sizes_, sizes_ + sizes_len, 0));
    if (escapes * 4 != big_len) fail_block(at_offset, "malformed block (sizes)");
    block_records_ = count;
    record_ = 0;
    run_index_ = 0;
    run_left_ = 0;
    states_.clear();
    records_read_ += count;
  }

  // What the control bytes claim: delta bytes and size-stream bytes in all, whether one has more
  // than 8 delta bytes, and whether any is an event. Written so the compiler vectorizes it: 32-bit
  // sums, one byte of flags, no branch.
  struct ControlCounts {
    std::uint32_t delta_bytes = 0;
    std::uint32_t sizes = 0;
    bool bad = false;
    bool events = false;
  };
  ControlCounts control_counts(std::uint32_t count) const {
    ControlCounts n;
    unsigned char flags = 0;
    for (std::uint32_t i = 0; i < count; ++i) {
      const unsigned char c = control_[i];
      n.delta_bytes += c & 15U;
      n.sizes += c >> 7;
      // (c & 15) > 8 sets bit 4 of (c & 15) + 7; an op of 3 or more (an event) sets bit 7 of
      // (c & 0x70) + 0x50.
      flags |=
          static_cast<unsigned char>((((c & 15U) + 7U) & 0x10U) | (((c & 0x70U) + 0x50U) & 0x80U));
    }
    n.bad = (flags & 0x10U) != 0;
    n.events = (flags & 0x80U) != 0;
    return n;
  }

  void start_run() {
    const PidRun& run = runs_[run_index_++];
    run_left_ = run.count;
    pid_ = run.pid;
    state_index_ = states_.index_of(pid_);
  }

  // The hot loop: `m` records of the current pid run. Branch-free but for the rare size escape and
  // events; invalid records are noted and reported after the loop. kLimited: the address limit is
  // below 2^64, and checking it also rules out wrapping.
  template <bool kLimited>
  void decode(Access* out, std::uint32_t m) {
    vmt::PidState st = states_[state_index_];
    const unsigned char* control = control_ + record_;
    const unsigned char* sizes = sizes_;
    const unsigned char* big_sizes = big_sizes_;
    const unsigned char* deltas = deltas_;
    const std::uint16_t pid = pid_;
    std::uint64_t bad = 0;
    std::uint64_t reach = 0;
    for (std::uint32_t i = 0; i < m; ++i) {
      const unsigned c = control[i];
      const auto op = static_cast<Op>((c >> 4) & 7);
      const unsigned ctx = kContextOf[(c >> 4) & 7];
      const unsigned changed = c >> 7;
      // Branch-free: the size byte is read whether or not it belongs to this record (the padding
      // makes that safe), and chosen with a conditional move.
      const std::uint32_t next_size = *sizes;
      sizes += changed;
      std::uint32_t size = changed != 0 ? next_size : st.size[ctx];
      if ((changed != 0) & (next_size == 0)) [[unlikely]] {
        // Sizes from the byte stream (1..255, or the initial 1) are valid for any record; a big
        // size must be checked against the context it stays with.
        size = vmt::load_u32(big_sizes);
        big_sizes += 4;
        bad |= static_cast<std::uint64_t>(size == 0 || (ctx != 2 && size > kMaxAccessSize));
      }
      st.size[ctx] = size;
      const std::uint64_t z = vmt::load_u64_fast(deltas) & kDeltaMask[c & 15];
      deltas += c & 15;
      const std::uint64_t addr = st.next[ctx] + vmt::unzigzag(z);
      const std::uint64_t end = addr + size;
      st.next[ctx] = end;
      if constexpr (kLimited) {
        // Inside [0, 2^k - 1], k < 64: the OR of first and last bytes exceeds 2^k - 1 exactly when
        // one of them does; a range starting inside cannot wrap (sizes are below 2^32).
        reach |= addr | (end - 1);
      } else {
        // The range may end exactly at 2^64 (end == 0) but not wrap past it.
        bad |= static_cast<std::uint64_t>(end - 1 < addr);
      }
      out[i] = Access{addr, size, pid, op};
    }
    states_[state_index_] = st;
    sizes_ = sizes;
    big_sizes_ = big_sizes;
    deltas_ = deltas;
    if (block_has_events_) [[unlikely]]
      bad |= finish_events(out, m);
    if ((bad != 0) | (reach > last_address_)) [[unlikely]]
      report_invalid(out, m);
  }

  // The events among `m` decoded records, in a pass of their own so the decoding loop has no
  // branch for them: each @mmap and @mprotect takes its protection, and each is checked as a
  // whole. Returns 1 if one is invalid.
  [[gnu::noinline]] std::uint64_t finish_events(Access* out, std::uint32_t m) {
    std::uint64_t bad = 0;
    for (std::uint32_t i = 0; i < m; ++i) {
      Access& a = out[i];
      if (!is_event(a.op)) continue;
      if (with_ops_ && static_cast<unsigned>(a.op) == vmt::kOpEscape) a.op = Op{*ops_++};
      if (has_prot(a.op)) a.prot = with_prots_ ? Prot{*prots_++} : kProtDefault;
      bad |= invalid_record(a).empty() ? 0 : 1;
    }
    return bad;
  }

  [[noreturn]] void report_invalid(const Access* out, std::uint32_t m) const {
    for (std::uint32_t i = 0; i < m; ++i) {
      const Access& a = out[i];
      std::string why(invalid_record(a));
      if (why.empty() && !limit_.contains(a.addr, a.size)) {
        why = fmt::format("{} bytes at {:#x} lie outside the {}-bit virtual address space ({})",
                          a.size, a.addr, limit_.bits, limit_.hint);
      }
      if (!why.empty()) {
        fail_block(block_offset_, "record " + std::to_string(record_ + i + 1) + ": " + why);
      }
    }
    fail_block(block_offset_, "invalid record");
  }

  std::unique_ptr<ByteSource> source_;
  std::string name_;
  std::size_t chunk_size_;
  std::unique_ptr<ZSTD_DCtx, FreeDCtx> dctx_;  // owned before the header is read, which may throw
  TraceHeader header_;
  std::uint64_t records_hint_ = 0;  // from a trailer read ahead, 0 when there was none
  std::vector<std::string> warnings_;
  std::size_t dropped_warnings_ = 0;

  std::vector<unsigned char> in_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  std::uint64_t offset_ = 0;
  bool eof_ = false;
  bool done_ = false;
  bool lost_blocks_ = false;
  bool strict_ = false;
  AddressLimit limit_;
  std::uint64_t last_address_;  // limit_.last_address()
  bool limited_;                // below 2^64: decode checks the limit instead of wrapping
  TraceDamage damage_;
  std::uint64_t records_read_ = 0;
  std::uint64_t blocks_read_ = 0;

  // The current block, decompressed, and where decoding is in it.
  std::vector<unsigned char> body_;
  std::uint64_t block_offset_ = 0;
  const unsigned char* control_ = nullptr;
  const unsigned char* sizes_ = nullptr;
  const unsigned char* big_sizes_ = nullptr;
  const unsigned char* deltas_ = nullptr;
  const unsigned char* prots_ = nullptr;  // RecordsWithProts and RecordsWithEvents blocks only
  const unsigned char* ops_ = nullptr;    // RecordsWithEvents blocks only
  bool with_prots_ = false;
  bool with_ops_ = false;
  bool block_has_events_ = false;  // decode() then finishes them in a pass of their own
  std::uint32_t block_records_ = 0;
  std::uint32_t record_ = 0;
  std::vector<PidRun> runs_;
  std::size_t run_index_ = 0;
  std::uint32_t run_left_ = 0;
  std::uint16_t pid_ = 0;
  std::size_t state_index_ = 0;
  vmt::PidStates states_;
};

}  // namespace

std::unique_ptr<TraceReader> make_vmt_reader(std::unique_ptr<ByteSource> source, std::string name,
                                             std::size_t chunk_size,
                                             std::optional<VmtTrailer> trailer, bool strict,
                                             AddressLimit limit) {
  return std::make_unique<VmtReader>(std::move(source), std::move(name), chunk_size, trailer,
                                     strict, std::move(limit));
}

std::optional<VmtTrailer> vmt_trailer(std::string_view tail) {
  constexpr std::size_t kTrailerBytes = vmt::kBlockHeaderSize + vmt::kTrailerPayload;
  if (tail.size() < kTrailerBytes) return std::nullopt;
  const auto* h = reinterpret_cast<const unsigned char*>(tail.data() + tail.size() - kTrailerBytes);
  const unsigned char* payload = h + vmt::kBlockHeaderSize;
  const bool ok = std::equal(vmt::kBlockMagic.begin(), vmt::kBlockMagic.end(), h) &&
                  vmt::checksum(h, 32) == vmt::load_u64(h + 32) &&
                  h[4] == static_cast<unsigned char>(vmt::BlockKind::Trailer) &&
                  vmt::load_u32(h + 8) == vmt::kTrailerPayload &&
                  vmt::checksum(payload, vmt::kTrailerPayload) == vmt::load_u64(h + 24);
  if (!ok) return std::nullopt;
  return VmtTrailer{vmt::load_u64(payload), vmt::load_u64(payload + 8)};
}

}  // namespace vmsim
