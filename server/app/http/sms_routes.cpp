// What Kannel calls (docs/sms.md, deploy/kannel/README.md) and what dispatchers read about SMS:
//
//   POST /v1/sms/inbound   a phone's text, posted by smsbox's sms-service; the answer's body is
//                          texted back to the phone (sms_replies.hpp)
//   GET  /v1/sms/dlr       a delivery report, smsbox calling the dlr-url a text was sent with
//   GET  /v1/sms/status    the budget, the queue, the gateway, who replied STOP (dispatchers)
//
// Kannel's two routes take no bearer token: only `Authorization: Basic` with the credentials of
// [sms] credentials_file (sms::GatewayCredentials::authorizes), which Kannel sends from the
// user:password of its post-url and dlr-url. Anything else is 401 and changes nothing; wrong
// credentials are taken from the address's failed sign-ins bucket, as a bad token is. With SMS
// off all three answer 404 sms_not_configured (the status route: {"enabled": false}).
// No phone number is ever logged, stored or answered: the sender is its keyed hash from the
// first line that reads it (channels/sms/inbound_sms.hpp).

#include "app/access/rate_limiter.hpp"
#include "app/http/api_exchange.hpp"
#include "app/http/route_groups.hpp"
#include "app/http/sms_replies.hpp"
#include "channels/sms/delivery_report.hpp"
#include "channels/sms/inbound_sms.hpp"
#include "core/access.hpp"
#include "core/clock.hpp"

#include <google/protobuf/util/time_util.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

namespace puente::app::api {

namespace {

net::Response sms_not_configured() {
  return net::error_response(http::status::not_found, "sms_not_configured",
                             "SMS is not set up on this network ([sms] credentials_file)");
}

// Whether the request is Kannel's; if not, answered.
bool from_gateway(ApiServices& s, const Request& request, const RouteParams& params,
                  Respond& respond) {
  if (!s.sms_credentials || !s.responder_phones) {
    respond(sms_not_configured());
    return false;
  }
  const auto header = request[http::field::authorization];
  if (s.sms_credentials->authorizes(std::string_view(header.data(), header.size()))) return true;
  // Someone trying passwords is slowed as a guesser of tokens is.
  if (!header.empty())
    if (auto wait = s.limiter.take("failed-sign-ins", params.peer_address,
                                   s.rate_limits.failed_sign_ins_per_address)) {
      respond(rate_limited_response(*wait));
      return false;
    }
  auto refused = net::error_response(http::status::unauthorized, "bad_gateway_credentials",
                                     "only the SMS gateway posts here, with its credentials");
  refused.set(http::field::www_authenticate, "Basic realm=\"puente-sms\"");
  respond(std::move(refused));
  return false;
}

net::Response text_back(const std::string& text) {
  net::Response response{http::status::ok, 11};
  // Kannel's sms-service texts an answer's body back (omit-empty: none for an empty one).
  response.set(http::field::content_type, "text/plain; charset=UTF-8");
  response.body() = text;
  response.prepare_payload();
  return response;
}

net::Response bad_callback(const std::string& why) {
  return net::error_response(http::status::bad_request, "bad_callback", why);
}

void inbound(ApiServices& s, Request&& request, RouteParams params, Respond respond) {
  if (!from_gateway(s, request, params, respond)) return;
  const auto target = request.target();
  const auto content_type = request[http::field::content_type];
  auto parsed = sms::parse_inbound_sms(std::string_view(target.data(), target.size()),
                                       std::string_view(content_type.data(), content_type.size()),
                                       request.body(), *s.responder_phones);
  if (!parsed.sms) return respond(bad_callback(parsed.error));
  // A number that is no responder's changes nothing and gets nothing back: a stranger learns
  // nothing about the network from texting it.
  const core::Responder* who = s.responder_phones->by_hash(parsed.sms->from_hash);
  if (!who) {
    spdlog::debug("sms from a number that is no responder's: nothing done");
    return respond(text_back({}));
  }
  const std::string kannel_id = parsed.sms->gateway_id;
  auto apply = [&s, who, sms = std::move(*parsed.sms), respond]() mutable {
    answer_sms_reply(s, *who, sms, [&s, respond](std::string text) {
      if (!text.empty()) s.sms_replies.count_text(core::Clock::now());
      respond(text_back(text));
    });
  };
  if (kannel_id.empty()) return apply();
  // Kannel posts a message again if it got no answer: each of its ids is taken once.
  s.sms_replies.take_inbound(kannel_id,
                             [apply = std::move(apply), respond](store::Outcome outcome) mutable {
                               if (outcome == store::Outcome::unavailable)
                                 return respond(refusal_response(Refusal::unavailable()));
                               if (outcome == store::Outcome::repeated)
                                 return respond(text_back({}));
                               apply();
                             });
}

void delivery_report(ApiServices& s, Request&& request, RouteParams params, Respond respond) {
  if (!from_gateway(s, request, params, respond)) return;
  const auto target = request.target();
  auto parsed = sms::parse_delivery_report(std::string_view(target.data(), target.size()),
                                           *s.responder_phones);
  if (!parsed.report) return respond(bad_callback(parsed.error));
  const auto& report = *parsed.report;
  // Buffered, or taken by the SMS centre: on the way, nothing to show yet.
  if (!sms::is_final(report.status)) return respond(net::Response{http::status::no_content, 11});
  const std::string word = report.status == sms::DeliveryStatus::delivered ? "delivered"
                           : report.status == sms::DeliveryStatus::failed  ? "failed"
                                                                           : "rejected";
  // The report names the phone it went to: it must be the text's responder's. A phone that is
  // no responder's (the roster changed since) matches nobody.
  std::string phone_responder;
  if (!report.phone_hash.empty()) {
    const auto* owner = s.responder_phones->by_hash(report.phone_hash);
    phone_responder = owner ? owner->id : std::string("-");
  }
  const auto at = report.at_unix ? core::Clock::time_point(std::chrono::seconds(report.at_unix))
                                 : core::Clock::now();
  s.sms_reports.record_report(
      report.message_id, word, at, phone_responder,
      [respond = std::move(respond)](store::SmsReportStore::Recorded recorded) {
        if (recorded == store::SmsReportStore::Recorded::unavailable)
          return respond(refusal_response(Refusal::unavailable()));
        // An unknown text (expired, or never ours) is no error of Kannel's: it would retry.
        respond(net::Response{http::status::no_content, 11});
      });
}

std::string status_json(const ApiServices& s, const store::SmsStatusFacts& facts) {
  boost::json::object gateway{
      {"state", facts.gateway_state.empty() ? "unknown" : facts.gateway_state},
      {"problem", facts.gateway_problem}};
  if (facts.gateway_since_ms)
    gateway["since"] =
        google::protobuf::util::TimeUtil::ToString(core::timestamp_from_ms(facts.gateway_since_ms));
  boost::json::array stopped;
  for (const auto& id : facts.stopped) stopped.emplace_back(id);
  boost::json::object body{{"enabled", true},
                           {"sentThisHour", facts.sent_this_hour},
                           {"maxPerHour", s.sms.max_per_hour},
                           {"overBudget", facts.sent_this_hour >= s.sms.max_per_hour},
                           {"queued", facts.queued},
                           {"gateway", std::move(gateway)},
                           {"stopped", std::move(stopped)}};
  return boost::json::serialize(body);
}

void read_status(ApiServices& s, const core::Responder& who, Respond respond) {
  if (!core::may(who, core::Action::watch_board))
    return respond(refusal_response(Refusal::forbidden("only dispatchers read the SMS status")));
  if (!s.sms.enabled())
    return respond(net::json_response(http::status::ok, R"({"enabled":false})"));
  s.sms_reports.status(
      core::Clock::now(),
      [&s, respond = std::move(respond)](store::Outcome outcome, store::SmsStatusFacts facts) {
        if (outcome != store::Outcome::ok) return respond(refusal_response(Refusal::unavailable()));
        respond(net::json_response(http::status::ok, status_json(s, facts)));
      });
}

}  // namespace

void add_sms_routes(net::Router& router, ApiServices& s) {
  router.add(http::verb::post, "/v1/sms/inbound",
             [&s](Request&& request, RouteParams params, Respond respond) {
               inbound(s, std::move(request), std::move(params), std::move(respond));
             });
  router.add(http::verb::get, "/v1/sms/dlr",
             [&s](Request&& request, RouteParams params, Respond respond) {
               delivery_report(s, std::move(request), std::move(params), std::move(respond));
             });
  router.add(http::verb::get, "/v1/sms/status",
             authenticated(s, [&s](const core::Responder& who, Request&&, RouteParams,
                                   Respond respond) { read_status(s, who, std::move(respond)); }));
}

}  // namespace puente::app::api
