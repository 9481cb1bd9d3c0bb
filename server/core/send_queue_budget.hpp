#pragma once
// How much of the node's memory a frame waiting to be written to a WebSocket holds, and whether
// one more may wait. Counting payload bytes alone made a flood of tiny answers look free: a
// client pipelining `{"ping":{}}` without reading queued ~130 MB of 11-byte pongs on one socket
// (issue 15, item 2). A frame is counted as allocated instead: its buffer's capacity plus a
// fixed overhead for its queue entry, its shared buffer's control block and the allocator's
// headers.
//
// Two budgets: one socket's queue (SessionLimits::ws_queue_bytes) and every socket of the node
// together (ws_node_queue_bytes). A hub frame (an alert) is one buffer shared by every socket it
// goes to: a socket counts it whole, as what it keeps alive, but the node counts only its
// overhead per socket, so a thousand phones behind on the same alerts do not count its bytes a
// thousand times. A frame made for one socket (an answer, an error) counts whole in both.

#include <cstddef>

namespace puente::core {

// What one queued frame costs besides its buffer, in bytes: a deque entry of 48, the shared
// string's control block and header in a 64-byte chunk, the allocators' headers on both and on
// the buffer; rounded up.
inline constexpr std::size_t queued_frame_overhead_bytes = 160;

struct QueuedFrameCost {
  std::size_t socket = 0;  // against the socket's queue
  std::size_t node = 0;    // against the node's total
};

// `buffer_capacity`: the bytes allocated for the frame's payload; `shared`: a hub frame.
QueuedFrameCost queued_frame_cost(std::size_t buffer_capacity, bool shared);

struct SendQueueBudget {
  std::size_t socket_bytes = 0;
  std::size_t node_bytes = 0;
};

enum class QueueRoom {
  enough,       // queue it
  socket_full,  // this socket is too far behind: close it as a slow consumer
  node_full,    // the node's sockets together hold all they may: close this one too
};

// May a frame costing `cost` join a socket holding `socket_queued` bytes on a node whose sockets
// hold `node_queued`? A frame that alone exceeds a budget never fits.
QueueRoom room_for(const QueuedFrameCost& cost, std::size_t socket_queued, std::size_t node_queued,
                   const SendQueueBudget& budget);

}  // namespace puente::core
