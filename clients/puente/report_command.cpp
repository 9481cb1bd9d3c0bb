// puente report: POST /v1/reports -> the incident the report opened or joined.

#include "api_client.hpp"
#include "commands.hpp"
#include "core/bearer_token.hpp"
#include "format.hpp"

#include <iostream>
#include <memory>

namespace puente::cli {
namespace {

struct ReportOptions {
  double lat = 0;
  double lon = 0;
  std::string kind;
  std::string where;
  std::string description;
  std::string language;
  std::string idempotency_key;
};

void run_report(const ReportOptions& options, const GlobalOptions& global) {
  v1::Report report;
  report.mutable_location()->set_lat(options.lat);
  report.mutable_location()->set_lon(options.lon);
  report.mutable_location()->set_description(options.where);
  v1::ReportKind kind{};
  v1::ReportKind_Parse(options.kind, &kind);
  report.set_kind(kind);
  report.set_description(options.description);
  report.set_language(options.language);
  // Always send a key, so that a retry (ours, or the HTTP client's on a stale connection)
  // cannot log the same call twice.
  report.set_idempotency_key(options.idempotency_key.empty()
                                 ? "cli-" + core::new_bearer_token().substr(0, 22)
                                 : options.idempotency_key);

  ApiClient api(global);
  auto answer = api.post("/v1/reports", report);
  if (global.json) {
    std::cout << answer.body << "\n";
    return;
  }
  v1::ReportReceipt receipt;
  ApiClient::parse(answer, receipt);
  std::cout << receipt_line(receipt.incident()) << "\n";
  if (answer.status == 200)
    std::cerr << "note: this idempotency key was used before; that report's answer is shown\n";
}

}  // namespace

void add_report_command(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<ReportOptions>();
  auto* command = app.add_subcommand(
      "report", "Log a report (a hotline call, an observer's word) and show its incident");
  command->add_option("--lat", options->lat, "Latitude in decimal degrees")
      ->required()
      ->check(CLI::Range(-90.0, 90.0));
  command->add_option("--lon", options->lon, "Longitude in decimal degrees")
      ->required()
      ->check(CLI::Range(-180.0, 180.0));
  command->add_option("--kind", options->kind, "What was seen")
      ->required()
      ->transform(CLI::IsMember(enum_choices(v1::ReportKind_descriptor()), CLI::ignore_case));
  command->add_option("--where", options->where,
                      "The place in words, e.g. \"car wash on Cesar Chavez and Soto\"");
  command->add_option("--description", options->description,
                      "What the caller saw; shown to responders");
  command->add_option("--language", options->language,
                      "BCP 47 tag of the caller's language, e.g. es, en, zh");
  command->add_option("--idempotency-key", options->idempotency_key,
                      "Reuse to retry safely: the server answers the first report again "
                      "(default: a fresh random key)");
  command->footer(
      "Prints: incident <id> in <neighborhood> (<name>): <STATUS>\n"
      "Example: puente report --lat 34.0412 --lon -118.2135 --kind RAID --language es \\\n"
      "           --where \"car wash on Cesar Chavez and Soto\" --description \"3 vans, agents "
      "inside\"");
  command->callback([options, &global] { run_report(*options, global); });
}

}  // namespace puente::cli
