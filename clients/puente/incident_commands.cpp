// puente confirm | false-alarm | resolve | update: POST /v1/incidents/{id}/<action>;
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
  ApiClient api(global);
  auto answer = api.post(incident_path(options.incident_id) + path_suffix, action);
  if (global.json) {
    std::cout << answer.body << "\n";
    return;
  }
  v1::Incident incident;
  ApiClient::parse(answer, incident);
  std::cout << "incident " << incident.id() << ": " << name_of(incident.status()) << "\n";
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
};

constexpr Action actions[] = {
    {"confirm", "/confirm", "Confirm an incident: every on-call responder nearby is dispatched",
     "What responders should know, sent with the DISPATCH alert", false},
    {"false-alarm", "/false-alarm", "Debunk an incident: everyone alerted is told not to go",
     "Why, sent with the DEBUNK alert", false},
    {"resolve", "/resolve", "Close an incident: everyone alerted is stood down",
     "A closing word, sent with the STAND_DOWN alert", false},
    {"update", "/updates", "Send news on an incident to everyone alerted for it",
     "The news, sent as an UPDATE alert", true},
};

}  // namespace

void add_incident_commands(CLI::App& app, const GlobalOptions& global) {
  for (const auto& action : actions) {
    auto options = std::make_shared<ActionOptions>();
    auto* command = app.add_subcommand(action.name, action.help);
    command->add_option("ID", options->incident_id, "The incident, e.g. inc-7f3a")->required();
    auto* text = command->add_option("--text", options->text, action.text_help);
    if (action.text_required) text->required();
    command->footer("Prints: incident <id>: <STATUS>");
    std::string suffix = action.path_suffix;
    command->callback([suffix, options, &global] { run_action(suffix, *options, global); });
  }

  auto show = std::make_shared<ActionOptions>();
  auto* incident = app.add_subcommand("incident", "Show an incident: reports, alerts sent, acks");
  incident->add_option("ID", show->incident_id, "The incident, e.g. inc-7f3a")->required();
  incident->callback([show, &global] { run_show(*show, global); });

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
