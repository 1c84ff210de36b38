// libFuzzer target: the .vmt reader over arbitrary bytes. The seeds in fuzz/corpus/vmt/ are whole
// files made by the writer and are read as they are. Any other input gets a valid file header in
// front, so the fuzzer spends its time on blocks rather than on rediscovering the magic, and its
// first byte chooses how the rest is used:
//   0: as the blocks, unchanged (checksums almost never match: exercises skipping and resync);
//   1: as blocks whose checksums are then made to match (exercises decompression of damaged data);
//   2: as a list of (kind u8, records u32, body length u16, body) that is compressed and framed
//      into valid blocks (exercises the validation and decoding of crafted block bodies).
// Damaged, truncated or crafted input must end in a vmsim::Error or in warnings, never a crash or a
// sanitizer report, and reading in 4 KiB chunks and in 3-byte chunks with tiny batches must agree:
// the same records, the same warnings, and an error in both or in neither. Read again within a
// 48-bit address space, the records must be the same if all of them fit, and an error otherwise.
#include <zstd.h>

#include <algorithm>
#include <array>

#include "fuzz_common.hpp"
#include "trace/vmt_format.hpp"

namespace vmsim::fuzz {
namespace {

struct VmtOutcome {
  std::vector<Access> records;
  std::vector<std::string> warnings;
  std::string error;
};

VmtOutcome read_vmt(const std::string& data, std::size_t chunk, std::size_t batch,
                    AddressLimit limit = {}) {
  VmtOutcome outcome;
  try {
    auto reader = make_reader_from_memory(data, TraceFormat::Vmt, "fuzz", 4096, chunk, limit);
    check(reader->header() != nullptr);
    std::vector<Access> buffer(batch);
    for (;;) {
      const std::size_t n = reader->read(buffer);
      check(n <= batch);
      if (n == 0) break;
      for (std::size_t i = 0; i < n; ++i) {
        check_record(buffer[i]);
        outcome.records.push_back(buffer[i]);
      }
    }
    check(reader->read(buffer) == 0);
    outcome.warnings = reader->warnings();
  } catch (const Error& e) {
    outcome.error = e.what();
    check(!outcome.error.empty());
  }
  return outcome;
}

// A version-1 file header with no command, as the writer makes it.
std::string file_header() {
  std::array<unsigned char, vmt::kFileHeaderMin> h{};
  std::copy(vmt::kMagic.begin(), vmt::kMagic.end(), h.begin());
  vmt::store_u16(&h[8], vmt::kVersion);
  vmt::store_u32(&h[12], static_cast<std::uint32_t>(h.size()));
  vmt::store_u64(&h[16], 4096);
  vmt::store_u64(&h[36], vmt::checksum(h.data(), 36));
  return std::string(reinterpret_cast<const char*>(h.data()), h.size());
}

unsigned char* at(std::string& s, std::size_t i) {
  return reinterpret_cast<unsigned char*>(s.data() + i);
}

// Recomputes the payload and header checksums of every block the declared sizes delimit.
void fix_checksums(std::string& data, std::size_t from) {
  std::size_t pos = from;
  while (pos + vmt::kBlockHeaderSize <= data.size()) {
    const std::size_t stored = vmt::load_u32(at(data, pos + 8));
    const std::size_t payload = std::min(stored, data.size() - pos - vmt::kBlockHeaderSize);
    std::copy(vmt::kBlockMagic.begin(), vmt::kBlockMagic.end(), at(data, pos));
    vmt::store_u64(at(data, pos + 24),
                   vmt::checksum(at(data, pos + vmt::kBlockHeaderSize), payload));
    vmt::store_u64(at(data, pos + 32), vmt::checksum(at(data, pos), 32));
    pos += vmt::kBlockHeaderSize + payload;
  }
}

// Frames (kind, records, body) entries into valid, compressed blocks.
std::string frame_bodies(std::string_view in) {
  std::string out;
  while (in.size() >= 7) {
    const auto* p = reinterpret_cast<const unsigned char*>(in.data());
    const unsigned char kind = p[0];
    const std::uint32_t records = vmt::load_u32(p + 1) % 4096;
    const std::size_t length = std::min<std::size_t>(vmt::load_u16(p + 5), in.size() - 7);
    const std::string_view body = in.substr(7, length);
    in.remove_prefix(7 + length);
    std::string packed(ZSTD_compressBound(body.size()), '\0');
    const bool compress = kind == static_cast<unsigned char>(vmt::BlockKind::Records) ||
                          kind == static_cast<unsigned char>(vmt::BlockKind::RecordsWithProts);
    std::size_t stored = body.size();
    if (compress) {
      stored = ZSTD_compress(packed.data(), packed.size(), body.data(), body.size(), 1);
      if (ZSTD_isError(stored)) return out;
    } else {
      packed.assign(body);
    }
    std::array<unsigned char, vmt::kBlockHeaderSize> h{};
    std::copy(vmt::kBlockMagic.begin(), vmt::kBlockMagic.end(), h.begin());
    h[4] = kind;
    vmt::store_u32(&h[8], static_cast<std::uint32_t>(stored));
    vmt::store_u32(&h[12], static_cast<std::uint32_t>(body.size()));
    vmt::store_u32(&h[16], records);
    vmt::store_u64(&h[24], vmt::checksum(packed.data(), stored));
    vmt::store_u64(&h[32], vmt::checksum(h.data(), 32));
    out.append(reinterpret_cast<const char*>(h.data()), h.size());
    out.append(packed.data(), stored);
  }
  return out;
}

}  // namespace
}  // namespace vmsim::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  using namespace vmsim::fuzz;
  std::string data(reinterpret_cast<const char*>(bytes), size);
  if (!vmsim::vmt::has_magic(data) && !data.empty()) {
    const unsigned mode = static_cast<unsigned char>(data[0]) % 3;
    const std::string rest = data.substr(1);
    const std::string header = file_header();
    if (mode == 2) {
      data = header + frame_bodies(rest);
    } else {
      data = header + rest;
      if (mode == 1) fix_checksums(data, header.size());
    }
  }
  const VmtOutcome big = read_vmt(data, 4096, 4096);
  const VmtOutcome tiny = read_vmt(data, 3, 1 + size % 3);
  check(big.error.empty() == tiny.error.empty());
  if (big.error.empty()) {
    check(big.records == tiny.records);
    check(big.warnings == tiny.warnings);
  } else {
    const auto& shorter = big.records.size() < tiny.records.size() ? big.records : tiny.records;
    const auto& longer = big.records.size() < tiny.records.size() ? tiny.records : big.records;
    check(std::equal(shorter.begin(), shorter.end(), longer.begin()));
  }
  const vmsim::AddressLimit limit{.bits = 48, .hint = "fuzz"};
  const VmtOutcome limited = read_vmt(data, 4096, 4096, limit);
  const bool all_fit =
      std::all_of(big.records.begin(), big.records.end(),
                  [&](const vmsim::Access& a) { return limit.contains(a.addr, a.size); });
  if (big.error.empty() && all_fit) {
    check(limited.error.empty() && limited.records == big.records);
  } else if (big.error.empty()) {
    check(!limited.error.empty());
  }
  // Either way, what the limited read returned is a prefix of the unlimited one (it stops at the
  // same batch or earlier), and fits.
  check(limited.records.size() <= big.records.size());
  check(std::equal(limited.records.begin(), limited.records.end(), big.records.begin()));
  for (const vmsim::Access& a : limited.records) {
    check(limit.contains(a.addr, a.size));
  }
  return 0;
}
