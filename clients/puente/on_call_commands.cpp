// puente roster: GET /v1/roster/on-call (dispatchers);
// puente available on | off: POST /v1/me/availability (any responder, for themselves).

#include "api_client.hpp"
#include "commands.hpp"
#include "format.hpp"

#include <cstdint>
#include <ctime>
#include <iostream>
#include <limits>
#include <memory>

namespace puente::cli {
namespace {

struct RosterOptions {
  std::string neighborhood;
};

struct AvailabilityOptions {
  int minutes = 0;
};

void run_roster(const RosterOptions& options, const GlobalOptions& global) {
  std::string target = "/v1/roster/on-call";
  if (!options.neighborhood.empty())
    target += "?neighborhood=" + client::url_encode(options.neighborhood);
  ApiClient api(global);
  auto answer = api.get(target);
  if (global.json) {
    std::cout << answer.body << "\n";
    return;
  }
  v1::OnCall on_call;
  ApiClient::parse(answer, on_call);
  print_on_call(std::cout, on_call);
}

void run_available(bool available, const AvailabilityOptions& options,
                   const GlobalOptions& global) {
  v1::Availability wanted;
  wanted.set_available(available);
  wanted.set_minutes(options.minutes);
  ApiClient api(global);
  auto answer = api.post("/v1/me/availability", wanted);
  if (global.json) {
    std::cout << answer.body << "\n";
    return;
  }
  v1::Availability granted;
  ApiClient::parse(answer, granted);
  std::cout << availability_line(granted, std::time(nullptr)) << "\n";
}

void add_available_command(CLI::App& available, bool on, const GlobalOptions& global) {
  auto options = std::make_shared<AvailabilityOptions>();
  auto* command = available.add_subcommand(
      on ? "on" : "off", on ? "Be alerted even outside your shifts, for a while"
                            : "Be left out of alerts even during your shifts, for a while");
  command
      ->add_option("--minutes", options->minutes,
                   "For how long; 0: until your next shift change (the server caps it)")
      ->check(CLI::Range(0, std::numeric_limits<std::int32_t>::max()))
      ->capture_default_str();
  command->callback([on, options, &global] { run_available(on, *options, global); });
}

}  // namespace

void add_on_call_commands(CLI::App& app, const GlobalOptions& global) {
  auto roster_options = std::make_shared<RosterOptions>();
  auto* roster = app.add_subcommand("roster", "Show who is on call now, per neighborhood");
  roster->add_option("--neighborhood", roster_options->neighborhood,
                     "Only this neighborhood (slug, e.g. boyle-heights)");
  roster->footer(
      "Prints the time and the roster's time zone, then per neighborhood its slug and one line\n"
      "per responder (id, name, roles, [languages]), then the standby pool and the dispatchers\n"
      "on call. Dispatchers and admins only.");
  roster->callback([roster_options, &global] { run_roster(*roster_options, global); });

  auto* available =
      app.add_subcommand("available", "Say whether you can be alerted outside your shifts");
  available->require_subcommand(1);
  available->footer(
      "Prints: available until <time> (<your id>), or: not available until <time> (<your id>)\n"
      "Example: puente available on --minutes 120");
  add_available_command(*available, true, global);
  add_available_command(*available, false, global);
}

}  // namespace puente::cli
