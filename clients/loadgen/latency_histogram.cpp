#include "latency_histogram.hpp"

#include <algorithm>
#include <bit>
#include <sstream>

namespace puente::loadgen {

namespace {
// Up to 2^40 us (12 days): anything longer is clamped there.
constexpr int magnitudes = 40;  // bit_width(2^40) - 6 = 35 shifts at most
}  // namespace

LatencyHistogram::LatencyHistogram() : buckets_((magnitudes + 1) << sub_bits, 0) {}

std::size_t LatencyHistogram::index_of(std::int64_t micros) {
  auto v = std::min(static_cast<std::uint64_t>(std::max<std::int64_t>(micros, 0)),
                    std::uint64_t{1} << magnitudes);
  if (v < (1u << sub_bits)) return v;  // exact below 64 us
  // Above, v's six top bits: shift s = bit_width - 6 >= 1 and v >> s in [32, 63].
  auto shift = static_cast<std::size_t>(std::bit_width(v)) - sub_bits;
  return (shift << sub_bits) + static_cast<std::size_t>(v >> shift);
}

std::int64_t LatencyHistogram::upper_edge(std::size_t index) {
  std::size_t shift = index >> sub_bits;
  std::uint64_t top = index & ((1u << sub_bits) - 1);
  if (shift == 0) return static_cast<std::int64_t>(top);
  return static_cast<std::int64_t>(((top + 1) << shift) - 1);
}

void LatencyHistogram::record(std::int64_t micros) {
  ++buckets_[index_of(micros)];
  ++count_;
  max_ = std::max(max_, micros);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  for (std::size_t i = 0; i < buckets_.size(); ++i) buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  max_ = std::max(max_, other.max_);
}

std::int64_t LatencyHistogram::percentile(double fraction) const {
  if (count_ == 0) return 0;
  auto wanted = static_cast<std::uint64_t>(fraction * static_cast<double>(count_) + 0.5);
  wanted = std::clamp<std::uint64_t>(wanted, 1, count_);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen >= wanted) return std::min(upper_edge(i), max_);
  }
  return max_;
}

std::string LatencyHistogram::serialize() const {
  std::ostringstream out;
  bool first = true;
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    if (buckets_[i] == 0) continue;
    out << (first ? "" : ",") << i << ':' << buckets_[i];
    first = false;
  }
  out << ';' << max_;
  return out.str();
}

LatencyHistogram LatencyHistogram::parse(const std::string& text) {
  LatencyHistogram h;
  std::istringstream in(text);
  std::size_t index = 0;
  std::uint64_t n = 0;
  char sep = 0;
  while (in.peek() != ';' && in >> index >> sep >> n) {
    if (index < h.buckets_.size()) h.buckets_[index] += n;
    h.count_ += n;
    if (in.peek() == ',') in.get();
  }
  if (in.peek() == ';') {
    in.get();
    in >> h.max_;
  }
  return h;
}

}  // namespace puente::loadgen
