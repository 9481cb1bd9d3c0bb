#include "app/node/node_settings.hpp"

#include "core/retention.hpp"

#include <algorithm>
#include <thread>

namespace puente::app {

unsigned thread_count(const NodeConfig& config) {
  // By default one connection thread per core, plus the first for Redis and the services: with
  // as many threads as cores, connections had one core fewer (on 2 cores, alerts to a
  // neighborhood went out from one thread while the other core waited).
  return config.threads ? config.threads : std::max(1u, std::thread::hardware_concurrency()) + 1;
}

std::vector<boost::asio::io_context*> thread_contexts(net::IoThreads& io) {
  std::vector<boost::asio::io_context*> contexts;
  for (std::size_t i = 0; i < io.size(); ++i) contexts.push_back(&io.at(i));
  return contexts;
}

redis::ConnectionOptions named(redis::ConnectionOptions options, const std::string& name) {
  options.name = name;
  return options;
}

std::string redis_client_name(const NodeConfig& config) {
  auto name = "puented-" + config.node_id;
  if (!config.network_id.empty()) name += "-" + config.network_id;
  return name;
}

store::StoreOptions store_options(const NodeConfig& config, const core::DispatchPolicies& policies,
                                  const core::DeliveryLadders& delivery, core::Metrics& metrics) {
  store::StoreOptions options;
  // Without Web Push or SMS there is no rung beyond the socket to check.
  if (config.push.enabled() || config.sms.enabled())
    options.rung_check_after = delivery.socket_grace();
  options.corroboration_window = policies.longest_dedup_window();
  options.history_max_alerts = config.history_max_alerts;
  options.idempotency_ttl_seconds =
      static_cast<std::size_t>(core::idempotency_ttl(config.retention).count());
  options.replication = config.replication;
  options.replication.unreplicated = &metrics.unreplicated_writes;
  return options;
}

std::vector<std::string> every_slug(const core::GeoIndex& geo) {
  std::vector<std::string> slugs;
  for (const auto& n : geo.neighborhoods()) slugs.push_back(n.slug);
  return slugs;
}

RetentionSettings retention_settings(const NodeConfig& config, const core::GeoIndex& geo,
                                     BlobStore& blobs) {
  return {.retention = config.retention,
          .history_max_age = config.history_max_age,
          .interval = config.purge_interval,
          .aof_rewrite_interval = config.aof_rewrite_interval,
          .node_id = config.node_id,
          .slugs = every_slug(geo),
          .forget_blobs = [&blobs](const std::vector<std::string>& sha256s) {
            for (const auto& sha : sha256s) blobs.forget(sha);
          }};
}

}  // namespace puente::app
