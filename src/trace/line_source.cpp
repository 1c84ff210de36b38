#include "trace/line_source.hpp"

#include <algorithm>
#include <span>
#include <utility>

#include "vmsim/error.hpp"

namespace vmsim {

LineSource::LineSource(std::unique_ptr<ByteSource> source, std::string name, std::size_t chunk_size)
    : source_(std::move(source)),
      name_(std::move(name)),
      chunk_size_(std::max<std::size_t>(chunk_size, 1)),
      capacity_(chunk_size_),
      data_(std::make_unique_for_overwrite<char[]>(capacity_)) {}

bool LineSource::refill() {
  if (!deferred_error_.empty()) fail(deferred_error_);
  if (eof_) return false;
  const std::size_t pending = end_ - pos_;
  if (pending >= kMaxLineBytes) {
    fail("line longer than " + std::to_string(kMaxLineBytes) + " bytes");
  }
  if (pos_ > 0) {
    std::memmove(data_.get(), data_.get() + pos_, pending);
    pos_ = 0;
    end_ = pending;
  }
  if (capacity_ - end_ < chunk_size_) {
    // Only a line longer than a chunk gets here, so growth stops near kMaxLineBytes + chunk_size_.
    const std::size_t capacity = std::max(capacity_ * 2, end_ + chunk_size_);
    auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
    std::memcpy(bigger.get(), data_.get(), end_);
    data_ = std::move(bigger);
    capacity_ = capacity;
  }
  std::size_t got = 0;
  try {
    got = source_->read(std::span<char>(data_.get() + end_, chunk_size_));
  } catch (const InputError&) {
    throw;
  } catch (const Error& e) {
    // Corrupt compressed data or a failing disk: say how far the trace was read. While peeking for
    // detection that is not known yet, so the error waits until the lines before it are consumed.
    if (!peeking_) fail(e.what());
    deferred_error_ = e.what();
    return false;
  }
  if (got == 0) {
    eof_ = true;
    return false;
  }
  end_ += got;
  return true;
}

std::string_view LineSource::head() {
  constexpr std::size_t kHeadBytes = std::size_t{64} << 10;
  peeking_ = true;
  while (end_ - pos_ < kHeadBytes && refill()) {
  }
  peeking_ = false;
  std::string_view head(data_.get() + pos_, end_ - pos_);
  if (!eof_ || !deferred_error_.empty()) {
    const std::size_t last_newline = head.rfind('\n');
    if (last_newline != std::string_view::npos) head = head.substr(0, last_newline + 1);
  }
  return head;
}

void LineSource::fail(const std::string& message) const {
  throw InputError(name_, line_, message);
}

}  // namespace vmsim
