#pragma once
// The HTTP API of DESIGN.md "Contracts": each route authenticates the bearer token, decodes
// the body (JSON, or protobuf for application/x-protobuf), calls a service, and encodes the
// answer the way the client asked (Accept: application/x-protobuf, else JSON).

#include "app/access/network_ack_key.hpp"
#include "app/access/rate_limiter.hpp"
#include "app/access/token_service.hpp"
#include "app/incidents/ack_desk.hpp"
#include "app/incidents/dispatch_service.hpp"
#include "app/incidents/incident_desk.hpp"
#include "app/incidents/outbox.hpp"
#include "app/incidents/report_desk.hpp"
#include "app/live/presence.hpp"
#include "app/maps/map_tiles.hpp"
#include "app/node/config.hpp"
#include "app/node/network_rules.hpp"
#include "channels/sms/gateway_credentials.hpp"
#include "core/delivery_ladder.hpp"
#include "core/responder_phones.hpp"
#include "net/router.hpp"
#include "net/static_body.hpp"
#include "store/alert_lookup.hpp"
#include "store/push_delivery_store.hpp"
#include "store/push_subscription_store.hpp"
#include "store/sms_reply_store.hpp"
#include "store/sms_report_store.hpp"

#include <functional>
#include <string>

namespace puente::app {

class MediaDesk;
class EvidenceBundle;
class Geocoder;

struct ApiServices {
  const core::Roster& roster;
  const core::TokenRegistry& tokens;
  TokenService& token_service;
  AuditTrail& audit;
  store::AuditStore& audit_log;
  const NetworkRules& rules;
  store::IncidentStore& store;
  Presence& presence;
  const core::DeliveryLadders& delivery;  // Delivery.unreachable
  bool push_on = false;                   // [push] vapid_key_file set
  ReportDesk& reports;
  AckDesk& acks;
  IncidentDesk& incidents;
  DispatchService& dispatch;  // the reads of incidents
  Outbox& outbox;             // how many entries wait (/readyz)
  core::Metrics& metrics;
  std::function<bool()> store_reachable;  // the network's Redis command link is up
  // With several networks the first answers /readyz for the node (issue 23): the other networks'
  // services, whose readiness it includes (health_routes.cpp); empty otherwise.
  std::vector<const ApiServices*> other_networks = {};
  std::string node_id;
  // The network these services are (issue 23; GET /v1/network): its [[networks]] id ("" for a
  // node of one network) and its name, shown on every page.
  std::string network_id;
  std::string network_name;
  const net::StaticBody& neighborhood_map;  // neighborhood_map.hpp, built once
  const MapTiles& map_tiles;
  RateLimiter& limiter;
  const RateLimits& rate_limits;
  // Web Push (push_routes.cpp): [push], the VAPID public key (base64url; empty when off), the
  // key that verifies ack capabilities, each responder's phones and what the phones showed.
  const PushConfig& push;
  std::string push_public_key;
  const NetworkAckKey& ack_key;
  store::PushSubscriptionStore& phones;
  store::PushDeliveryStore& push_deliveries;  // and who has a phone (OnCall.with_phone)
  store::AlertLookup& alerts;                 // which incident sent an alert
  // Queues a kind "test" push to each of a responder's phones and answers how many (the push
  // pipeline's PushDispatch::send_test, channels/push_dispatch.hpp); unset: none can be sent.
  using SendTestPush = std::function<void(const std::string& responder_id,
                                          std::function<void(MaybeRefusal, std::size_t phones)>)>;
  SendTestPush send_test_push;
  // SMS (docs/sms.md): [sms], the secrets Kannel presents on its callbacks and the responders'
  // phones by keyed hash; both null when SMS is off.
  const SmsConfig& sms;
  const sms::GatewayCredentials* sms_credentials = nullptr;
  const core::ResponderPhones* responder_phones = nullptr;
  // Whether this node's last text found smsbox down (/readyz names "sms"); unset: SMS is off.
  std::function<bool()> sms_gateway_down;
  // What replies and delivery reports write, and the status reads (sms_routes.cpp).
  store::SmsReplyStore& sms_replies;
  store::SmsReportStore& sms_reports;
  // Media and the evidence bundle (media_routes.cpp, docs/evidence.md); set by the node.
  MediaDesk* media = nullptr;
  EvidenceBundle* evidence_bundle = nullptr;
  // Address search through the network's geocoder (geography_routes.cpp); null without
  // [geography] geocoder_url. Set by the node.
  Geocoder* geocoder = nullptr;
};

void add_api_routes(net::Router& router, ApiServices& services);

}  // namespace puente::app
