// What a queued WebSocket frame costs and whether it fits (send_queue_budget.hpp).
#include "core/send_queue_budget.hpp"

namespace puente::core {

QueuedFrameCost queued_frame_cost(std::size_t buffer_capacity, bool shared) {
  const std::size_t whole = buffer_capacity + queued_frame_overhead_bytes;
  return {whole, shared ? queued_frame_overhead_bytes : whole};
}

QueueRoom room_for(const QueuedFrameCost& cost, std::size_t socket_queued, std::size_t node_queued,
                   const SendQueueBudget& budget) {
  // Written as "what is left" so that no sum can wrap.
  if (socket_queued > budget.socket_bytes || cost.socket > budget.socket_bytes - socket_queued)
    return QueueRoom::socket_full;
  if (node_queued > budget.node_bytes || cost.node > budget.node_bytes - node_queued)
    return QueueRoom::node_full;
  return QueueRoom::enough;
}

}  // namespace puente::core
