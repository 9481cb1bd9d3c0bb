#include "app/node/config.hpp"

#include "app/node/config_option.hpp"
#include "app/node/install_layout.hpp"
#include "app/node/network_config.hpp"
#include "app/node/redis_config.hpp"
#include "core/trusted_proxies.hpp"

#include <toml++/toml.h>
#include <boost/beast/http/verb.hpp>

#include <unistd.h>
#include <algorithm>
#include <charconv>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace puente::app {

namespace {

std::string host_name() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "puented";
  return name;
}

using config_option::a_day_ms;
using config_option::a_gibibyte;
using config_option::bytes;
using config_option::get_or;
using config_option::millis;
using config_option::relative_to;
using config_option::seconds;
using config_option::strings;
using config_option::whole;

// [rate_limits] <name>_per_second and <name>_burst.
void check_rate_limit(const std::string& name, const core::RateLimit& limit) {
  if (limit.per_second < 0 || limit.burst < 1)
    throw std::runtime_error("config: rate_limits." + name +
                             ": per_second must be 0 or more and burst 1 or more");
}

void rate_limit(const toml::table& t, const std::string& name, core::RateLimit& limit) {
  limit.per_second = get_or<double>(t, "rate_limits." + name + "_per_second", limit.per_second);
  limit.burst = get_or<double>(t, "rate_limits." + name + "_burst", limit.burst);
  check_rate_limit(name, limit);
}

// [rate_limits.routes] "METHOD /path" = { per_second = .., burst = .. }. Whether such a route
// exists is checked once the routes are known (the node, at start).
void route_rate_limits(const toml::table& t,
                       std::map<std::string, core::RateLimit, std::less<>>& limits) {
  auto routes = t.at_path("rate_limits.routes");
  if (!routes) return;
  if (!routes.is_table()) throw std::runtime_error("config: rate_limits.routes has the wrong type");
  for (const auto& [key, value] : *routes.as_table()) {
    std::string route(key.str());
    auto space = route.find(' ');
    if (space == std::string::npos ||
        boost::beast::http::string_to_verb(route.substr(0, space)) ==
            boost::beast::http::verb::unknown ||
        !route.substr(space + 1).starts_with("/"))
      throw std::runtime_error("config: rate_limits.routes holds \"" + route +
                               "\"; expected a route like \"POST /v1/acks\"");
    const auto* limit = value.as_table();
    if (!limit)
      throw std::runtime_error("config: rate_limits.routes.\"" + route +
                               "\" must be { per_second, burst }");
    core::RateLimit parsed{get_or<double>(*limit, "per_second", 0),
                           get_or<double>(*limit, "burst", 1)};
    check_rate_limit("routes.\"" + route + "\"", parsed);
    limits[route] = parsed;
  }
}

// [geography] geocoder_*: address search through the network's geocoder (issue 20).
void read_geocoder(const toml::table& t, const std::filesystem::path& base,
                   std::optional<GeocoderSettings>& out) {
  const auto url = get_or<std::string>(t, "geography.geocoder_url", "");
  if (url.empty()) return;
  std::string why;
  auto parsed = core::parse_geocoder_url(url, why);
  if (!parsed)
    throw std::runtime_error("config: geography.geocoder_url \"" + url + "\": " + why +
                             "; expected a URL like \"https://geocoder.example.org\"");
  GeocoderSettings g;
  g.url = std::move(*parsed);
  g.timeout = std::chrono::milliseconds(
      whole(t, "geography.geocoder_timeout_ms", g.timeout.count(), 100, 60'000));
  g.ca_file = relative_to(base, get_or<std::string>(t, "geography.geocoder_ca_file", ""));
  g.max_in_flight = static_cast<std::size_t>(
      whole(t, "geography.geocoder_max_searches", static_cast<int64_t>(g.max_in_flight), 1, 1000));
  out = std::move(g);
}

void read_push(const toml::table& t, const std::filesystem::path& base, PushConfig& p) {
  p.vapid_key_file = relative_to(base, get_or<std::string>(t, "push.vapid_key_file", ""));
  p.subject = get_or<std::string>(t, "push.subject", p.subject);
  if (p.enabled() && !(p.subject.starts_with("mailto:") || p.subject.starts_with("https://")))
    throw std::runtime_error(
        "config: push.subject must be a \"mailto:\" or \"https://\" contact when "
        "push.vapid_key_file is set");
  auto& s = p.sender;
  s.allowed_hosts = strings(t, "push.allowed_hosts", s.allowed_hosts);
  s.allow_private_addresses =
      get_or<bool>(t, "push.allow_private_addresses", s.allow_private_addresses);
  s.ca_file = relative_to(base, get_or<std::string>(t, "push.ca_file", ""));
  s.connect_timeout = millis(t, "push.connect_timeout_ms", s.connect_timeout);
  s.response_timeout = millis(t, "push.response_timeout_ms", s.response_timeout);
  // RFC 8030 lets a push service cap TTL; four weeks is past any alert's use.
  p.ttl =
      std::chrono::seconds(whole(t, "push.ttl_seconds", p.ttl.count(), 0, 28 * a_day_ms / 1000));
  p.sends_per_second = get_or<double>(t, "push.sends_per_second", p.sends_per_second);
  if (p.sends_per_second <= 0)
    throw std::runtime_error("config: push.sends_per_second must be above 0");
  p.sweep_interval = std::chrono::seconds(
      whole(t, "push.sweep_interval_seconds", p.sweep_interval.count(), 1, a_day_ms / 1000));
  p.max_attempts = static_cast<int>(whole(t, "push.max_attempts", p.max_attempts, 1, 100));
  p.max_phones_per_responder = static_cast<std::size_t>(whole(
      t, "push.max_phones_per_responder", static_cast<int64_t>(p.max_phones_per_responder), 1, 50));
  p.ack_capability_lifetime = std::chrono::seconds(whole(
      t, "push.ack_capability_seconds", p.ack_capability_lifetime.count(), 60, a_day_ms / 1000));
  p.device_token_lifetime = std::chrono::seconds(
      whole(t, "push.device_token_days", p.device_token_lifetime.count() / 86400, 1, 366) * 86400);
  p.stale_after = std::chrono::seconds(
      whole(t, "push.stale_after_hours", p.stale_after.count() / 3600, 1, 24 * 366) * 3600);
  p.drop_after = std::chrono::seconds(
      whole(t, "push.drop_after_days", p.drop_after.count() / 86400, 1, 366) * 86400);
  if (p.drop_after <= p.stale_after)
    throw std::runtime_error(
        "config: push.drop_after_days must be longer than push.stale_after_hours");
}

void read_sms(const toml::table& t, const std::filesystem::path& base, bool has_caller_key,
              SmsConfig& m) {
  m.credentials_file = relative_to(base, get_or<std::string>(t, "sms.credentials_file", ""));
  const auto sendsms = get_or<std::string>(t, "sms.sendsms", "");
  if (!sendsms.empty()) {
    try {
      parse_host_port(sendsms, m.sendsms_host, m.sendsms_port);
    } catch (const std::exception& e) {
      throw std::runtime_error(std::string("config: sms.sendsms: ") + e.what());
    }
  }
  m.from = get_or<std::string>(t, "sms.from", m.from);
  m.smsc = get_or<std::string>(t, "sms.smsc", m.smsc);
  m.callback_url = get_or<std::string>(t, "sms.callback_url", m.callback_url);
  if (!(m.callback_url.starts_with("http://") || m.callback_url.starts_with("https://")))
    throw std::runtime_error("config: sms.callback_url must start with http:// or https://");
  while (m.callback_url.ends_with('/')) m.callback_url.pop_back();
  m.max_per_hour = static_cast<int>(whole(t, "sms.max_per_hour", m.max_per_hour, 1, 1'000'000));
  m.sends_per_second = get_or<double>(t, "sms.sends_per_second", m.sends_per_second);
  if (!(m.sends_per_second >= 0.1 && m.sends_per_second <= 1000))
    throw std::runtime_error("config: sms.sends_per_second must be from 0.1 to 1000");
  m.bundle_window =
      std::chrono::seconds(whole(t, "sms.bundle_seconds", m.bundle_window.count(), 0, 60));
  m.give_up_after = std::chrono::seconds(
      whole(t, "sms.give_up_after_seconds", m.give_up_after.count(), 60, a_day_ms / 1000));
  m.reply_window = std::chrono::seconds(
      whole(t, "sms.reply_window_hours", m.reply_window.count() / 3600, 1, 168) * 3600);
  m.connect_timeout = millis(t, "sms.connect_timeout_ms", m.connect_timeout);
  m.response_timeout = millis(t, "sms.response_timeout_ms", m.response_timeout);
  if (!m.enabled()) return;
  if (m.from.empty())
    throw std::runtime_error("config: sms.from is required when sms.credentials_file is set");
  if (!has_caller_key)
    throw std::runtime_error(
        "config: sms.credentials_file needs privacy.caller_key_file (numbers are kept hashed)");
}

}  // namespace

void parse_host_port(const std::string& text, std::string& host, unsigned short& port) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
    throw std::runtime_error("expected HOST:PORT, got \"" + text + "\"");
  unsigned value = 0;
  auto digits = std::string_view(text).substr(colon + 1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc{} || end != digits.data() + digits.size() || value > 65535)
    throw std::runtime_error("bad port in \"" + text + "\"");
  host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  port = static_cast<unsigned short>(value);
}

std::vector<redis::Endpoint> parse_endpoint_list(const std::string& text) {
  std::vector<redis::Endpoint> out;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    const std::size_t end = std::min(text.find(',', begin), text.size());
    redis::Endpoint endpoint;
    parse_host_port(text.substr(begin, end - begin), endpoint.host, endpoint.port);
    out.push_back(std::move(endpoint));
    begin = end + 1;
  }
  return out;
}

namespace {

// [media] and [evidence] (docs/evidence.md; config/puented.toml shows each with its default).
void read_media(const toml::table& t, const std::filesystem::path& base, MediaConfig& m) {
  constexpr int64_t a_mebibyte = 1LL << 20;
  m.dir = relative_to(base, get_or<std::string>(t, "media.dir", ""));
  // 64 GiB a file: a day of video; the blob store has no other limit.
  m.max_file_bytes = static_cast<std::uint64_t>(
      whole(t, "media.max_file_bytes", static_cast<int64_t>(m.max_file_bytes), 1, 64 * a_gibibyte));
  // 64 KiB to 16 MiB: a chunk is held in memory whole while it is written.
  m.chunk_bytes = static_cast<std::size_t>(whole(
      t, "media.chunk_bytes", static_cast<int64_t>(m.chunk_bytes), 64 * 1024, 16 * a_mebibyte));
  m.quota_bytes_per_day = static_cast<std::uint64_t>(
      whole(t, "media.quota_bytes_per_day", static_cast<int64_t>(m.quota_bytes_per_day), 1,
            1024 * a_gibibyte));
  m.max_note_bytes = static_cast<std::uint64_t>(
      whole(t, "media.max_note_bytes", static_cast<int64_t>(m.max_note_bytes), 1, 16 * a_mebibyte));
  m.upload_expiry =
      std::chrono::hours(whole(t, "media.upload_expiry_hours", m.upload_expiry.count(), 1, 720));
  m.bundle_max_bytes = static_cast<std::uint64_t>(whole(t, "evidence.bundle_max_bytes",
                                                        static_cast<int64_t>(m.bundle_max_bytes),
                                                        a_mebibyte, 64 * a_gibibyte));
  m.signing_key_file = relative_to(base, get_or<std::string>(t, "evidence.signing_key_file", ""));
}

}  // namespace

NodeConfig load_config(const std::filesystem::path& path) {
  toml::table t;
  try {
    t = toml::parse_file(path.string());
  } catch (const toml::parse_error& e) {
    throw std::runtime_error("config " + path.string() + ": " + std::string(e.description()));
  }
  auto base = path.parent_path();
  NodeConfig c;
  std::ifstream in(path);
  c.text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  c.node_id = get_or<std::string>(t, "node.id", host_name());
  parse_host_port(get_or<std::string>(t, "node.listen", "127.0.0.1:8080"), c.listen_host,
                  c.listen_port);
  c.threads = static_cast<unsigned>(whole(t, "node.threads", 0, 0, 256));
  // Written by the node: relative to the state folder (install_layout.hpp), like the journal.
  c.port_file = get_or<std::string>(t, "node.port_file", "");

  read_redis(t, base, c);  // redis_config.cpp

  c.escalation_poll = millis(t, "node.escalation_poll_ms", c.escalation_poll);
  c.shutdown_grace = millis(t, "node.shutdown_grace_ms", c.shutdown_grace);
  // [node] state_dir and journal (install_layout.hpp): the journal is relative to the state
  // folder, settled once flags are read.
  c.state_dir = relative_to(base, get_or<std::string>(t, "node.state_dir", ""));
  c.journal_file = get_or<std::string>(t, "node.journal", "");
  // --- trusted proxies (issue 24 item 7) ---
  if (auto proxies = t.at_path("node.trusted_proxies")) {
    if (!proxies.is_array())
      throw std::runtime_error("config: node.trusted_proxies must be a list of addresses");
    for (const auto& item : *proxies.as_array()) {
      auto entry = item.value<std::string>();
      if (!entry) throw std::runtime_error("config: node.trusted_proxies holds a non-string");
      c.trusted_proxies.push_back(*entry);
    }
    try {
      core::TrustedProxies checked(c.trusted_proxies);
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error(std::string("config: node.trusted_proxies: ") + e.what());
    }
  }
  c.proxy_protocol = get_or<bool>(t, "node.proxy_protocol", false);
  if (c.proxy_protocol && c.trusted_proxies.empty())
    throw std::runtime_error(
        "config: node.proxy_protocol needs node.trusted_proxies (whose headers to take)");
  // --- end trusted proxies ---
  c.neighborhoods_file = relative_to(base, get_or<std::string>(t, "geography.neighborhoods", ""));
  c.geo_fields.slug = get_or<std::string>(t, "geography.slug_property", c.geo_fields.slug);
  c.geo_fields.name = get_or<std::string>(t, "geography.name_property", c.geo_fields.name);
  c.geo_fields.region = get_or<std::string>(t, "geography.region_property", c.geo_fields.region);
  read_geocoder(t, base, c.geocoder);
  c.roster_file = relative_to(base, get_or<std::string>(t, "roster.file", ""));
  c.revocations_file = relative_to(base, get_or<std::string>(t, "tokens.revocations_file", ""));
  c.token_reload =
      std::chrono::seconds(whole(t, "tokens.reload_seconds", c.token_reload.count(), 1, 3600));

  c.time_zone = get_or<std::string>(t, "network.time_zone", c.time_zone);
  c.templates_dir = relative_to(base, get_or<std::string>(t, "network.templates", ""));
  if (c.templates_dir.empty()) c.templates_dir = default_templates_dir(path);
  c.default_language = get_or<std::string>(t, "network.default_language", c.default_language);
  c.network_name = get_or<std::string>(t, "network.name", "");
  read_network_listings(t, base, c.networks);
  // With [[networks]], each network's links are bound to its own prefix's slot
  // (network_config.cpp).
  if (c.networks.empty()) bind_cluster_slot(c);

  c.web_root = relative_to(base, get_or<std::string>(t, "web.root", ""));
  if (auto origins = t.at_path("web.allowed_origins")) {
    if (!origins.is_array())
      throw std::runtime_error("config: web.allowed_origins has the wrong type");
    for (const auto& item : *origins.as_array()) {
      auto origin = item.value<std::string>();
      if (!origin || !(origin->starts_with("https://") || origin->starts_with("http://")) ||
          origin->ends_with("/"))
        throw std::runtime_error("config: web.allowed_origins holds \"" + origin.value_or("?") +
                                 "\"; expected origins like \"https://puente.example.org\"");
      c.limits.allowed_origins.push_back(*origin);
    }
  }
  c.tls_certificate_file = relative_to(base, get_or<std::string>(t, "tls.certificate_file", ""));
  c.tls_private_key_file = relative_to(base, get_or<std::string>(t, "tls.private_key_file", ""));
  if (c.tls_certificate_file.empty() != c.tls_private_key_file.empty())
    throw std::runtime_error(
        "config: tls.certificate_file and tls.private_key_file go together; set both or neither");

  c.tiles.url = get_or<std::string>(t, "web.tiles_url", "");
  c.tiles.dir = relative_to(base, get_or<std::string>(t, "web.tiles_dir", ""));
  c.tiles.attribution = get_or<std::string>(t, "web.tiles_attribution", "");
  // 22: where the deepest published tile sets stop (a few metres a pixel).
  c.tiles.max_zoom = static_cast<int>(whole(t, "web.tiles_max_zoom", c.tiles.max_zoom, 0, 22));
  settle_map_tiles(c.tiles);
  c.presence_expiry = seconds(t, "presence.expiry_seconds", c.presence_expiry);
  if (c.presence_expiry.count() < 1 || c.presence_expiry.count() > 3600)
    throw std::runtime_error("config: presence.expiry_seconds must be between 1 and 3600");

  auto& l = c.limits;
  l.http_body_bytes = bytes(t, "limits.http_body_bytes", l.http_body_bytes);
  l.ws_message_bytes = bytes(t, "limits.ws_message_bytes", l.ws_message_bytes);
  l.ws_queue_bytes = bytes(t, "limits.ws_queue_bytes", l.ws_queue_bytes);
  l.ws_node_queue_bytes = static_cast<std::size_t>(
      whole(t, "limits.ws_node_queue_bytes", static_cast<int64_t>(l.ws_node_queue_bytes), 1,
            64 * a_gibibyte));
  if (l.ws_node_queue_bytes < l.ws_queue_bytes)
    throw std::runtime_error(
        "config: limits.ws_node_queue_bytes (every socket's queue together) must be at least "
        "limits.ws_queue_bytes (one socket's)");
  l.socket_send_buffer_bytes =
      static_cast<int>(bytes(t, "limits.socket_send_buffer_bytes", l.socket_send_buffer_bytes, 0));
  l.http_idle = seconds(t, "limits.http_idle_seconds", l.http_idle);
  l.ws_hello = seconds(t, "limits.ws_hello_seconds", l.ws_hello);
  // An hour at most: an attack is seen in the audit log a window late.
  c.failed_sign_in_audit = std::chrono::seconds(
      whole(t, "limits.failed_sign_in_audit_seconds", c.failed_sign_in_audit.count(), 1, 3600));
  // [audit] (app/access/audit_anchors.hpp): 1 s to a day.
  c.audit_anchor_interval = std::chrono::seconds(
      whole(t, "audit.anchor_interval_seconds", c.audit_anchor_interval.count(), 1, 24 * 3600));
  l.ws_close_grace = std::chrono::seconds(
      whole(t, "limits.ws_close_grace_seconds", l.ws_close_grace.count(), 1, 600));
  c.replay_max_alerts = static_cast<std::size_t>(whole(
      t, "limits.replay_max_alerts", static_cast<int64_t>(c.replay_max_alerts), 1, 1'000'000));
  c.history_max_alerts =
      static_cast<std::size_t>(whole(t, "limits.history_max_alerts",
                                     static_cast<int64_t>(c.history_max_alerts), 1, 1'000'000'000));
  c.history_max_age = seconds(t, "limits.history_max_age_seconds", c.history_max_age);
  auto& j = c.journal_limits;
  j.max_entries = static_cast<std::size_t>(
      whole(t, "limits.journal_max_entries", static_cast<int64_t>(j.max_entries), 1, 10'000'000));
  j.max_bytes = bytes(t, "limits.journal_max_bytes", j.max_bytes);

  c.caller_key_file = relative_to(base, get_or<std::string>(t, "privacy.caller_key_file", ""));
  c.caller_country_code =
      static_cast<int>(whole(t, "privacy.caller_country_code", c.caller_country_code, 1, 999));
  c.retention = seconds(t, "privacy.retention_seconds", c.retention);
  c.purge_interval = std::chrono::seconds(
      whole(t, "privacy.purge_interval_seconds", c.purge_interval.count(), 1, a_day_ms / 1000));
  c.aof_rewrite_interval =
      std::chrono::seconds(whole(t, "privacy.aof_rewrite_interval_seconds",
                                 c.aof_rewrite_interval.count(), 1, 7 * a_day_ms / 1000));

  auto& r = c.rate_limits;
  rate_limit(t, "reports_per_token", r.reports_per_token);
  rate_limit(t, "requests_per_token", r.requests_per_token);
  rate_limit(t, "requests_per_address", r.requests_per_address);
  rate_limit(t, "failed_sign_ins_per_address", r.failed_sign_ins_per_address);
  rate_limit(t, "messages_per_socket",
             l.ws_messages);  // kept by each socket (websocket_session.cpp)
  rate_limit(t, "journal_per_responder", c.journal_limits.per_responder);
  route_rate_limits(t, r.per_route);

  read_push(t, base, c.push);
  read_sms(t, base, !c.caller_key_file.empty(), c.sms);
  read_media(t, base, c.media);
  c.limits.upload_chunk_bytes = c.media.chunk_bytes;

  c.log_level = get_or<std::string>(t, "log.level", c.log_level);
  c.log_json = get_or<std::string>(t, "log.format", "text") == "json";
  return c;
}

}  // namespace puente::app
