#include "core/metrics.hpp"

#include <cstdio>

namespace puente::core {

namespace {

void append_sample(std::string& out, const char* name, const char* help, const char* type,
                   long long value) {
  char line[256];
  std::snprintf(line, sizeof line, "# HELP %s %s\n# TYPE %s %s\n%s %lld\n", name, help, name, type,
                name, value);
  out += line;
}

}  // namespace

void LatencyHistogram::observe(double seconds) {
  std::size_t i = 0;
  while (i < bounds.size() && seconds > bounds[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_micros_.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

void LatencyHistogram::render(std::string& out, const char* name, const char* help) const {
  char line[256];
  std::snprintf(line, sizeof line, "# HELP %s %s\n# TYPE %s histogram\n", name, help, name);
  out += line;
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i <= bounds.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    if (i < bounds.size())
      std::snprintf(line, sizeof line, "%s_bucket{le=\"%g\"} %llu\n", name, bounds[i],
                    static_cast<unsigned long long>(cumulative));
    else
      std::snprintf(line, sizeof line, "%s_bucket{le=\"+Inf\"} %llu\n", name,
                    static_cast<unsigned long long>(cumulative));
    out += line;
  }
  std::snprintf(line, sizeof line, "%s_sum %.6f\n%s_count %llu\n", name,
                static_cast<double>(sum_micros_.load(std::memory_order_relaxed)) / 1e6, name,
                static_cast<unsigned long long>(count_.load(std::memory_order_relaxed)));
  out += line;
}

void render_gauge(std::string& out, const char* name, const char* help, long long value) {
  append_sample(out, name, help, "gauge", value);
}

std::string Metrics::render() const {
  std::string out;
  auto counter = [&](const char* name, const char* help, const Counter& c) {
    append_sample(out, name, help, "counter", static_cast<long long>(c.value()));
  };
  auto gauge = [&](const char* name, const char* help, const Gauge& g) {
    append_sample(out, name, help, "gauge", g.value());
  };
  gauge("puente_http_connections", "Open HTTP connections.", http_connections);
  gauge("puente_ws_connections", "Open WebSocket connections.", ws_connections);
  gauge("puente_ws_queued_bytes",
        "Bytes waiting in WebSocket send queues, counted as allocated (limits.ws_node_queue_bytes "
        "caps them).",
        ws_queued_bytes);
  counter("puente_http_requests_total", "HTTP requests answered.", http_requests);
  counter("puente_reports_accepted_total", "Reports accepted.", reports_accepted);
  counter("puente_reports_rejected_total", "Reports refused as bad input.", reports_rejected);
  counter("puente_reports_held_total",
          "Reports whose incident was held for a dispatcher's approval ([policy] unverified_cap).",
          reports_held);
  counter("puente_alerts_published_total", "Alerts this node published.", alerts_published);
  counter("puente_alerts_received_total", "Alerts received from Redis pub/sub.", alerts_received);
  counter("puente_deliveries_total", "Alert frames queued on local sockets.", deliveries);
  counter("puente_acks_recorded_total", "Acks recorded.", acks_recorded);
  counter("puente_queue_drops_total", "Sockets closed for an overflowing send queue.", queue_drops);
  counter("puente_journal_queued_total", "Reports and acks queued in the local journal.",
          journal_queued);
  counter("puente_journal_replayed_total", "Journal entries replayed into Redis.",
          journal_replayed);
  counter("puente_journal_refused_total",
          "Reports and acks refused while Redis was away: the journal was full, or the sender over "
          "its journal rate.",
          journal_refused);
  counter("puente_journal_dropped_total",
          "Journal entries refused at their replay (bad input, rights, gone incident).",
          journal_dropped);
  counter("puente_incidents_purged_total",
          "Incidents this node purged once older than the retention.", incidents_purged);
  counter(
      "puente_incidents_kept_as_evidence_total",
      "Incidents this node marked as evidence: kept past the retention, caller contact stripped.",
      incidents_kept_as_evidence);
  counter("puente_redis_unreplicated_writes_total",
          "Writes answered on the primary's word alone: the configured replicas did not confirm "
          "them in time.",
          unreplicated_writes);
  counter("puente_tls_handshake_failures_total",
          "Connections that never completed a TLS handshake.", tls_handshake_failures);
  counter("puente_tls_reloads_total", "TLS certificates reloaded on SIGHUP.", tls_reloads);
  counter("puente_redis_reconnects_total", "Times the Redis command link was re-established.",
          redis_reconnects);
  request_seconds.render(out, "puente_request_seconds", "HTTP request latency in seconds.");
  counter("puente_pushes_sent_total", "Web Pushes a push service accepted from this node.",
          pushes_sent);
  out +=
      "# HELP puente_pushes_failed_total Web Pushes from this node that did not go, by result.\n"
      "# TYPE puente_pushes_failed_total counter\n";
  for (std::size_t i = 0; i < push_failures.size(); ++i)
    out += std::string("puente_pushes_failed_total{result=\"") + push_failures[i] + "\"} " +
           std::to_string(pushes_failed[i].value()) + "\n";
  push_seconds.render(out, "puente_push_seconds", "Web Push send latency in seconds.");
  gauge("puente_audit_waiting",
        "Audit entries waiting for Redis on this node (in its audit journal).", audit_waiting);
  counter("puente_audit_lost_total",
          "Audit entries the audit journal refused (disk): kept in memory only, lost if the node "
          "dies before Redis takes them.",
          audit_lost);
  counter("puente_token_records_refused_total",
          "Issued-token records in Redis without a valid signature, refused (written by hand?).",
          token_records_refused);
  counter("puente_audit_write_failures_total",
          "Audit appends (or head reads) Redis did not take; each is retried.",
          audit_write_failures);
  counter("puente_escalation_steps_total", "Escalation steps this node took.", escalation_steps);
  counter("puente_escalation_steps_late_total",
          "Escalation steps this node took more than 30 s after they were due.",
          escalation_steps_late);
  counter("puente_texts_sent_total", "Text messages smsbox took from this node.", texts_sent);
  out +=
      "# HELP puente_texts_failed_total Alert texts from this node that did not go (gateway_down: "
      "each attempt), by problem.\n"
      "# TYPE puente_texts_failed_total counter\n";
  for (std::size_t i = 0; i < text_failures.size(); ++i)
    out += std::string("puente_texts_failed_total{result=\"") + text_failures[i] + "\"} " +
           std::to_string(texts_failed[i].value()) + "\n";
  return out;
}

}  // namespace puente::core
