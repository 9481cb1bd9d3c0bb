#pragma once
// The node's counters, rendered as Prometheus text at GET /metrics.
//
// Plain atomics updated from any thread with relaxed ordering: each number is read on its own,
// so no two need to be seen consistently. Latency is a fixed-bucket histogram in seconds.

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

namespace puente::core {

class Counter {
 public:
  void inc(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class Gauge {
 public:
  void add(std::int64_t n) { value_.fetch_add(n, std::memory_order_relaxed); }
  std::int64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> value_{0};
};

class LatencyHistogram {
 public:
  // Upper bounds in seconds: 1 ms to 5 s covers a healthy request and a Redis stall.
  static constexpr std::array<double, 10> bounds{0.001, 0.0025, 0.005, 0.01, 0.025,
                                                 0.05,  0.1,    0.25,  1.0,  5.0};
  void observe(double seconds);
  // Appends the histogram's lines for `name`.
  void render(std::string& out, const char* name, const char* help) const;

 private:
  std::array<std::atomic<std::uint64_t>, bounds.size() + 1> buckets_{};  // last: +Inf
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> sum_micros_{0};
};

// An escalation step taken this long after it was due counts as late.
inline constexpr int kLateEscalationStepSeconds = 30;

// One gauge's lines, for gauges a node computes when scraped rather than keeps (its readiness).
void render_gauge(std::string& out, const char* name, const char* help, long long value);

struct Metrics {
  Gauge http_connections;
  Gauge ws_connections;
  // Bytes waiting in the WebSockets' send queues, as the node's budget counts them
  // (core/send_queue_budget.hpp, SessionLimits::ws_node_queue_bytes).
  Gauge ws_queued_bytes;
  Counter http_requests;
  Counter reports_accepted;
  Counter reports_rejected;
  Counter reports_held;      // opened an incident held past [policy] unverified_cap (issue 19)
  Counter alerts_published;  // alerts this node wrote to Redis
  Counter alerts_received;   // alerts this node got from Redis pub/sub
  Counter deliveries;        // alert frames queued on local sockets
  Counter acks_recorded;
  Counter queue_drops;  // sockets closed because their send queue overflowed
  Counter redis_reconnects;
  Counter journal_queued;    // reports and acks kept in the local journal while Redis was away
  Counter journal_replayed;  // journal entries replayed once it was back
  Counter journal_refused;   // reports and acks not journaled: the journal was full, or the sender
                             // over its rate
  Counter
      journal_dropped;  // journal entries the services refused at their replay (logged and audited)
  Counter incidents_purged;            // incidents this node purged past the retention
  Counter incidents_kept_as_evidence;  // incidents this node marked as evidence
  Counter unreplicated_writes;     // writes answered before the configured replicas confirmed them
  Counter tls_handshake_failures;  // connections that never completed a TLS handshake
  Counter tls_reloads;             // certificates reloaded on SIGHUP
  LatencyHistogram request_seconds;
  // Web Push (channels/push_dispatch.hpp): pushes a push service accepted, and the others by
  // result (push_result.hpp's words, in this order), and how long a send took.
  Counter pushes_sent;
  static constexpr std::array<const char*, 5> push_failures{"gone", "retry_later", "refused",
                                                            "blocked", "network_error"};
  std::array<Counter, push_failures.size()> pushes_failed;
  LatencyHistogram push_seconds;
  // The audit log (app/access/audit_trail.hpp): entries waiting for Redis (in the audit
  // journal), entries the journal refused (kept in memory only), and appends or head reads Redis
  // did not take (each retried a second later).
  Gauge audit_waiting;
  Counter audit_lost;
  Counter audit_write_failures;
  // Issued-token records in Redis refused for want of a valid signature
  // (app/access/token_service.hpp), each counted once per node.
  Counter token_records_refused;
  // Escalation steps taken (app/incidents/escalation_worker.hpp), and those taken more than
  // kLateEscalationStep after they were due: no node took the deadline in time.
  Counter escalation_steps;
  Counter escalation_steps_late;
  // SMS (channels/sms_dispatch.hpp): texts smsbox took from this node, and alert texts that did
  // not go, by problem (Delivery.text_problem's words, in this order; gateway_down per attempt).
  Counter texts_sent;
  static constexpr std::array<const char*, 5> text_failures{"gateway_down", "refused",
                                                            "over_budget", "stopped", "failed"};
  std::array<Counter, text_failures.size()> texts_failed;

  std::string render() const;
};

}  // namespace puente::core
