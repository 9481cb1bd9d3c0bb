// The roster file as a node loads it at start (core::Roster::from_toml): bad input must be
// refused with a message naming the responder and field, never crash; what loads must find
// every responder by id and by token hash.

#include "fuzz_target.hpp"

#include "core/access.hpp"
#include "core/roster.hpp"

#include <exception>
#include <optional>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace puente;
  using fuzz::fuzz_check;
  std::optional<core::Roster> roster;
  try {
    roster = core::Roster::from_toml(fuzz::as_text(data, size));
  } catch (const std::exception&) {
    return 0;  // refused, with a message naming the problem
  }
  for (const auto& r : roster->responders()) {
    fuzz_check(roster->find(r.id) == &r, "a responder is not found by its id");
    // No roster token is allowed: the responder signs in with issued tokens only.
    fuzz_check(r.token_sha256.empty() || r.token_sha256.size() == 64,
               "a token hash is not 64 hex digits");
    fuzz_check(!r.roles.empty(), "a responder without a role");
    for (const auto& shift : r.shifts)
      fuzz_check(shift.start_minute >= 0 && shift.start_minute < 1440 && shift.end_minute >= 0 &&
                     shift.end_minute < 1440,
                 "a shift outside the day");
    for (const auto& n : r.neighborhoods) core::may_subscribe(r, n);
    core::may(r, core::Action::view_incident,
              {r.neighborhoods.empty() ? "" : r.neighborhoods[0], true});
  }
  return 0;
}
