#pragma once
// Wall-clock time as the wire and Redis carry it, to the millisecond (what Redis stores and what
// a dispatcher reading ack times needs), and the conversions between the two, in one place.

#include <google/protobuf/timestamp.pb.h>

#include <chrono>
#include <cstdint>

namespace puente::core {

using Clock = std::chrono::system_clock;

inline std::int64_t to_ms(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
inline std::int64_t to_ms(const google::protobuf::Timestamp& ts) {
  return ts.seconds() * 1000 + ts.nanos() / 1000000;
}

inline google::protobuf::Timestamp timestamp_from_ms(std::int64_t ms) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(ms / 1000);
  ts.set_nanos(static_cast<int>(ms % 1000) * 1000000);
  return ts;
}
inline google::protobuf::Timestamp to_timestamp(Clock::time_point t) {
  return timestamp_from_ms(to_ms(t));
}
inline Clock::time_point to_time_point(const google::protobuf::Timestamp& ts) {
  return Clock::time_point(std::chrono::milliseconds(to_ms(ts)));
}

inline google::protobuf::Timestamp now() { return to_timestamp(Clock::now()); }

}  // namespace puente::core
