// What a phone and a page call for Web Push (docs/push.md): the network's public key, a
// responder's own phones (subscribe, list, remove), "shown" from the service worker, and an
// admin's test notification. Every route answers 404 push_not_configured when Web Push is off.
// A phone's endpoint is a capability: it goes back to its owner only, never into a log line, an
// audit entry or an error message.
#include "app/http/api_exchange.hpp"
#include "app/http/route_groups.hpp"
#include "channels/push/subscription_rules.hpp"
#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/push_subscription.hpp"

#include <algorithm>

namespace puente::app::api {

namespace {

using Saved = store::PushSubscriptionStore::Saved;

// The record kept for a phone that passed the rules: what the browser gave, and the server's
// own fields. Subscribing counts as the phone being heard from.
v1::PushSubscription new_phone(const v1::PushSubscription& given,
                               std::chrono::system_clock::time_point now) {
  v1::PushSubscription phone;
  phone.set_id(core::push_subscription_id(given.endpoint()));
  phone.set_endpoint(given.endpoint());
  *phone.mutable_keys() = given.keys();
  phone.set_device(given.device());
  *phone.mutable_created_at() = core::to_timestamp(now);
  *phone.mutable_last_contact_at() = core::to_timestamp(now);
  return phone;
}

Refusal unknown_phone() {
  return {RefusalKind::unknown_push_subscription, "you have no phone with that id"};
}

void subscribe(ApiServices& s, const core::Responder& who, Request&& request, Respond respond) {
  v1::PushSubscription given;
  if (auto refusal = decode(request, given)) return respond(refusal_response(*refusal));
  if (auto problem = push::check_push_subscription(given, s.push.sender.allowed_hosts))
    return respond(refusal_response(Refusal::bad_input(*problem)));
  auto phone = new_phone(given, core::Clock::now());
  auto req = std::make_shared<Request>(std::move(request));
  s.phones.save(
      who.id, phone, s.push.max_phones_per_responder,
      [&s, &who, req, phone, respond = std::move(respond)](Saved saved) {
        switch (saved) {
          case Saved::unavailable: return respond(refusal_response(Refusal::unavailable()));
          case Saved::too_many:
            return respond(
                refusal_response({RefusalKind::too_many_phones,
                                  "you have " + std::to_string(s.push.max_phones_per_responder) +
                                      " phones already; remove one first"}));
          case Saved::saved:
          case Saved::replaced: break;
        }
        // The id only: the endpoint is a capability and stays out of the audit log.
        s.audit.record(who.id, "push.subscribe", phone.id());
        respond(
            encode(*req, saved == Saved::saved ? http::status::created : http::status::ok, phone));
      });
}

void list_phones(ApiServices& s, const core::Responder& who, Request&& request, Respond respond) {
  auto req = std::make_shared<Request>(std::move(request));
  s.phones.list(who.id, [&s, req, respond = std::move(respond)](
                            store::Outcome outcome, std::vector<v1::PushSubscription> phones) {
    if (outcome != store::Outcome::ok) return respond(refusal_response(Refusal::unavailable()));
    std::sort(phones.begin(), phones.end(), [](const auto& a, const auto& b) {
      return core::to_ms(a.created_at()) < core::to_ms(b.created_at());
    });
    const auto now = core::Clock::now();
    v1::PushSubscriptionList list;
    for (auto& phone : phones) {
      phone.set_stale(core::push_phone_stale(phone, now, s.push.stale_after));
      *list.add_subscriptions() = std::move(phone);
    }
    respond(encode(*req, http::status::ok, list));
  });
}

void remove_phone(ApiServices& s, const core::Responder& who, const std::string& id,
                  Respond respond) {
  if (!core::valid_id("psub", id)) return respond(refusal_response(unknown_phone()));
  s.phones.remove(who.id, id, [&s, &who, id, respond = std::move(respond)](store::Outcome outcome) {
    if (outcome == store::Outcome::unavailable)
      return respond(refusal_response(Refusal::unavailable()));
    if (outcome != store::Outcome::ok) return respond(refusal_response(unknown_phone()));
    s.audit.record(who.id, "push.unsubscribe", id);
    respond(net::Response{http::status::no_content, 11});
  });
}

void record_shown(ApiServices& s, const std::string& incident_id, const std::string& alert_id,
                  const std::string& responder, const std::string& phone, Respond respond) {
  const auto now = core::Clock::now();
  s.push_deliveries.record_shown(
      incident_id, alert_id, responder, now,
      [&s, responder, phone, now, respond = std::move(respond)](store::Outcome outcome) mutable {
        if (outcome == store::Outcome::unavailable)
          return respond(refusal_response(Refusal::unavailable()));
        if (outcome != store::Outcome::ok)
          return respond(refusal_response({RefusalKind::unknown_alert, "no such alert"}));
        s.phones.heard_from(responder, phone, now, [respond = std::move(respond)](store::Outcome) {
          // A phone removed meanwhile is no reason to fail what was recorded.
          respond(net::Response{http::status::no_content, 11});
        });
      });
}

// How far back the incident of a shown alert is looked for, before the capability was minted:
// a push goes out at most an hour after its alert ([delivery] after_seconds, up to 3600), and
// its retries take minutes more.
constexpr std::chrono::hours push_sent_within{2};

// The service worker showed the alert's notification: Delivery.shown_at for the alert and the
// capability's responder, and the phone heard from. The body names the alert (the capability's)
// and may name its incident; the incident is found from the alert either way, so a shown record
// never lands in another incident.
void shown(ApiServices& s, const CapabilityCaller& holder, Request&& request, Respond respond) {
  v1::PushShown report;
  if (auto refusal = decode(request, report)) return respond(refusal_response(*refusal));
  if (report.alert_id() != holder.capability.alert_id)
    return respond(refusal_response(
        {RefusalKind::capability_not_for_this_alert, "the capability is for another alert"}));
  if (!core::valid_id("al", report.alert_id()))
    return respond(refusal_response({RefusalKind::unknown_alert, "no such alert"}));
  const auto minted = holder.capability.expires_at - s.push.ack_capability_lifetime;
  s.alerts.incident_of(
      report.alert_id(), minted - push_sent_within,
      [&s, report, responder = holder.caller.who.id, phone = holder.capability.subscription_id,
       respond = std::move(respond)](store::Outcome outcome, std::string incident_id) mutable {
        if (outcome == store::Outcome::unavailable)
          return respond(refusal_response(Refusal::unavailable()));
        if (outcome != store::Outcome::ok ||
            (!report.incident_id().empty() && report.incident_id() != incident_id))
          return respond(refusal_response({RefusalKind::unknown_alert, "no such alert"}));
        record_shown(s, incident_id, report.alert_id(), responder, phone, std::move(respond));
      });
}

void send_test(ApiServices& s, const core::Responder& who, Request&& request, Respond respond) {
  if (!core::may(who, core::Action::administer))
    return respond(refusal_response(Refusal::forbidden("only admins send test pushes")));
  v1::PushTest test;
  if (auto refusal = decode(request, test)) return respond(refusal_response(*refusal));
  if (!s.roster.find(test.responder_id()))
    return respond(
        refusal_response({RefusalKind::unknown_responder,
                          "no responder \"" + test.responder_id() + "\" in the roster"}));
  if (!s.send_test_push) return respond(refusal_response(Refusal::unavailable()));
  auto req = std::make_shared<Request>(std::move(request));
  s.send_test_push(test.responder_id(), [req, test, respond = std::move(respond)](
                                            MaybeRefusal refusal, std::size_t phones) mutable {
    if (refusal) return respond(refusal_response(*refusal));
    test.set_phones(static_cast<std::int32_t>(phones));
    respond(encode(*req, http::status::accepted, test));
  });
}

}  // namespace

void add_push_routes(net::Router& router, ApiServices& s) {
  // The page needs the key before anyone signs in on the phone: it is public by design.
  router.add(http::verb::get, "/v1/push/key",
             [&s](Request&& request, RouteParams, Respond respond) {
               if (!s.push.enabled()) return respond(refusal_response(push_not_configured()));
               v1::PushPublicKey key;
               key.set_public_key(s.push_public_key);
               respond(encode(request, http::status::ok, key));
             });
  router.add(http::verb::post, "/v1/me/push-subscriptions",
             authenticated(s, [&s](const core::Responder& who, Request&& request, RouteParams,
                                   Respond respond) {
               if (!s.push.enabled()) return respond(refusal_response(push_not_configured()));
               subscribe(s, who, std::move(request), std::move(respond));
             }));
  router.add(http::verb::get, "/v1/me/push-subscriptions",
             authenticated(s, [&s](const core::Responder& who, Request&& request, RouteParams,
                                   Respond respond) {
               if (!s.push.enabled()) return respond(refusal_response(push_not_configured()));
               list_phones(s, who, std::move(request), std::move(respond));
             }));
  router.add(http::verb::delete_, "/v1/me/push-subscriptions/{id}",
             authenticated(s, [&s](const core::Responder& who, Request&&, RouteParams params,
                                   Respond respond) {
               if (!s.push.enabled()) return respond(refusal_response(push_not_configured()));
               remove_phone(s, who, params.path["id"], std::move(respond));
             }));
  router.add(http::verb::post, "/v1/admin/push-test",
             authenticated(s, [&s](const core::Responder& who, Request&& request, RouteParams,
                                   Respond respond) {
               if (!s.push.enabled()) return respond(refusal_response(push_not_configured()));
               send_test(s, who, std::move(request), std::move(respond));
             }));
  router.add(http::verb::post, "/v1/push/shown",
             [&s](Request&& request, RouteParams params, Respond respond) {
               auto holder = authenticate_capability(s, request, params, respond);
               if (!holder) return;
               shown(s, *holder, std::move(request), std::move(respond));
             });
}

}  // namespace puente::app::api
