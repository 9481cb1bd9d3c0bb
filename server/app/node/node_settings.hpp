#pragma once
// What a node derives from its config before it wires its parts: how many I/O threads, the
// options of its Redis links and its store, the retention worker's settings. Pure functions of
// the config (and the geography and policies read at start).

#include "app/incidents/retention_worker.hpp"
#include "app/media/blob_store.hpp"
#include "app/node/config.hpp"
#include "core/delivery_ladder.hpp"
#include "core/dispatch_policy.hpp"
#include "core/geo_index.hpp"
#include "core/metrics.hpp"
#include "net/io_threads.hpp"
#include "redis/connection.hpp"
#include "store/incident_store.hpp"

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace puente::app {

// Delivery records are batched this long (see delivery_log.hpp).
inline constexpr std::chrono::milliseconds delivery_log_interval{50};

unsigned thread_count(const NodeConfig& config);

std::vector<boost::asio::io_context*> thread_contexts(net::IoThreads& io);

// `options` with the client name Redis shows for the link (CLIENT LIST).
redis::ConnectionOptions named(redis::ConnectionOptions options, const std::string& name);
// That name for a network's command link: "puented-<node id>", and "-<network id>" after it when
// the node serves several networks.
std::string redis_client_name(const NodeConfig& config);

store::StoreOptions store_options(const NodeConfig& config, const core::DispatchPolicies& policies,
                                  const core::DeliveryLadders& delivery, core::Metrics& metrics);

// Every neighborhood's slug, for the purge of their alert histories.
std::vector<std::string> every_slug(const core::GeoIndex& geo);

// `blobs`: where the purge's media bytes are deleted.
RetentionSettings retention_settings(const NodeConfig& config, const core::GeoIndex& geo,
                                     BlobStore& blobs);

}  // namespace puente::app
