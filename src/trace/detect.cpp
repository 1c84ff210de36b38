// Guessing a trace's format from its first lines. Each significant line votes for the format whose
// shape it has; the majority wins, so one odd line does not decide, and the chosen reader then
// reports any line that does not fit with a precise message.
#include <array>
#include <optional>
#include <string>

#include "trace/fields.hpp"
#include "vmsim/trace.hpp"

namespace vmsim {
namespace {

constexpr int kLinesLooked = 50;

enum class Shape : std::uint8_t { Text, Lackey, Refs, Unknown };

bool all_hex(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    if (hex_value(c) > 15) return false;
  }
  return true;
}

bool all_decimal(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    if (!is_digit(c)) return false;
  }
  return true;
}

// `I  04000c50,3` or ` L 1ffefffd78,8` (S and M likewise).
bool is_lackey_line(std::string_view line) {
  Fields fields(line);
  const std::string_view kind = fields.next();
  const std::string_view operand = fields.next();
  if (kind.size() != 1 || std::string_view("ILSM").find(kind[0]) == std::string_view::npos) {
    return false;
  }
  if (!fields.next().empty()) return false;
  const std::size_t comma = operand.find(',');
  return comma != std::string_view::npos && all_hex(operand.substr(0, comma)) &&
         all_decimal(operand.substr(comma + 1));
}

// Page numbers with optional write suffixes, separated by whitespace or commas.
bool is_refs_line(std::string_view line) {
  bool any = false;
  std::size_t i = 0;
  while (i < line.size()) {
    if (is_space(line[i]) || line[i] == ',') {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < line.size() && !is_space(line[j]) && line[j] != ',') ++j;
    std::string_view token = line.substr(i, j - i);
    const char last = token.back();
    if (last == 'w' || last == 'W' || last == '*') token.remove_suffix(1);
    std::uint64_t ignored = 0;
    if (parse_number(token, ignored) == NumberStatus::Bad) return false;
    any = true;
    i = j;
  }
  return any;
}

bool is_op(std::string_view token) {
  return token.size() == 1 && std::string_view("RWXrwx").find(token[0]) != std::string_view::npos;
}

// `[PID] OP ADDR [SIZE]` or `@event ...`.
bool is_text_line(std::string_view line) {
  Fields fields(line);
  const std::string_view first = fields.next();
  if (first.empty()) return false;
  if (first[0] == '@' || is_op(first)) return true;
  return all_decimal(first) && is_op(fields.next());
}

Shape classify(std::string_view line) {
  if (is_lackey_line(line)) return Shape::Lackey;
  const std::string_view code = strip_comment(line);
  if (is_refs_line(code)) return Shape::Refs;
  if (is_text_line(code)) return Shape::Text;
  return Shape::Unknown;
}

// Magic bytes of formats vmsim does not read, so a wrong file gets named instead of parsed as text.
struct Magic {
  std::string_view bytes;
  std::string_view looks_like;
};
constexpr Magic kForeignMagic[] = {
    {"BZh", "bzip2-compressed data (decompress it, or recompress with gzip or zstd)"},
    {"\xfd"
     "7zXZ",
     "xz-compressed data (decompress it, or recompress with gzip or zstd)"},
    {"\x04\x22\x4d\x18", "lz4-compressed data (decompress it, or recompress with gzip or zstd)"},
    {"PK\x03\x04", "a zip archive (extract the trace first)"},
    {"7z\xbc\xaf\x27\x1c", "a 7-zip archive (extract the trace first)"},
    {"\x7f"
     "ELF",
     "an ELF executable (record it with 'vmsim record -- PROGRAM')"},
    {"%PDF", "a PDF document"},
    {"\x89PNG", "a PNG image"},
};

// Binary: a NUL byte, or more than one byte in ten a control character other than whitespace.
bool looks_binary(std::string_view head) {
  const std::string_view sample = head.substr(0, 4096);
  std::size_t control = 0;
  for (const char c : sample) {
    const auto u = static_cast<unsigned char>(c);
    if (u == 0) return true;
    if (u < 0x20 && u != '\n' && u != '\r' && u != '\t' && u != '\f' && u != '\v') ++control;
  }
  return control * 10 > sample.size();
}

// How many of the first significant lines (not blank, not comments, not valgrind's `==` lines)
// have each shape.
struct ShapeVotes {
  std::array<int, 4> votes{};
  int looked = 0;
  int of(Shape shape) const { return votes[static_cast<std::size_t>(shape)]; }
};

ShapeVotes shape_votes(std::string_view head) {
  ShapeVotes v;
  std::size_t pos = 0;
  while (pos < head.size() && v.looked < kLinesLooked) {
    std::size_t eol = head.find('\n', pos);
    if (eol == std::string_view::npos) eol = head.size();
    const std::string_view line = head.substr(pos, eol - pos);
    pos = eol + 1;

    std::size_t first = 0;
    while (first < line.size() && is_space(line[first])) ++first;
    if (first == line.size() || line[first] == '#') continue;
    if (line.starts_with("==")) continue;
    ++v.looked;
    ++v.votes[static_cast<std::size_t>(classify(line))];
  }
  return v;
}

bool is_csv(std::string_view head) {
  // A csv trace says so in its first line.
  std::string_view first_line = head.substr(0, head.find('\n'));
  if (first_line.ends_with('\r')) first_line.remove_suffix(1);
  return first_line == "pid,op,page";
}

}  // namespace

std::optional<std::string> unrecognised_trace(std::string_view head) {
  for (const Magic& m : kForeignMagic) {
    if (head.starts_with(m.bytes)) return std::string(m.looks_like);
  }
  if (looks_binary(head)) return std::string("binary data, not a text trace or a .vmt file");
  if (is_csv(head)) return std::nullopt;
  // Text of no known shape at all: not one of the first lines fits any format. (Empty, or only
  // comments, is an empty trace.)
  const ShapeVotes v = shape_votes(head);
  if (v.looked == 0 || v.of(Shape::Unknown) < v.looked) return std::nullopt;
  return std::string("text in none of the trace formats");
}

TraceFormat detect_trace_format(std::string_view head) {
  if (is_csv(head)) return TraceFormat::Csv;
  const ShapeVotes v = shape_votes(head);
  const int text = v.of(Shape::Text);
  const int lackey = v.of(Shape::Lackey);
  const int refs = v.of(Shape::Refs);
  // Ties go to Text, whose reader explains best what is wrong with a line.
  if (lackey > text && lackey >= refs) return TraceFormat::Lackey;
  if (refs > text && refs > lackey) return TraceFormat::Refs;
  return TraceFormat::Text;
}

}  // namespace vmsim
