// puente ack: POST /v1/acks -> the ack as logged. puente help-me: the silent call for help
// (docs/on-scene.md), an ack NEED_HELP, answered as quietly as the server answers it.

#include "api_client.hpp"
#include "commands.hpp"
#include "format.hpp"

#include <iostream>
#include <memory>

namespace puente::cli {
namespace {

struct AckOptions {
  std::string alert_id;
  std::string incident_id;
  std::string state;
  std::string note;
};

void run_ack(const AckOptions& options, const GlobalOptions& global) {
  v1::Ack ack;
  ack.set_alert_id(options.alert_id);
  ack.set_incident_id(options.incident_id);
  v1::AckState state{};
  v1::AckState_Parse(options.state, &state);
  ack.set_state(state);
  ack.set_note(options.note);

  ApiClient api(global);
  auto answer = api.post("/v1/acks", ack);
  if (global.json) {
    std::cout << answer.body << "\n";
    return;
  }
  // The answer is the ack as logged; a server may answer with the incident instead, which
  // reads as an empty Ack when parsed leniently.
  v1::Ack logged;
  ApiClient::parse(answer, logged);
  if (logged.alert_id().empty()) {
    v1::Incident incident;
    ApiClient::parse(answer, incident);
    std::cout << "acked alert " << options.alert_id << ": " << options.state;
    if (!incident.id().empty())
      std::cout << "; incident " << incident.id() << ": " << name_of(incident.status());
    std::cout << "\n";
    return;
  }
  std::cout << "acked alert " << logged.alert_id() << " (incident " << logged.incident_id()
            << "): " << name_of(logged.state());
  if (logged.has_at()) std::cout << " at " << format_time(logged.at());
  std::cout << "\n";
}

struct HelpMeOptions {
  std::string alert_id;
  std::string incident_id;
  double lat = 0, lon = 0;  // where they are, if they say
  bool located = false;
};

void run_help_me(const HelpMeOptions& options, const GlobalOptions& global) {
  v1::Ack ack;
  ack.set_alert_id(options.alert_id);
  ack.set_incident_id(options.incident_id);
  ack.set_state(v1::NEED_HELP);
  if (options.located) {
    ack.mutable_location()->set_lat(options.lat);
    ack.mutable_location()->set_lon(options.lon);
  }
  ApiClient api(global);
  auto answer = api.post("/v1/acks", ack);
  if (global.json) {
    std::cout << answer.body << "\n";
    return;
  }
  // Nothing that reads as a call for help on a screen someone else may be looking at.
  std::cout << "ok\n";
}

}  // namespace

void add_help_me_command(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<HelpMeOptions>();
  auto* command = app.add_subcommand(
      "help-me", "Silently call the dispatchers and the on-call attorneys for help");
  command->add_option("ALERT_ID", options->alert_id, "An alert of the incident you are at")
      ->required();
  command->add_option("--incident", options->incident_id, "The alert's incident")->required();
  auto* lat = command->add_option("--lat", options->lat, "Where you are: latitude");
  command->add_option("--lon", options->lon, "Where you are: longitude")->needs(lat);
  command->footer("Prints only \"ok\". Example: puente help-me al-123 --incident inc-7f3a");
  command->callback([options, &global, lat] {
    options->located = lat->count() > 0;
    run_help_me(*options, global);
  });
}

void add_ack_command(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<AckOptions>();
  auto* command = app.add_subcommand("ack", "Acknowledge an alert: say where you stand");
  command->add_option("ALERT_ID", options->alert_id, "The alert, as `tail` shows it")->required();
  command->add_option("STATE", options->state, "Where you stand")
      ->required()
      ->transform(CLI::IsMember(enum_choices(v1::AckState_descriptor()), CLI::ignore_case));
  command->add_option("--incident", options->incident_id, "The alert's incident")->required();
  command->add_option("--note", options->note, "A word for the dispatcher, e.g. \"5 min away\"");
  command->footer("Example: puente ack alr-123 --incident inc-7f3a EN_ROUTE --note \"10 min\"");
  command->callback([options, &global] { run_ack(*options, global); });
}

}  // namespace puente::cli
