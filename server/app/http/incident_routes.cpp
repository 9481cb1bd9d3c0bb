// Reports, incidents, their steps and evidence, and acks.
#include "app/http/api_exchange.hpp"
#include "app/http/route_groups.hpp"
#include "core/access.hpp"
#include "core/incident_lifecycle.hpp"

namespace puente::app::api {

void add_incident_routes(net::Router& router, ApiServices& s) {
  router.add(http::verb::post, "/v1/reports",
             authenticated(s, [&s](const core::Responder& who, Request&& request, RouteParams,
                                   Respond respond) {
               v1::Report report;
               if (auto refusal = decode(request, report)) {
                 s.metrics.reports_rejected.inc();
                 return respond(refusal_response(*refusal));
               }
               auto req = std::make_shared<Request>(std::move(request));
               s.outbox.submit_report(
                   who, std::move(report),
                   [&who, req, respond = std::move(respond)](Outbox::ReportResult r) {
                     auto& result = r.result;
                     if (result.refusal) return respond(refusal_response(*result.refusal));
                     if (r.queued)
                       return respond(encode(*req, http::status::accepted, result.receipt));
                     redact_for(who, result.receipt);
                     respond(encode(*req, result.created ? http::status::created : http::status::ok,
                                    result.receipt));
                   });
             }));
  router.add(http::verb::get, "/v1/incidents",
             authenticated(s, [&s](const core::Responder& who, Request&& request,
                                   RouteParams params, Respond respond) {
               auto req = std::make_shared<Request>(std::move(request));
               s.dispatch.list(who, query(params, "status"), query(params, "neighborhood"),
                               answer<v1::IncidentList>(req, std::move(respond)));
             }));
  router.add(http::verb::get, "/v1/incidents/{id}",
             authenticated(s, [&s](const core::Responder& who, Request&& request,
                                   RouteParams params, Respond respond) {
               auto id = incident_id(params);
               if (!id) return respond(refusal_response(no_such_incident()));
               auto req = std::make_shared<Request>(std::move(request));
               s.dispatch.view(who, *id, answer<v1::Incident>(req, std::move(respond)));
             }));
  // Added before "/v1/incidents/{id}/{step}": the router takes the first pattern that matches.
  router.add(http::verb::post, "/v1/incidents/{id}/evidence",
             authenticated(s, [&s](const core::Responder& who, Request&& request,
                                   RouteParams params, Respond respond) {
               auto id = incident_id(params);
               if (!id) return respond(refusal_response(no_such_incident()));
               // No body, or an empty one ({}, as the CLI sends): the mark has nothing to say.
               v1::IncidentAction action;
               if (!request.body().empty()) {
                 if (auto refusal = decode(request, action))
                   return respond(refusal_response(*refusal));
                 if (!action.text().empty() || action.has_location())
                   return respond(refusal_response(
                       {400, "unexpected_field", "marking evidence takes no text or location"}));
               }
               auto req = std::make_shared<Request>(std::move(request));
               s.evidence.mark(who, *id, answer<v1::Incident>(req, std::move(respond)));
             }));
  router.add(http::verb::post, "/v1/incidents/{id}/{step}",
             authenticated(s, [&s](const core::Responder& who, Request&& request,
                                   RouteParams params, Respond respond) {
               auto id = incident_id(params);
               if (!id) return respond(refusal_response(no_such_incident()));
               auto step = core::parse_incident_step(params.path["step"]);
               if (!step)
                 return respond(refusal_response(Refusal::not_found("no such incident action")));
               v1::IncidentAction action;
               // An action may come with no body at all: the alert then gets its default text.
               if (!request.body().empty())
                 if (auto refusal = decode(request, action))
                   return respond(refusal_response(*refusal));
               auto req = std::make_shared<Request>(std::move(request));
               s.dispatch.advance(who, *id, *step, action,
                                  answer<v1::Incident>(req, std::move(respond)));
             }));
  router.add(http::verb::post, "/v1/acks",
             authenticated(s, [&s](const core::Responder& who, Request&& request, RouteParams,
                                   Respond respond) {
               v1::Ack ack;
               if (auto refusal = decode(request, ack)) return respond(refusal_response(*refusal));
               auto req = std::make_shared<Request>(std::move(request));
               s.outbox.submit_ack(
                   who, std::move(ack), [req, respond = std::move(respond)](Outbox::AckResult r) {
                     if (r.refusal) return respond(refusal_response(*r.refusal));
                     respond(encode(*req, r.queued ? http::status::accepted : http::status::created,
                                    r.ack));
                   });
             }));
}

}  // namespace puente::app::api
