// What admins do: issue, list and revoke tokens, and read the audit log.
#include "app/http/api_exchange.hpp"
#include "app/http/route_groups.hpp"
#include "core/access.hpp"

namespace puente::app::api {

namespace {

constexpr std::uint64_t audit_page = 1000;  // entries per GET /v1/admin/audit

}  // namespace

void add_admin_routes(net::Router& router, ApiServices& s) {
  router.add(http::verb::post, "/v1/admin/tokens",
             authenticated(s, [&s](const core::Responder& who, Request&& request, RouteParams,
                                   Respond respond) {
               v1::TokenRequest token_request;
               if (auto refusal = decode(request, token_request))
                 return respond(refusal_response(*refusal));
               auto req = std::make_shared<Request>(std::move(request));
               s.token_service.issue(
                   who, token_request,
                   answer<v1::IssuedToken>(req, std::move(respond), http::status::created));
             }));
  router.add(http::verb::get, "/v1/admin/tokens",
             authenticated(s, [&s](const core::Responder& who, Request&& request,
                                   RouteParams params, Respond respond) {
               auto req = std::make_shared<Request>(std::move(request));
               s.token_service.list(who, query(params, "responder"),
                                    answer<v1::TokenList>(req, std::move(respond)));
             }));
  router.add(
      http::verb::get, "/v1/admin/audit",
      authenticated(s, [&s](const core::Responder& who, Request&& request, RouteParams params,
                            Respond respond) {
        if (!core::may(who, core::Action::administer))
          return respond(refusal_response(Refusal::forbidden("only admins read the audit log")));
        auto after = parse_count(query(params, "after"), 0);
        auto limit = parse_count(query(params, "limit"), audit_page);
        if (!after || !limit || *limit == 0 || *limit > audit_page)
          return respond(refusal_response(
              {RefusalKind::bad_range,
               "after is a sequence number; limit is 1 to " + std::to_string(audit_page)}));
        auto req = std::make_shared<Request>(std::move(request));
        s.audit_log.read(*after, *limit,
                         [req, respond = std::move(respond)](store::Outcome outcome,
                                                             std::vector<v1::AuditEntry> entries) {
                           if (outcome != store::Outcome::ok)
                             return respond(refusal_response(Refusal::unavailable()));
                           v1::AuditLog log;
                           for (auto& entry : entries) *log.add_entries() = std::move(entry);
                           respond(encode(*req, http::status::ok, log));
                         });
      }));
  router.add(http::verb::post, "/v1/admin/tokens/{id}/revoke",
             authenticated(s, [&s](const core::Responder& who, Request&& request,
                                   RouteParams params, Respond respond) {
               auto req = std::make_shared<Request>(std::move(request));
               s.token_service.revoke(who, params.path["id"],
                                      answer<v1::IssuedToken>(req, std::move(respond)));
             }));
}

}  // namespace puente::app::api
