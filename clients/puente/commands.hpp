#pragma once
// The subcommands of `puente`. Each add_*() registers its subcommand, options and help text on
// the app; the subcommand's callback does the work. Errors leave as exceptions, which main()
// turns into a message and an exit status.

#include "global_options.hpp"

#include <google/protobuf/descriptor.h>
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace puente::cli {

void add_audit_commands(CLI::App& app, const GlobalOptions& global);
void add_report_command(CLI::App& app, const GlobalOptions& global);
void add_ack_command(CLI::App& app, const GlobalOptions& global);
void add_help_me_command(CLI::App& app, const GlobalOptions& global);
void add_incident_commands(CLI::App& app, const GlobalOptions& global);
void add_geography_commands(CLI::App& app, const GlobalOptions& global);
void add_on_call_commands(CLI::App& app, const GlobalOptions& global);
void add_tail_command(CLI::App& app, const GlobalOptions& global);
void add_token_commands(CLI::App& app, const GlobalOptions& global);
void add_push_commands(CLI::App& app, const GlobalOptions& global);
void add_sms_commands(CLI::App& app, const GlobalOptions& global);
void add_evidence_commands(CLI::App& app, const GlobalOptions& global);
void add_network_commands(CLI::App& app, const GlobalOptions& global);

// Names of an enum's values, UNSPECIFIED left out, for CLI::IsMember.
template <typename Descriptor>
std::vector<std::string> enum_choices(const Descriptor* descriptor) {
  std::vector<std::string> names;
  for (int i = 0; i < descriptor->value_count(); ++i)
    if (descriptor->value(i)->number() != 0) names.push_back(descriptor->value(i)->name());
  return names;
}

}  // namespace puente::cli
