// The .vmt binary trace format, version 1 (docs/trace-format.md has the byte layout): constants and
// the little-endian, varint and zigzag codecs shared by the writer and the reader.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "vmsim/access.hpp"

namespace vmsim::vmt {

inline constexpr std::uint16_t kVersion = 1;

// PNG-style: a non-ASCII first byte so no text trace starts this way, and CR LF / ^Z / LF so a
// text-mode transfer that mangles line ends is caught at once.
inline constexpr std::array<unsigned char, 8> kMagic{0x89, 'V', 'M', 'T', '\r', '\n', 0x1a, '\n'};
inline constexpr std::array<unsigned char, 4> kBlockMagic{'V', 'M', 'T', 'B'};

// File header: magic, version u16, flags u16, header size u32, page-size hint u64, start time u64,
// command length u32, the command, XXH3-64 of everything before it.
inline constexpr std::size_t kFileHeaderFixed = 36;
inline constexpr std::size_t kFileHeaderMin = kFileHeaderFixed + 8;
inline constexpr std::uint32_t kMaxCommandBytes = std::uint32_t{1} << 20;

// Block header: magic, kind u8, 3 zero bytes, stored size u32, raw size u32, record count u32,
// 4 zero bytes, XXH3-64 of the stored payload, XXH3-64 of the 32 bytes before it.
inline constexpr std::size_t kBlockHeaderSize = 40;
// RecordsWithProts: a records block that also holds the protections of its @mmap and @mprotect
// records. Writers use it only for blocks that have such records, so a trace without them is
// written as before; a reader that predates it skips such blocks with a warning.
// RecordsWithEvents: a RecordsWithProts block that also holds events whose op does not fit the
// control byte's three bits (`@brk`, `@exec`): each record with op 7 there takes its op from a
// seventh stream. Used only for blocks with such events, likewise.
enum class BlockKind : std::uint8_t {
  Records = 1,
  Trailer = 2,
  RecordsWithProts = 3,
  RecordsWithEvents = 4
};

// Records block body after decompression: four u32 stream lengths (pid runs, sizes, big sizes,
// deltas), then the streams pid runs, control (one byte per record), sizes, big sizes, deltas.
// RecordsWithProts adds a fifth u32 length, protections, and that stream last: one byte (the
// kProt* bits) per Mmap or Mprotect record, in record order.
// RecordsWithEvents adds a sixth u32 length, ops, and that stream after the protections: one byte
// per record whose control byte has op 7 (kOpEscape), in record order: its op (7 Mprotect, 8 Brk,
// 9 Exec).
inline constexpr std::size_t kBodyPrefix = 16;
inline constexpr std::size_t kBodyPrefixWithProts = 20;
inline constexpr std::size_t kBodyPrefixWithEvents = 24;
inline constexpr unsigned kOpEscape = 7;  // the largest op a control byte holds
// Trailer payload (stored uncompressed): duration ns, records in the file, record blocks, all u64.
inline constexpr std::size_t kTrailerPayload = 24;

// Limits a reader enforces so a crafted header cannot make it allocate without bound. The writer
// stays far below them.
inline constexpr std::uint32_t kMaxBlockRecords = std::uint32_t{1} << 22;
inline constexpr std::uint32_t kMaxRawBytes = std::uint32_t{64} << 20;

// Control byte of a record: bits 0-3 the number of delta bytes (0..8), bits 4-6 the op, bit 7 set
// when the size differs from the previous record of the same pid and context (and so is in the
// sizes stream).
inline constexpr unsigned kSizeChanged = 0x80;

// Address prediction contexts: instruction fetches, data references and events each continue from
// the end of the previous record of their own context, so interleaved code and data both stay
// sequential.
inline constexpr std::size_t kContexts = 3;
constexpr unsigned context_of(Op op) {
  if (op == Op::Fetch) return 0;
  return is_event(op) ? 2 : 1;
}

// What the writer and the reader predict for one pid: where each context's next record starts and
// the size it repeats. Reset at every block (address 0, size 1) so each block decodes on its own.
// The initial size is a valid one, so the decoder need not check sizes that come from no stream.
struct PidState {
  std::array<std::uint64_t, kContexts> next{};
  std::array<std::uint32_t, kContexts> size{1, 1, 1};
};

// The PidStates of one block, found by pid through a small open-addressing table: a block usually
// has one pid or a few, so a 64 Ki-entry array would cost more to allocate and clear than it saves.
class PidStates {
 public:
  // The index of `pid`'s state, added (zeroed) if the block has not seen the pid.
  std::size_t index_of(std::uint16_t pid) {
    const std::uint32_t key = pid + 1U;
    for (std::size_t i = start(pid);; i = (i + 1) & (keys_.size() - 1)) {
      if (keys_[i] == key) return slots_[i];
      if (keys_[i] != 0) continue;
      if ((states_.size() + 1) * 2 > keys_.size()) {
        grow();
        return index_of(pid);
      }
      keys_[i] = key;
      slots_[i] = static_cast<std::uint32_t>(states_.size());
      states_.emplace_back();
      return slots_[i];
    }
  }
  PidState& operator[](std::size_t index) { return states_[index]; }
  void clear() {
    std::fill(keys_.begin(), keys_.end(), 0U);
    states_.clear();
  }

 private:
  std::size_t start(std::uint16_t pid) const {
    return (pid * std::size_t{0x9e3779b1} >> 7) & (keys_.size() - 1);
  }
  void grow() {
    std::vector<std::uint32_t> keys(keys_.size() * 2, 0);
    std::vector<std::uint32_t> slots(keys.size(), 0);
    keys.swap(keys_);
    slots.swap(slots_);
    for (std::size_t j = 0; j < keys.size(); ++j) {
      if (keys[j] == 0) continue;
      std::size_t i = start(static_cast<std::uint16_t>(keys[j] - 1));
      while (keys_[i] != 0) i = (i + 1) & (keys_.size() - 1);
      keys_[i] = keys[j];
      slots_[i] = slots[j];
    }
  }

  std::vector<std::uint32_t> keys_ = std::vector<std::uint32_t>(16, 0);  // pid + 1, 0 = empty
  std::vector<std::uint32_t> slots_ = std::vector<std::uint32_t>(16, 0);
  std::vector<PidState> states_;
};

inline void store_u16(unsigned char* p, std::uint16_t v) {
  p[0] = static_cast<unsigned char>(v);
  p[1] = static_cast<unsigned char>(v >> 8);
}
inline void store_u32(unsigned char* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
}
inline void store_u64(unsigned char* p, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
}
inline std::uint16_t load_u16(const unsigned char* p) {
  return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}
inline std::uint32_t load_u32(const unsigned char* p) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}
inline std::uint64_t load_u64(const unsigned char* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}
// An unaligned 8-byte little-endian load for the decoder's hot loop (compiles to one mov on x86 and
// arm64; the byte loop above is for the cold paths).
inline std::uint64_t load_u64_fast(const unsigned char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}

constexpr std::uint64_t zigzag(std::uint64_t delta) {
  return (delta << 1) ^ (0 - (delta >> 63));
}
constexpr std::uint64_t unzigzag(std::uint64_t v) {
  return (v >> 1) ^ (0 - (v & 1));
}
// Bytes needed for v as a little-endian number without its leading zero bytes (0 for v == 0).
constexpr unsigned byte_length(std::uint64_t v) {
  return v == 0 ? 0 : static_cast<unsigned>((64 - __builtin_clzll(v) + 7) / 8);
}

// LEB128 for the small pid-run stream. Returns bytes written (at most 10).
inline std::size_t put_varint(unsigned char* p, std::uint64_t v) {
  std::size_t n = 0;
  while (v >= 0x80) {
    p[n++] = static_cast<unsigned char>(v | 0x80);
    v >>= 7;
  }
  p[n++] = static_cast<unsigned char>(v);
  return n;
}
// Reads a LEB128 number from [p, end); false when it runs past end or past 64 bits.
inline bool get_varint(const unsigned char*& p, const unsigned char* end, std::uint64_t& out) {
  std::uint64_t v = 0;
  for (unsigned shift = 0; shift < 64; shift += 7) {
    if (p == end) return false;
    const unsigned char b = *p++;
    if (shift == 63 && b > 1) return false;
    v |= std::uint64_t{b & 0x7fU} << shift;
    if (b < 0x80) {
      out = v;
      return true;
    }
  }
  return false;
}

inline bool has_magic(std::string_view bytes) {
  return bytes.size() >= kMagic.size() &&
         std::memcmp(bytes.data(), kMagic.data(), kMagic.size()) == 0;
}

// XXH3-64 of a byte range (defined in vmt_checksum.cpp, where xxhash is inlined).
std::uint64_t checksum(const void* data, std::size_t size);

}  // namespace vmsim::vmt
