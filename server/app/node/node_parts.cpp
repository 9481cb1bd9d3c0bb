// Building a network's parts in the order node_parts.hpp declares them, and wiring the channels
// that are on (Web Push, SMS, the rungs between them).

#include "app/node/node_parts.hpp"

namespace puente::app {

NetworkParts::NetworkParts(NodeConfig c, core::Metrics& network_metrics, net::IoThreads& io_threads,
                           RateLimiter& node_limiter)
    : config(std::move(c)),
      geo(load_geography(config)),
      roster(load_roster(config, geo)),
      zone(core::TimeZone::load(config.time_zone)),
      templates(load_templates(config)),
      policies(load_policies(config, geo)),
      delivery(core::DeliveryLadders::from_toml(config.text)),
      writer(roster, geo, zone, templates, config.default_language),
      rules{.geo = geo, .roster = roster, .policies = policies, .zone = zone, .writer = writer},
      metrics(network_metrics),
      io(io_threads),
      hub(thread_contexts(io)),
      commands(redis::Connection::create(io.main().get_executor(),
                                         named(config.redis, redis_client_name(config)))),
      subscriber(redis::Subscriber::create(
          io.main().get_executor(), named(config.redis, redis_client_name(config) + "-sub"))),
      store(commands, store::Keys(config.key_prefix),
            store_options(config, policies, delivery, metrics)),
      availability(store),
      timers(commands, store::Keys(config.key_prefix)),
      checkin_timers(commands, store::Keys(config.key_prefix).checkins(),
                     store::Keys(config.key_prefix).leased_checkins()),
      retention_store(commands, store::Keys(config.key_prefix), store.replication()),
      audit_store(commands, store::Keys(config.key_prefix)),
      audit(std::make_shared<AuditTrail>(io.main().get_executor(), audit_store,
                                         store::Journal::open(audit_journal_file_of(config)),
                                         config.node_id, config.failed_sign_in_audit, metrics)),
      token_store(commands, store::Keys(config.key_prefix), store.replication()),
      evidence_key(evidence::NetworkKey::load_or_make(evidence_key_file_of(config))),
      tokens(roster),
      revocations(revocations_file_of(config)),
      token_service(std::make_shared<TokenService>(
          io.main().get_executor(), roster, tokens, token_store, subscriber, signed_in, *audit,
          revocations, config.token_reload, evidence_key, metrics)),
      presence_store(commands, store::Keys(config.key_prefix)),
      presence(std::make_shared<Presence>(io.main().get_executor(), presence_store, config.node_id,
                                          config.presence_expiry)),
      vapid(open_vapid_signer(config.push)),
      ack_key_store(commands, store::Keys(config.key_prefix)),
      ack_key(std::make_shared<NetworkAckKey>(io.main().get_executor(), ack_key_store)),
      phones(commands, store::Keys(config.key_prefix)),
      push_deliveries(commands, store::Keys(config.key_prefix)),
      alerts(commands, store::Keys(config.key_prefix)),
      neighborhood_map(
          net::StaticBody::make(neighborhood_map_geojson(geo), "application/geo+json")),
      limiter(node_limiter.for_network(config.network_id)),
      caller_key(load_caller_key(config)),
      sms_credentials(load_sms_credentials(config.sms)),
      sms_replies(commands, store::Keys(config.key_prefix)),
      sms_reports(commands, store::Keys(config.key_prefix)),
      blobs(media_dir_of(config)),
      intake(rules, store, availability, metrics),
      dispatch(rules, store, availability, metrics, *audit),
      evidence(store, retention_store, metrics, *audit),
      approval(rules, store, availability, *audit),
      feed(io.main().get_executor(), subscriber, store, hub, metrics, config.replay_max_alerts),
      escalation(std::make_shared<EscalationWorker>(io.main().get_executor(), rules, store,
                                                    availability, timers, metrics,
                                                    config.escalation_poll)),
      on_scene(std::make_shared<OnScene>(io.main().get_executor(), rules, store, availability,
                                         checkin_timers, metrics, *audit, config.escalation_poll)),
      retention(std::make_shared<RetentionWorker>(io.main().get_executor(), retention_store,
                                                  metrics, retention_settings(config, geo, blobs))),
      push_queue(commands, store::Keys(config.key_prefix)),
      push_sender(open_push_sender(vapid, config.push, io.main().get_executor())),
      sms_queue(commands, store::Keys(config.key_prefix)),
      sendsms(open_sendsms_client(sms_credentials, config.sms, io.main().get_executor())),
      outbox(std::make_shared<Outbox>(io.main().get_executor(),
                                      store::Journal::open(config.journal_file), roster, intake,
                                      dispatch, metrics, *audit, config.journal_limits)),
      media_store(commands, store::Keys(config.key_prefix)),
      audit_anchors(std::make_shared<AuditAnchors>(
          io.main().get_executor(), audit_store, evidence_key, config.node_id,
          audit_anchors_dir_of(config), config.audit_anchor_interval)),
      media(io.main().get_executor(), dispatch, media_store, blobs, *audit, config.media),
      evidence_bundle(media, audit_store, *audit, evidence_key, config.media, blobs.dir() / "tmp"),
      reports(intake, *outbox, limiter, config.rate_limits, caller_key ? &*caller_key : nullptr,
              *presence),
      acks(dispatch, *outbox, limiter, config.rate_limits),
      incidents(dispatch, evidence, approval),
      deliveries(io.main().get_executor(), store, delivery_log_interval),
      geocoder(config.geocoder ? std::make_unique<Geocoder>(io.main().get_executor(),
                                                            *config.geocoder, geo.bounds())
                               : nullptr),
      socket_services{.roster = roster,
                      .tokens = tokens,
                      .signed_in = signed_in,
                      .audit = *audit,
                      .geo = geo,
                      .writer = writer,
                      .hub = hub,
                      .store = store,
                      .reports = reports,
                      .acks = acks,
                      .presence = *presence,
                      .deliveries = deliveries,
                      .limiter = limiter,
                      .rate_limits = config.rate_limits,
                      .node_id = config.node_id,
                      .replay_max_alerts = config.replay_max_alerts},
      api_services{.roster = roster,
                   .tokens = tokens,
                   .token_service = *token_service,
                   .audit = *audit,
                   .audit_log = audit_store,
                   .rules = rules,
                   .store = store,
                   .presence = *presence,
                   .delivery = delivery,
                   .push_on = config.push.enabled(),
                   .reports = reports,
                   .acks = acks,
                   .incidents = incidents,
                   .dispatch = dispatch,
                   .outbox = *outbox,
                   .metrics = metrics,
                   .store_reachable = [this] { return commands->connected(); },
                   .node_id = config.node_id,
                   .network_id = config.network_id,
                   .network_name = config.network_name,
                   .neighborhood_map = neighborhood_map,
                   .map_tiles = config.tiles,
                   .limiter = limiter,
                   .rate_limits = config.rate_limits,
                   .push = config.push,
                   .push_public_key = vapid ? vapid->key().public_key_base64url() : std::string(),
                   .ack_key = *ack_key,
                   .phones = phones,
                   .push_deliveries = push_deliveries,
                   .alerts = alerts,
                   .send_test_push =
                       [this](const std::string& id, auto done) {
                         if (!push_dispatch) return done(Refusal::unavailable(), 0);
                         push_dispatch->send_test(id, [done](int phones) {
                           if (phones < 0) return done(Refusal::unavailable(), 0);
                           done(std::nullopt, static_cast<std::size_t>(phones));
                         });
                       },
                   .sms = config.sms,
                   .sms_credentials = sms_credentials ? &*sms_credentials : nullptr,
                   .sms_gateway_down = {},  // set by wire_sms()
                   .sms_replies = sms_replies,
                   .sms_reports = sms_reports} {
  if (sms_credentials) {  // config.cpp: SMS needs the caller key
    responder_phones.emplace(roster, *caller_key);
    api_services.responder_phones = &*responder_phones;
  }
  api_services.media = &media;
  api_services.geocoder = geocoder.get();
  api_services.evidence_bundle = &evidence_bundle;
  add_api_routes(router, api_services);
  for (const auto& [route, limit] : config.rate_limits.per_route)
    if (!router.has(route))
      throw std::runtime_error("config: rate_limits.routes names \"" + route +
                               "\", which is not a route of this server");
  if (push_sender) wire_push();
  if (sendsms) wire_sms();
  if (push_sender || sendsms) wire_rungs();
}

std::string NetworkParts::language_of(const std::string& id) const {
  const auto* who = roster.find(id);
  return who ? writer.language_of(*who) : config.default_language;
}

void NetworkParts::wire_sms() {
  channels::SmsTexts texts{
      .templates = templates,
      .geo = geo,
      .zone = zone,
      .language_of = [this](const std::string& id) { return language_of(id); },
      .phone_of =
          [this](const std::string& id) {
            const auto* who = roster.find(id);
            return who && who->wants(core::ContactChannel::sms) ? who->phone : std::string();
          }};
  sms_dispatch = std::make_shared<channels::SmsDispatch>(
      io.main().get_executor(), sms_queue, store, sendsms, *sms_credentials, std::move(texts),
      metrics, sms_dispatch_options(config.sms));
  api_services.sms_gateway_down = [this] { return sms_dispatch->gateway_down(); };
}

void NetworkParts::wire_rungs() {
  channels::RungChannels channels{.push = push_sender != nullptr,
                                  .sms = sendsms != nullptr,
                                  .has_sms_phone =
                                      [this](const std::string& id) {
                                        const auto* who = roster.find(id);
                                        return who && !who->phone.empty() &&
                                               who->wants(core::ContactChannel::sms);
                                      },
                                  .sms_bundle = config.sms.bundle_window};
  // Rung checks fall due on the 200 ms after their grace: a phone hears within a second or two.
  rungs =
      std::make_shared<channels::RungWorker>(io.main().get_executor(), store, push_queue, delivery,
                                             std::move(channels), std::chrono::milliseconds(200));
}

void NetworkParts::wire_push() {
  const auto executor = io.main().get_executor();
  channels::PushTexts texts{
      .templates = templates,
      .geo = geo,
      .zone = zone,
      .language_of = [this](const std::string& id) { return language_of(id); }};
  push_dispatch = std::make_shared<channels::PushDispatch>(executor, push_queue, store, phones,
                                                           push_sender, std::move(texts), metrics,
                                                           push_dispatch_options(config));
  phone_sweep = std::make_shared<channels::PhoneSweep>(
      executor, commands, store::Keys(config.key_prefix), roster, phones, *push_dispatch,
      core::QuietRules{config.push.stale_after, config.push.drop_after}, config.node_id,
      config.push.sweep_interval);
}

}  // namespace puente::app
