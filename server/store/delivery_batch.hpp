#pragma once
// How a node's delivery records for one alert are kept in Redis (DeliveryBatch, proto/puente/v1;
// keys.hpp, incident:{id}:deliveries), written by IncidentStore::mark_delivered and read back
// by IncidentStore::load. A recipient is named by their place in the alert's recipients sorted,
// not by id: the alert beside the batch holds the ids once, and repeating them here was most of
// what a batch wrote to the append-only log (issue 22). Batches written before, and one naming
// someone the alert does not list, carry ids; both are read.

#include "puente/v1/puente.pb.h"

#include <chrono>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace puente::store {

using Delivered = std::pair<std::string, std::chrono::system_clock::time_point>;  // responder, when

// One batch for `deliveries` (not empty) of alert `alert_id`, whose recipients sorted are
// `sorted_recipients` (net::HubFrame::recipients).
v1::DeliveryBatch delivery_batch(const std::string& alert_id,
                                 const std::vector<std::string>& sorted_recipients,
                                 const std::vector<Delivered>& deliveries);

// Calls `each(responder id, written ms)` for every delivery `batch` records; `sorted_recipients`
// are the recipients of the alert it names, sorted. A place past their end is skipped.
void for_each_delivery(const v1::DeliveryBatch& batch,
                       const std::vector<std::string>& sorted_recipients,
                       const std::function<void(const std::string&, long long)>& each);

}  // namespace puente::store
