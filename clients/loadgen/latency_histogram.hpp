#pragma once
// Post-to-receipt latencies, in microseconds, kept HdrHistogram-style: exact below 64 us, then
// 32 linear buckets per power of two, so every value is held to within 1/32 (3 %) whatever its
// size, in a few kilobytes. Workers each fill one and print it; the parent merges them by adding
// counts.

#include <cstdint>
#include <string>
#include <vector>

namespace puente::loadgen {

class LatencyHistogram {
 public:
  LatencyHistogram();

  void record(std::int64_t micros);
  void merge(const LatencyHistogram& other);

  std::uint64_t count() const { return count_; }
  std::int64_t max() const { return max_; }
  // The smallest recorded value v with at least `fraction` of the values at or below it
  // (its bucket's upper edge); 0 when empty.
  std::int64_t percentile(double fraction) const;

  // "index:count,index:count,..." of the non-empty buckets, then ";max".
  std::string serialize() const;
  static LatencyHistogram parse(const std::string& text);

 private:
  static constexpr int sub_bits = 6;  // 64 sub-buckets
  static std::size_t index_of(std::int64_t micros);
  static std::int64_t upper_edge(std::size_t index);

  std::vector<std::uint64_t> buckets_;
  std::uint64_t count_ = 0;
  std::int64_t max_ = 0;
};

}  // namespace puente::loadgen
