#pragma once
// This node's copy of the availability book (store/incident_store.hpp): who set themselves
// available outside their shifts, and the book's version. Every step that chooses fresh
// recipients (a report's first alert, a confirmation, a move, an escalation step) chooses them
// from this copy and sends its version with the write. The store refuses a write made with an
// out-of-date copy and answers with the book as it is now, which is kept here, and the step
// chooses again. So choosing costs no Redis round trip of its own, and nobody who set
// themselves available a moment before the write is left out of it.

#include "store/incident_store.hpp"

#include <functional>
#include <memory>
#include <mutex>

namespace puente::app {

class AvailabilityCopy {
 public:
  // A step refused this many times in a row for an out-of-date copy gives up (503): only a
  // book changing this often, write after write, runs out of tries.
  static constexpr int stale_tries = 5;

  explicit AvailabilityCopy(store::IncidentStore& store) : store_(store) {}

  using Book = std::shared_ptr<const store::AvailabilityBook>;
  // Calls `done` with the copy: at once, or on the store's strand after reading the book (the
  // first step since the node started). Null if Redis could not be read. Thread-safe.
  void get(std::function<void(Book)> done);
  // Keeps `book`, the store's answer to a step made with an older copy; returns it. Thread-safe.
  Book keep(store::AvailabilityBook book);
  // The one retry of a step the store refused for an out-of-date copy (Outcome::stale, with
  // `current`, the book as it is now): keeps `current` and counts the refusal in `stale` (the
  // step's count so far). Answers the book to choose again from, or null once the step has
  // been refused stale_tries times and should give up.
  Book retry_stale(store::AvailabilityBook current, int& stale);

 private:
  store::IncidentStore& store_;
  std::mutex mutex_;  // steps run on any thread; the store answers on its own
  Book book_;
};

}  // namespace puente::app
