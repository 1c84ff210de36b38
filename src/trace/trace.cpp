// Entry points of include/vmsim/trace.hpp: format names, opening a trace, and the in-memory reader.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <utility>

#include "trace/parse_util.hpp"
#include "trace/readers.hpp"
#include "trace/vmt.hpp"
#include "trace/vmt_format.hpp"
#include "vmsim/error.hpp"

namespace vmsim {
namespace {

constexpr std::array<TraceFormat, 6> kFormats{TraceFormat::Auto,   TraceFormat::Text,
                                              TraceFormat::Lackey, TraceFormat::Refs,
                                              TraceFormat::Vmt,    TraceFormat::Csv};

[[noreturn]] void fail_not_vmt(const std::string& name) {
  throw Error(name + ": not a vmt trace (it does not start with the .vmt magic bytes)");
}

// The trailer of a finished .vmt file, read from its end before the records so header() has the
// duration and records_hint() the record count at once. Only a regular file can be looked at from
// the end.
std::optional<VmtTrailer> peek_trailer(const std::string& path) {
  struct stat st {};
  if (path == "-" || ::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  constexpr std::size_t kTail = vmt::kBlockHeaderSize + vmt::kTrailerPayload;
  if (static_cast<std::uint64_t>(st.st_size) < kTail) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  in.seekg(-static_cast<std::streamoff>(kTail), std::ios::end);
  std::string tail(kTail, '\0');
  if (!in.read(tail.data(), static_cast<std::streamsize>(kTail))) return std::nullopt;
  return vmt_trailer(tail);
}

}  // namespace

std::string_view format_name(TraceFormat format) {
  switch (format) {
    case TraceFormat::Auto:
      return "auto";
    case TraceFormat::Text:
      return "text";
    case TraceFormat::Lackey:
      return "lackey";
    case TraceFormat::Refs:
      return "refs";
    case TraceFormat::Vmt:
      return "vmt";
    case TraceFormat::Csv:
      return "csv";
  }
  return "unknown";
}

TraceFormat parse_trace_format(std::string_view name) {
  std::string valid;
  for (const TraceFormat format : kFormats) {
    if (name == format_name(format)) return format;
    if (!valid.empty()) valid += ", ";
    valid += format_name(format);
  }
  throw Error("unknown trace format '" + std::string(name) + "' (valid: " + valid + ")");
}

std::unique_ptr<TraceReader> make_reader(std::unique_ptr<LineSource> lines, TraceFormat format,
                                         std::uint64_t page_size) {
  if (format == TraceFormat::Auto) {
    const std::string_view head = lines->head();
    if (const std::optional<std::string> what = unrecognised_trace(head)) {
      const std::string_view first = head.substr(0, head.find('\n'));
      throw InputError(
          lines->name(), 1,
          "trace format not recognised: it looks like " + *what +
              (what->starts_with("text") ? " (first line " + quote(first) + ")" : "") +
              ". vmsim reads text, lackey, refs and csv traces (plain, gzip or zstd) and .vmt "
              "files; see docs/trace-format.md, or name the format with --input-format");
    }
    format = detect_trace_format(head);
  }
  switch (format) {
    case TraceFormat::Lackey:
      return make_lackey_reader(std::move(lines));
    case TraceFormat::Refs:
      return make_refs_reader(std::move(lines), page_size);
    case TraceFormat::Csv:
      return make_csv_reader(std::move(lines), page_size);
    case TraceFormat::Vmt:
      // Binary: open_trace() and make_reader_from_memory() hand .vmt input to make_vmt_reader()
      // before it is split into lines, so what arrives here is something else.
      fail_not_vmt(lines->name());
    case TraceFormat::Auto:
    case TraceFormat::Text:
      break;
  }
  return make_text_reader(std::move(lines));
}

bool TraceSpec::rewindable() const {
  if (has_inline_refs) return true;
  struct stat st {};
  return path != "-" && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::unique_ptr<TraceReader> open_trace(const TraceSpec& spec) {
  if (spec.has_inline_refs) {
    // A string typed on the command line is a reference string whatever --format says.
    auto lines =
        std::make_unique<LineSource>(make_memory_source(spec.inline_refs), spec.display_name());
    lines->set_address_limit(spec.address_limit);
    return make_refs_reader(std::move(lines), spec.page_size);
  }
  auto raw = open_file_source(spec.path);
  std::string prefix = read_prefix(*raw, vmt::kMagic.size());
  // The magic decides whatever the format says: a .vmt file read as text would only give a
  // confusing message about its first "line".
  if (vmt::has_magic(prefix)) {
    return make_vmt_reader(make_prefixed_source(std::move(prefix), std::move(raw)),
                           spec.display_name(), kDefaultChunkSize, peek_trailer(spec.path),
                           spec.strict, spec.address_limit);
  }
  if (spec.format == TraceFormat::Vmt) fail_not_vmt(spec.display_name());
  auto source = with_decompression(make_prefixed_source(std::move(prefix), std::move(raw)));
  auto lines = std::make_unique<LineSource>(std::move(source), spec.display_name());
  lines->set_address_limit(spec.address_limit);
  return make_reader(std::move(lines), spec.format, spec.page_size);
}

std::unique_ptr<TraceReader> make_reader_from_memory(std::string data, TraceFormat format,
                                                     std::string name, std::uint64_t page_size,
                                                     std::size_t chunk_size, AddressLimit limit) {
  if (vmt::has_magic(data)) {
    const std::optional<VmtTrailer> trailer = vmt_trailer(data);
    return make_vmt_reader(make_memory_source(std::move(data)), std::move(name), chunk_size,
                           trailer, false, std::move(limit));
  }
  if (format == TraceFormat::Vmt) fail_not_vmt(name);
  auto source = with_decompression(make_memory_source(std::move(data)), chunk_size);
  auto lines = std::make_unique<LineSource>(std::move(source), std::move(name), chunk_size);
  lines->set_address_limit(std::move(limit));
  return make_reader(std::move(lines), format, page_size);
}

std::size_t VectorReader::read(std::span<Access> out) {
  const std::size_t n = std::min(out.size(), records_.size() - pos_);
  std::copy_n(records_.begin() + static_cast<std::ptrdiff_t>(pos_), n, out.begin());
  pos_ += n;
  return n;
}

}  // namespace vmsim
