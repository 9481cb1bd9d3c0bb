#pragma once
// Everything a node is made of, built in the order of its members (each from those above it).
// Node-wide (Node::Parts): the I/O threads, the rate limiter, the pages and tiles, the server
// context, its certificate and listener, systemd. Per network (NetworkParts, one per network the
// node serves, issue 23): the files it reads, its Redis links and stores, its hub, the services
// and workers, its routes. node_parts.cpp builds a network's, node_wide.cpp the node's;
// Node::run() (node.cpp) starts and stops them.

#include "app/node/node.hpp"

#include "app/node/install_layout.hpp"
#include "app/node/network_config.hpp"
#include "app/node/node_files.hpp"
#include "app/node/node_settings.hpp"
#include "app/node/service_notifier.hpp"

#include "app/access/audit_anchors.hpp"
#include "app/access/network_ack_key.hpp"
#include "app/access/rate_limiter.hpp"
#include "app/access/token_service.hpp"
#include "app/http/api_routes.hpp"
#include "app/incidents/approval_service.hpp"
#include "app/incidents/availability_copy.hpp"
#include "app/incidents/dispatch_service.hpp"
#include "app/incidents/escalation_worker.hpp"
#include "app/incidents/evidence_service.hpp"
#include "app/incidents/intake_service.hpp"
#include "app/incidents/on_scene.hpp"
#include "app/incidents/retention_worker.hpp"
#include "app/live/delivery_log.hpp"
#include "app/live/live_feed.hpp"
#include "app/live/presence.hpp"
#include "app/live/responder_socket.hpp"
#include "app/maps/geocoder.hpp"
#include "app/maps/neighborhood_map.hpp"
#include "app/media/blob_store.hpp"
#include "app/media/evidence_bundle.hpp"
#include "app/media/media_desk.hpp"
#include "channels/phone_sweep.hpp"
#include "channels/push/vapid.hpp"
#include "channels/push_dispatch.hpp"
#include "channels/rung_worker.hpp"
#include "channels/sms_dispatch.hpp"
#include "core/delivery_ladder.hpp"
#include "net/listener.hpp"
#include "net/static_files.hpp"
#include "net/tile_files.hpp"
#include "redis/subscriber.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

#include <cstdlib>

namespace puente::app {

struct NetworkParts {
  NodeConfig config;  // the network's (network_config.hpp): node-wide options and its own
  core::GeoIndex geo;
  core::Roster roster;
  core::TimeZone zone;
  core::Templates templates;
  core::DispatchPolicies policies;
  core::DeliveryLadders delivery;  // read now so a bad [delivery] stops the node at start
  AlertWriter writer;
  NetworkRules rules;
  // Kept by the node, beside its threads: the server's sessions count into the first network's
  // until the threads' last handlers are gone, after the networks.
  core::Metrics& metrics;
  net::IoThreads& io;  // the node's
  // The network's own hub: a neighborhood `downtown` of one network is another topic than a
  // `downtown` of the next.
  net::Hub hub;
  std::shared_ptr<redis::Connection> commands;
  std::shared_ptr<redis::Subscriber> subscriber;
  store::IncidentStore store;
  AvailabilityCopy availability;
  store::TimerQueue timers;
  store::TimerQueue checkin_timers;  // the people on scene's check-ins (on_scene.hpp)
  store::RetentionStore retention_store;
  store::AuditStore audit_store;
  std::shared_ptr<AuditTrail> audit;
  store::TokenStore token_store;
  // The network's Ed25519 key: it signs evidence bundles (docs/evidence.md), audit anchors and
  // issued-token records.
  evidence::NetworkKey evidence_key;
  core::TokenRegistry tokens;
  RevocationFile revocations;
  SignedInSockets signed_in;
  std::shared_ptr<TokenService> token_service;
  store::PresenceStore presence_store;
  std::shared_ptr<Presence> presence;
  std::shared_ptr<push::VapidSigner> vapid;  // [push]; none: Web Push is off
  store::AckKeyStore ack_key_store;
  std::shared_ptr<NetworkAckKey> ack_key;  // mints and verifies ack capabilities
  store::PushSubscriptionStore phones;
  store::PushDeliveryStore push_deliveries;
  store::AlertLookup alerts;
  net::StaticBody neighborhood_map;
  // The node's table (per address), with this network's per-token buckets its own.
  RateLimiter limiter;
  std::optional<core::CallerKey> caller_key;
  // SMS (docs/sms.md): both empty when [sms] is off.
  std::optional<sms::GatewayCredentials> sms_credentials;
  std::optional<core::ResponderPhones> responder_phones;
  store::SmsReplyStore sms_replies;
  store::SmsReportStore sms_reports;
  LocalBlobStore blobs;  // media bytes ([media] dir)
  IntakeService intake;
  DispatchService dispatch;
  EvidenceService evidence;
  ApprovalService approval;  // planted reports: held incidents released (issue 19 item 4)
  LiveFeed feed;
  std::shared_ptr<EscalationWorker> escalation;
  std::shared_ptr<OnScene> on_scene;
  std::shared_ptr<RetentionWorker> retention;
  // Web Push (docs/push.md): all null when [push] is off.
  store::PushQueue push_queue;
  std::shared_ptr<push::PushSender> push_sender;
  std::shared_ptr<channels::PushDispatch> push_dispatch;
  std::shared_ptr<channels::PhoneSweep> phone_sweep;
  // SMS (docs/sms.md): all null when [sms] is off.
  store::SmsQueue sms_queue;
  std::shared_ptr<sms::SendsmsClient> sendsms;
  std::shared_ptr<channels::SmsDispatch> sms_dispatch;
  std::shared_ptr<channels::RungWorker> rungs;  // with Web Push or SMS
  std::shared_ptr<Outbox> outbox;
  // Media and evidence (docs/evidence.md); the blob store above, for the retention.
  store::MediaStore media_store;
  std::shared_ptr<AuditAnchors> audit_anchors;  // signed with evidence_key
  MediaDesk media;
  EvidenceBundle evidence_bundle;
  ReportDesk reports;
  AckDesk acks;
  IncidentDesk incidents;
  DeliveryLog deliveries;
  // Address search (POST /v1/geocode): null without [geography] geocoder_url.
  std::unique_ptr<Geocoder> geocoder;
  SocketServices socket_services;
  ApiServices api_services;
  net::Router router;  // the network's API routes, on api_services

  NetworkParts(NodeConfig c, core::Metrics& metrics, net::IoThreads& io, RateLimiter& limiter);

  std::string language_of(const std::string& id) const;
  void wire_sms();
  void wire_rungs();
  void wire_push();
  // Node::run(): start every link and worker (`on_link`, if set, hears the command link come
  // and go), and stop them (node.cpp).
  void start(std::function<void(bool up)> on_link);
  void stop();
};

struct Node::Parts {
  NodeConfig config;  // the main file's
  // Each network's, in its order: declared before the threads, so they outlive every handler.
  std::vector<std::unique_ptr<core::Metrics>> network_metrics;
  net::IoThreads io;
  RateLimiter limiter;
  std::vector<std::unique_ptr<NetworkParts>> networks;  // in the order [[networks]] lists them
  std::vector<SocketServices*> socket_networks;         // each network's, for a hello to choose
  std::vector<const core::TokenRegistry*> registries;   // each network's, for a token to choose
  std::unique_ptr<net::StaticFiles> pages;
  std::unique_ptr<net::TileFiles> tiles;
  std::shared_ptr<net::ServerContext> server;
  std::shared_ptr<net::TlsCertificate> certificate;  // null: plain HTTP
  std::shared_ptr<net::Listener> listener;
  // systemd (Type=notify): READY=1 once every network's Redis is first reached
  // (service_notifier.hpp); each network's command link, up or not, in the networks' order.
  ServiceNotifier systemd{std::getenv("NOTIFY_SOCKET")};
  bool told_ready = false;
  std::vector<bool> links_up;

  explicit Parts(NodeConfig c);
  // Network `network`'s Redis command link went up or down (on the main thread). Ready means
  // serving with every network's Redis: before that a network's reports would only be
  // journaled. Later outages do not make the unit "not ready" (the node serves on, journaling):
  // STATUS says so, naming the networks whose Redis is unreachable when there are several.
  void link_changed(std::size_t network, bool up);
  // The network a request is for (network_routing.hpp); the first one serves the node-wide
  // routes.
  NetworkParts& first() { return *networks.front(); }
};

}  // namespace puente::app
