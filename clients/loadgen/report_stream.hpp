#pragma once
// Publishes at a fixed rate over keep-alive HTTP: an open-loop schedule (the n-th message is
// due n/rate seconds after the start, whatever the answers do) spread over a pool of
// connections with one request in flight each, round-robin over rooms. For Puente each message
// is a real report through the public API (a new incident, a VERIFY alert through Redis); for
// the peers a POST to /pub/<room>. Each carries its nonce, stamped with its scheduled time.

#include "bench_geography.hpp"
#include "latency_histogram.hpp"
#include "peer_protocol.hpp"
#include "server_address.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace puente::loadgen {

struct StreamPlan {
  Target target = Target::puente;
  std::vector<client::ServerAddress> servers;  // connection c goes to servers[c % size]
  std::string token;                           // Authorization for Puente's reports
  const std::vector<BenchRoom>* rooms = nullptr;
  std::size_t room_first = 0, room_count = 0;  // publishes to rooms [first, first + count)
  unsigned room_offset = 0;                    // nonce room numbers start here
  double rate = 0;                             // messages per second
  std::chrono::milliseconds duration{0};
  unsigned connections = 32;
  unsigned phase = 0;
};

class ReportStream {
 public:
  ReportStream(boost::asio::io_context& ioc, StreamPlan plan);
  ~ReportStream();

  // Runs the schedule; `done` once every message was answered (or failed) after the end.
  void start(std::function<void()> done);

  std::uint64_t sent() const { return sent_; }
  std::uint64_t accepted() const { return accepted_; }
  std::uint64_t failed() const { return failed_; }
  // Accepted messages per room of the plan (index - room_first).
  const std::vector<std::uint32_t>& accepted_per_room() const { return accepted_per_room_; }
  // Request to answer, microseconds.
  const LatencyHistogram& answer_latency() const { return answer_latency_; }
  // Seconds from the start to the last answer.
  double seconds() const;
  // The last non-2xx status or error seen, for the log.
  const std::string& last_error() const { return last_error_; }

 private:
  class Connection;
  friend class Connection;

  void tick();
  void pump();
  bool take(Publication& out, std::size_t& room);
  void answered(std::size_t room, bool ok, std::int64_t micros, const std::string& error);

  boost::asio::io_context& ioc_;
  StreamPlan plan_;
  boost::asio::steady_timer timer_;
  std::vector<std::shared_ptr<Connection>> connections_;
  std::vector<std::uint32_t> next_seq_, accepted_per_room_;
  std::chrono::steady_clock::time_point start_;
  std::int64_t start_ns_ = 0, last_answer_ns_ = 0;
  std::uint64_t due_ = 0, sent_ = 0, answered_ = 0, accepted_ = 0, failed_ = 0;
  bool schedule_over_ = false;
  LatencyHistogram answer_latency_;
  std::string last_error_;
  std::function<void()> done_;
};

}  // namespace puente::loadgen
