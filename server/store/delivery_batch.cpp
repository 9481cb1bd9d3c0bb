// The writing and reading of a DeliveryBatch: delivery_batch.hpp says why recipients are named
// by place.
#include "store/delivery_batch.hpp"

#include "core/clock.hpp"

#include <algorithm>
#include <cstdint>

namespace puente::store {

v1::DeliveryBatch delivery_batch(const std::string& alert_id,
                                 const std::vector<std::string>& sorted_recipients,
                                 const std::vector<Delivered>& deliveries) {
  const auto first =
      std::min_element(deliveries.begin(), deliveries.end(), [](const auto& a, const auto& b) {
        return a.second < b.second;
      })->second;
  v1::DeliveryBatch batch;
  batch.set_alert_id(alert_id);
  batch.set_written_ms(core::to_ms(first));
  for (const auto& [responder_id, at] : deliveries) {
    batch.add_delays_ms(static_cast<std::uint32_t>(core::to_ms(at) - batch.written_ms()));
    auto it = std::lower_bound(sorted_recipients.begin(), sorted_recipients.end(), responder_id);
    if (it != sorted_recipients.end() && *it == responder_id)
      batch.add_recipient_places(static_cast<std::uint32_t>(it - sorted_recipients.begin()));
  }
  // Someone the alert does not list (a socket only records the alert's own recipients, so this
  // is a caller's slip): the whole batch names them by id, as batches did before.
  if (batch.recipient_places_size() != batch.delays_ms_size()) {
    batch.clear_recipient_places();
    for (const auto& delivered : deliveries) batch.add_responder_ids(delivered.first);
  }
  return batch;
}

void for_each_delivery(const v1::DeliveryBatch& batch,
                       const std::vector<std::string>& sorted_recipients,
                       const std::function<void(const std::string&, long long)>& each) {
  const int n = batch.delays_ms_size();
  for (int i = 0; i < batch.responder_ids_size() && i < n; ++i)
    each(batch.responder_ids(i), batch.written_ms() + batch.delays_ms(i));
  for (int i = 0; i < batch.recipient_places_size() && i < n; ++i) {
    const auto place = batch.recipient_places(i);
    if (place < sorted_recipients.size())
      each(sorted_recipients[place], batch.written_ms() + batch.delays_ms(i));
  }
}

}  // namespace puente::store
