// Internal constructors of the trace readers, for open_trace(), tests, fuzzers and benchmarks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "trace/byte_source.hpp"
#include "trace/line_source.hpp"
#include "vmsim/trace.hpp"

namespace vmsim {

std::unique_ptr<TraceReader> make_text_reader(std::unique_ptr<LineSource> lines);
std::unique_ptr<TraceReader> make_lackey_reader(std::unique_ptr<LineSource> lines);
// Throws vmsim::Error when page_size is 0.
std::unique_ptr<TraceReader> make_refs_reader(std::unique_ptr<LineSource> lines,
                                              std::uint64_t page_size);

// Throws vmsim::Error when page_size is 0.
std::unique_ptr<TraceReader> make_csv_reader(std::unique_ptr<LineSource> lines,
                                             std::uint64_t page_size);

// When `head` (the first decompressed bytes of an input) is plainly not a trace, what it looks like
// ("bzip2-compressed data ...", "binary data ...", "text in none of the trace formats").
std::optional<std::string> unrecognised_trace(std::string_view head);

// A reader of `format` over `lines`; Auto detects the format from the first lines, and throws
// vmsim::Error saying what the input looks like when it is none of them.
std::unique_ptr<TraceReader> make_reader(std::unique_ptr<LineSource> lines, TraceFormat format,
                                         std::uint64_t page_size);

// A reader over a trace already in memory: a .vmt trace (recognised by its magic), or text which
// may be gzip or zstd compressed like a file. `name` is the file name in error messages;
// `chunk_size` is how many bytes are handed to the line splitter at a time (tiny values make tests
// and fuzzers cross chunk boundaries on every line). Records beyond `limit` are an error.
std::unique_ptr<TraceReader> make_reader_from_memory(std::string data, TraceFormat format,
                                                     std::string name = "<memory>",
                                                     std::uint64_t page_size = 4096,
                                                     std::size_t chunk_size = kDefaultChunkSize,
                                                     AddressLimit limit = {});

}  // namespace vmsim
