#pragma once
// The one shape in which a command is answered, by a desk or a service alike: a refusal
// (refusal.hpp), or what it wrote and how it was taken. A transport turns `Taken` into its own
// words (HTTP: 201 created, 200 repeated, 202 queued); nothing else decides it.

#include "app/refusal.hpp"

namespace puente::app {

enum class Taken {
  created,   // written now
  repeated,  // an earlier request with the same idempotency key wrote it: nothing new
  queued,    // kept in the node's journal while the store is unreachable (incidents/outbox.hpp)
};

template <typename T>
struct Accepted {
  T value;
  Taken taken = Taken::created;
};

}  // namespace puente::app
