// Entry points of include/vmsim/trace.hpp: format names, opening a trace, and the in-memory reader.
#include <algorithm>
#include <array>
#include <utility>

#include "trace/readers.hpp"
#include "vmsim/error.hpp"

namespace vmsim {
namespace {

constexpr std::array<TraceFormat, 4> kFormats{TraceFormat::Auto, TraceFormat::Text,
                                              TraceFormat::Lackey, TraceFormat::Refs};

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
  if (format == TraceFormat::Auto) format = detect_trace_format(lines->head());
  switch (format) {
    case TraceFormat::Lackey:
      return make_lackey_reader(std::move(lines));
    case TraceFormat::Refs:
      return make_refs_reader(std::move(lines), page_size);
    case TraceFormat::Auto:
    case TraceFormat::Text:
      break;
  }
  return make_text_reader(std::move(lines));
}

std::unique_ptr<TraceReader> open_trace(const TraceSpec& spec) {
  if (spec.has_inline_refs) {
    // A string typed on the command line is a reference string whatever --format says.
    auto lines =
        std::make_unique<LineSource>(make_memory_source(spec.inline_refs), spec.display_name());
    return make_refs_reader(std::move(lines), spec.page_size);
  }
  auto source = with_decompression(open_file_source(spec.path));
  auto lines = std::make_unique<LineSource>(std::move(source), spec.display_name());
  return make_reader(std::move(lines), spec.format, spec.page_size);
}

std::unique_ptr<TraceReader> make_reader_from_memory(std::string data, TraceFormat format,
                                                     std::string name, std::uint64_t page_size,
                                                     std::size_t chunk_size) {
  auto source = with_decompression(make_memory_source(std::move(data)), chunk_size);
  auto lines = std::make_unique<LineSource>(std::move(source), std::move(name), chunk_size);
  return make_reader(std::move(lines), format, page_size);
}

std::size_t VectorReader::read(std::span<Access> out) {
  const std::size_t n = std::min(out.size(), records_.size() - pos_);
  std::copy_n(records_.begin() + static_cast<std::ptrdiff_t>(pos_), n, out.begin());
  pos_ += n;
  return n;
}

}  // namespace vmsim
