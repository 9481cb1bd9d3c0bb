#pragma once
// How a node's delivery records for one alert are kept in Redis (DeliveryBatch, proto/puente/v1;
// keys.hpp, incident:{id}:deliveries), written by IncidentStore::mark_delivered and read back
// by IncidentStore::load. A recipient is named by their place in the alert's recipients sorted,
// not by id: the alert beside the batch holds the ids once, and repeating them here was most of
// what a batch wrote to the append-only log (issue 22). The places are a bitmap (bit i: the i-th
// recipient, 13 B for an alert's 100) or, when that would be longer (a few places far down a
// long list, as a replay writes), a list; the times are one per place in place order, left out
// when all are the batch's first. Batches written before (ids, or a list with a time for each)
// are read too.

#include "puente/v1/puente.pb.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace puente::store {

// A write of an alert to one recipient's socket: the recipient's place in the alert's
// recipients sorted (net::HubFrame::recipients), and when.
struct PlaceDelivered {
  std::uint32_t place;
  std::chrono::system_clock::time_point at;
};

// One batch for `deliveries` (not empty, in any order; a place written twice keeps its earliest
// time) of alert `alert_id`.
v1::DeliveryBatch delivery_batch(const std::string& alert_id,
                                 std::vector<PlaceDelivered> deliveries);

// Calls `each(responder id, written ms)` for every delivery `batch` records; `sorted_recipients`
// are the recipients of the alert it names, sorted. A place past their end is skipped.
void for_each_delivery(const v1::DeliveryBatch& batch,
                       const std::vector<std::string>& sorted_recipients,
                       const std::function<void(const std::string&, long long)>& each);

}  // namespace puente::store
