#pragma once
// Wall-clock time as the wire carries it, to the millisecond (what Redis stores and what a
// dispatcher reading ack times needs).

#include <google/protobuf/timestamp.pb.h>

#include <chrono>

namespace puente::core {

inline google::protobuf::Timestamp now() {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  google::protobuf::Timestamp ts;
  ts.set_seconds(ms / 1000);
  ts.set_nanos(static_cast<int>(ms % 1000) * 1000000);
  return ts;
}

}  // namespace puente::core
