// The writing and reading of a DeliveryBatch: delivery_batch.hpp says why recipients are named
// by place, and when by a bitmap.
#include "store/delivery_batch.hpp"

#include "core/clock.hpp"

#include <algorithm>

namespace puente::store {
namespace {

// Bytes a place takes in the list (a varint: 7 bits a byte).
std::size_t varint_size(std::uint32_t place) {
  std::size_t size = 1;
  for (; place >= 0x80; place >>= 7) ++size;
  return size;
}

// The delay of the i-th delivery a batch names: none written means at written_ms.
long long delay_of(const v1::DeliveryBatch& batch, int i) {
  return i < batch.delays_ms_size() ? batch.delays_ms(i) : 0;
}

// `deliveries` (not empty) by place, each place once at its earliest time. An alert's batch
// names most of its recipients, places 0 to their count in the order sockets were written: a
// table by place does in one pass what a sort of the batch did (~80 instructions a delivery at
// 100, issue 22). A few places far down a long list (a replay to a late socket) are sorted.
// Deliveries already in place order, each place once, are left as they are.
void earliest_by_place(std::vector<PlaceDelivered>& deliveries) {
  // Already one per place, in place order (as the delivery log reads them from a frame).
  if (std::adjacent_find(deliveries.begin(), deliveries.end(), [](const auto& a, const auto& b) {
        return a.place >= b.place;
      }) == deliveries.end())
    return;
  std::uint32_t last = 0;
  for (const auto& d : deliveries) last = std::max(last, d.place);
  if (last >= 4 * deliveries.size() + 64) {
    std::sort(deliveries.begin(), deliveries.end(), [](const auto& a, const auto& b) {
      return a.place != b.place ? a.place < b.place : a.at < b.at;
    });
    deliveries.erase(std::unique(deliveries.begin(), deliveries.end(),
                                 [](const auto& a, const auto& b) { return a.place == b.place; }),
                     deliveries.end());
    return;
  }
  constexpr auto none = std::chrono::system_clock::time_point::max();  // no write at the place
  std::vector<std::chrono::system_clock::time_point> earliest(last + 1, none);
  for (const auto& d : deliveries) earliest[d.place] = std::min(earliest[d.place], d.at);
  deliveries.clear();
  for (std::uint32_t place = 0; place <= last; ++place)
    if (earliest[place] != none) deliveries.push_back({place, earliest[place]});
}

}  // namespace

v1::DeliveryBatch delivery_batch(const std::string& alert_id,
                                 std::vector<PlaceDelivered> deliveries) {
  earliest_by_place(deliveries);
  v1::DeliveryBatch batch;
  batch.set_alert_id(alert_id);
  const auto first = std::min_element(deliveries.begin(), deliveries.end(),
                                      [](const auto& a, const auto& b) { return a.at < b.at; });
  batch.set_written_ms(core::to_ms(first->at));
  std::size_t list_size = 0;
  for (const auto& d : deliveries) list_size += varint_size(d.place);
  const std::size_t bitmap_size = deliveries.back().place / 8 + 1;
  if (bitmap_size <= list_size) {
    auto& bits = *batch.mutable_delivered_places();
    bits.assign(bitmap_size, '\0');
    for (const auto& d : deliveries)
      bits[d.place / 8] = static_cast<char>(bits[d.place / 8] | (1 << (d.place % 8)));
  } else {
    for (const auto& d : deliveries) batch.add_recipient_places(d.place);
  }
  // Every write in the batch's first millisecond: no delays at all (2 B instead of one a place).
  const bool spread = std::any_of(deliveries.begin(), deliveries.end(),
                                  [&](const auto& d) { return d.at != first->at; });
  if (spread)
    for (const auto& d : deliveries)
      batch.add_delays_ms(static_cast<std::uint32_t>(core::to_ms(d.at) - batch.written_ms()));
  return batch;
}

void for_each_delivery(const v1::DeliveryBatch& batch,
                       const std::vector<std::string>& sorted_recipients,
                       const std::function<void(const std::string&, long long)>& each) {
  const auto named = [&](std::uint32_t place, int i) {
    if (place < sorted_recipients.size())
      each(sorted_recipients[place], batch.written_ms() + delay_of(batch, i));
  };
  for (int i = 0; i < batch.responder_ids_size(); ++i)
    each(batch.responder_ids(i), batch.written_ms() + delay_of(batch, i));
  for (int i = 0; i < batch.recipient_places_size(); ++i) named(batch.recipient_places(i), i);
  const auto& bits = batch.delivered_places();
  int i = 0;
  for (std::uint32_t byte = 0; byte < bits.size(); ++byte)
    for (std::uint32_t bit = 0; bit < 8; ++bit)
      if (static_cast<unsigned char>(bits[byte]) & (1u << bit)) named(byte * 8 + bit, i++);
}

}  // namespace puente::store
