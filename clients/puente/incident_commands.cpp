// puente confirm | false-alarm | resolve | update | reopen: POST /v1/incidents/{id}/<action>;
// puente evidence ID: POST /v1/incidents/{id}/evidence;
// puente incident ID: GET /v1/incidents/{id};  puente incidents: GET /v1/incidents.

#include "api_client.hpp"
#include "commands.hpp"
#include "format.hpp"

#include <iostream>
#include <memory>

namespace puente::cli {
namespace {

struct ActionOptions {
  std::string incident_id;
  std::string text;
  // `update` only: where the incident is now (a raid that moved), if --lat and --lon were given.
  bool moved = false;
  double lat = 0;
  double lon = 0;
  std::string where;
};

struct ListOptions {
  std::string status;
  std::string neighborhood;
};

std::string incident_path(const std::string& id) {
  return "/v1/incidents/" + client::url_encode(id);
}

void run_action(const std::string& path_suffix, const ActionOptions& options,
                const GlobalOptions& global) {
  v1::IncidentAction action;
  action.set_text(options.text);
  if (options.moved) {
    action.mutable_location()->set_lat(options.lat);
    action.mutable_location()->set_lon(options.lon);
    action.mutable_location()->set_description(options.where);
  }
  ApiClient api(global);
  auto answer = api.post(incident_path(options.incident_id) + path_suffix, action);
  if (global.json) {
    std::cout << answer.body << "\n";
    return;
  }
  v1::Incident incident;
  ApiClient::parse(answer, incident);
  std::cout << "incident " << incident.id() << ": " << name_of(incident.status());
  if (options.moved) std::cout << ", now in " << incident.neighborhood();
  std::cout << "\n";
}

void run_show(const ActionOptions& options, const GlobalOptions& global) {
  ApiClient api(global);
  auto answer = api.get(incident_path(options.incident_id));
  if (global.json) {
    std::cout << answer.body << "\n";
    return;
  }
  v1::Incident incident;
  ApiClient::parse(answer, incident);
  print_incident(std::cout, incident);
}

void run_evidence(const ActionOptions& options, const GlobalOptions& global) {
  ApiClient api(global);
  auto answer = api.post(incident_path(options.incident_id) + "/evidence", v1::IncidentAction{});
  if (global.json) {
    std::cout << answer.body << "\n";
    return;
  }
  v1::Incident incident;
  ApiClient::parse(answer, incident);
  std::cout << "incident " << incident.id() << ": kept as evidence since "
            << format_time(incident.evidence_at()) << "\n";
}

void run_list(const ListOptions& options, const GlobalOptions& global) {
  std::string target = "/v1/incidents";
  char separator = '?';
  if (!options.status.empty()) {
    target += separator + ("status=" + client::url_encode(options.status));
    separator = '&';
  }
  if (!options.neighborhood.empty())
    target += separator + ("neighborhood=" + client::url_encode(options.neighborhood));

  ApiClient api(global);
  auto answer = api.get(target);
  if (global.json) {
    std::cout << answer.body << "\n";
    return;
  }
  v1::IncidentList list;
  ApiClient::parse(answer, list);
  for (const auto& incident : list.incidents()) std::cout << incident_line(incident) << "\n";
  if (list.incidents_size() == 0) std::cerr << "no incidents\n";
}

struct Action {
  const char* name;
  const char* path_suffix;
  const char* help;
  const char* text_help;
  bool text_required;
  bool takes_location;  // --lat/--lon/--where: the incident moved
};

constexpr Action actions[] = {
    {"confirm", "/confirm", "Confirm an incident: every on-call responder nearby is dispatched",
     "What responders should know, sent with the DISPATCH alert", false, false},
    {"false-alarm", "/false-alarm", "Debunk an incident: everyone alerted is told not to go",
     "Why, sent with the DEBUNK alert", false, false},
    {"resolve", "/resolve", "Close an incident: everyone alerted is stood down",
     "A closing word, sent with the STAND_DOWN alert", false, false},
    {"update", "/updates", "Send news on an incident to everyone alerted for it",
     "The news, sent as an UPDATE alert", true, true},
    {"reopen", "/reopen", "Reopen an incident closed by mistake: everyone alerted is told",
     "Why it is open again, sent as an UPDATE alert", true, false},
};

// The new place of a moving incident. A point needs both coordinates, and words alone cannot
// place it, so CLI11 refuses --lat without --lon (and the reverse) and --where without both.
void add_location_options(CLI::App& command, ActionOptions& options) {
  auto* lat = command.add_option("--lat", options.lat, "Where it is now: latitude")
                  ->check(CLI::Range(-90.0, 90.0));
  auto* lon = command.add_option("--lon", options.lon, "Where it is now: longitude")
                  ->check(CLI::Range(-180.0, 180.0));
  auto* where = command.add_option("--where", options.where,
                                   "The new place in words, e.g. \"Soto and 1st\" (needs --lat "
                                   "and --lon)");
  lat->needs(lon);
  lon->needs(lat);
  where->needs(lat);
  command.footer(
      "Prints: incident <id>: <STATUS>[, now in <neighborhood>]\n"
      "With --lat/--lon the incident moves there; if that is another neighborhood, its on-call\n"
      "responders are alerted too.\n"
      "Example: puente update inc-7f3a --text \"they moved to the market\" --lat 34.0440 \\\n"
      "           --lon -118.2100 --where \"Soto and 1st\"");
}

}  // namespace

void add_incident_commands(CLI::App& app, const GlobalOptions& global) {
  for (const auto& action : actions) {
    auto options = std::make_shared<ActionOptions>();
    auto* command = app.add_subcommand(action.name, action.help);
    command->add_option("ID", options->incident_id, "The incident, e.g. inc-7f3a")->required();
    auto* text = command->add_option("--text", options->text, action.text_help);
    if (action.text_required) text->required();
    command->footer("Prints: incident <id>: <STATUS>");
    if (action.takes_location) add_location_options(*command, *options);
    std::string suffix = action.path_suffix;
    bool takes_location = action.takes_location;
    command->callback([suffix, options, command, takes_location, &global] {
      // CLI11 throws for count() of an option the command does not have.
      options->moved = takes_location && command->count("--lat") > 0;
      run_action(suffix, *options, global);
    });
  }

  auto show = std::make_shared<ActionOptions>();
  auto* incident =
      app.add_subcommand("incident", "Show an incident: reports, alerts sent, acks, deliveries");
  incident->add_option("ID", show->incident_id, "The incident, e.g. inc-7f3a")->required();
  incident->callback([show, &global] { run_show(*show, global); });

  auto kept = std::make_shared<ActionOptions>();
  auto* evidence = app.add_subcommand(
      "evidence",
      "Keep an incident as evidence: never purged, its reports' caller contact removed");
  // Not required here: `puente evidence export|verify|key` (evidence_commands.cpp) share the word.
  evidence->add_option("ID", kept->incident_id, "The incident, e.g. inc-7f3a");
  evidence->footer(
      "Prints: incident <id>: kept as evidence since <time>\n"
      "Other incidents are purged once idle for [privacy] retention_seconds (72 hours by "
      "default).");
  evidence->callback([kept, &global, evidence] {
    if (!evidence->get_subcommands().empty()) return;  // export, verify or key ran
    if (kept->incident_id.empty()) throw CLI::RequiredError("ID");
    run_evidence(*kept, global);
  });

  auto list = std::make_shared<ListOptions>();
  auto* incidents = app.add_subcommand("incidents", "List open incidents, one a line");
  incidents->add_option("--status", list->status, "Only incidents in this state")
      ->transform(CLI::IsMember(enum_choices(v1::IncidentStatus_descriptor()), CLI::ignore_case));
  incidents->add_option("--neighborhood", list->neighborhood,
                        "Only this neighborhood (slug, e.g. boyle-heights)");
  incidents->footer("Prints: id, status, kind, neighborhood, last change, place");
  incidents->callback([list, &global] { run_list(*list, global); });
}

}  // namespace puente::cli
