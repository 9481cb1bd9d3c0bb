// puente sms status: the SMS channel at a glance for a dispatcher (GET /v1/sms/status,
// docs/sms.md): texts this hour against the budget, texts waiting, the gateway as the senders
// last saw it, and who replied STOP.

#include "api_client.hpp"
#include "commands.hpp"

#include <boost/json.hpp>

#include <iostream>
#include <stdexcept>

namespace puente::cli {
namespace {

std::string text_of(const boost::json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

long long number_of(const boost::json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value && value->is_int64() ? value->as_int64() : 0;
}

void run_status(const GlobalOptions& global) {
  ApiClient api(global);
  const auto answer = api.get("/v1/sms/status");
  if (global.json) {
    std::cout << answer.body << "\n";
    return;
  }
  boost::system::error_code ec;
  const auto parsed = boost::json::parse(answer.body, ec);
  if (ec || !parsed.is_object()) throw std::runtime_error("the SMS status is not a JSON object");
  const auto& status = parsed.as_object();
  const auto* enabled = status.if_contains("enabled");
  if (!enabled || !enabled->is_bool() || !enabled->as_bool()) {
    std::cout << "SMS is off on this network ([sms] credentials_file)\n";
    return;
  }
  const auto* over = status.if_contains("overBudget");
  std::cout << "texts this hour  " << number_of(status, "sentThisHour") << " of "
            << number_of(status, "maxPerHour")
            << (over && over->is_bool() && over->as_bool()
                    ? "  OVER BUDGET: only VERIFY, DISPATCH and ESCALATE go by SMS"
                    : "")
            << "\n";
  std::cout << "queued           " << number_of(status, "queued") << "\n";
  boost::json::object gateway;
  if (const auto* g = status.if_contains("gateway"); g && g->is_object()) gateway = g->as_object();
  std::cout << "gateway          " << text_of(gateway, "state");
  if (const auto since = text_of(gateway, "since"); !since.empty()) std::cout << " since " << since;
  if (const auto problem = text_of(gateway, "problem"); !problem.empty())
    std::cout << " (" << problem << ")";
  std::cout << "\n";
  std::string stopped;
  if (const auto* s = status.if_contains("stopped"); s && s->is_array())
    for (const auto& id : s->as_array())
      if (id.is_string()) stopped += (stopped.empty() ? "" : ", ") + std::string(id.as_string());
  std::cout << "replied STOP     " << (stopped.empty() ? "nobody" : stopped) << "\n";
}

}  // namespace

void add_sms_commands(CLI::App& app, const GlobalOptions& global) {
  auto* sms = app.add_subcommand("sms", "SMS through Kannel: budget, queue, gateway");
  sms->require_subcommand(1);
  auto* status = sms->add_subcommand(
      "status", "Texts this hour against the budget, the queue, the gateway, who replied STOP");
  status->callback([&global] { run_status(global); });
}

}  // namespace puente::cli
