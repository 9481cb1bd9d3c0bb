// A responder's own device tokens: "stay signed in" on one phone (issue 17). The page trades
// its sign-in for a token of that phone's own, keeps it in that phone's storage, and the
// responder (or an admin, through /v1/admin/tokens) revokes it when the phone is lost or given
// away. The token's text is in the answer to POST alone.
#include "app/http/api_exchange.hpp"
#include "app/http/route_groups.hpp"

namespace puente::app::api {

void add_device_token_routes(net::Router& router, ApiServices& s) {
  router.add(http::verb::post, "/v1/me/device-tokens",
             authenticated(s, [&s](const core::Responder& who, Request&& request, RouteParams,
                                   Respond respond) {
               v1::TokenRequest token_request;
               if (auto refusal = decode(request, token_request))
                 return respond(refusal_response(*refusal));
               auto req = std::make_shared<Request>(std::move(request));
               s.token_service.issue_device(
                   who, token_request, s.push.device_token_lifetime,
                   answer<v1::IssuedToken>(req, std::move(respond), http::status::created));
             }));
  router.add(http::verb::get, "/v1/me/device-tokens",
             authenticated(s, [&s](const core::Responder& who, Request&& request, RouteParams,
                                   Respond respond) {
               auto req = std::make_shared<Request>(std::move(request));
               s.token_service.list_devices(who, answer<v1::TokenList>(req, std::move(respond)));
             }));
  router.add(http::verb::delete_, "/v1/me/device-tokens/{id}",
             authenticated(s, [&s](const core::Responder& who, Request&&, RouteParams params,
                                   Respond respond) {
               s.token_service.revoke_device(
                   who, params.path["id"],
                   [respond = std::move(respond)](MaybeRefusal refusal, v1::IssuedToken) {
                     if (refusal) return respond(refusal_response(*refusal));
                     respond(net::Response{http::status::no_content, 11});
                   });
             }));
}

}  // namespace puente::app::api
