#include "app/incidents/availability_copy.hpp"

namespace puente::app {

void AvailabilityCopy::get(std::function<void(Book)> done) {
  Book book;
  {
    std::lock_guard lock(mutex_);
    book = book_;
  }
  if (book) return done(std::move(book));
  store_.availability(
      [this, done = std::move(done)](store::Outcome outcome, store::AvailabilityBook read) {
        if (outcome != store::Outcome::ok) return done(nullptr);
        done(keep(std::move(read)));
      });
}

AvailabilityCopy::Book AvailabilityCopy::keep(store::AvailabilityBook book) {
  auto kept = std::make_shared<const store::AvailabilityBook>(std::move(book));
  std::lock_guard lock(mutex_);
  book_ = kept;
  return kept;
}

AvailabilityCopy::Book AvailabilityCopy::retry_stale(store::AvailabilityBook current, int& stale) {
  auto book = keep(std::move(current));
  if (++stale < stale_tries) return book;
  return nullptr;
}

}  // namespace puente::app
