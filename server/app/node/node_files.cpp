#include "app/node/node_files.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace puente::app {

std::string read_file(const std::filesystem::path& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error(std::string("cannot read the ") + what + " file " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

core::GeoIndex load_geography(const NodeConfig& config) {
  if (config.neighborhoods_file.empty())
    throw std::runtime_error("no neighborhoods file configured");
  return core::GeoIndex::from_geojson(read_file(config.neighborhoods_file, "neighborhoods"),
                                      config.geo_fields);
}

core::Roster load_roster(const NodeConfig& config, const core::GeoIndex& geo) {
  if (config.roster_file.empty()) throw std::runtime_error("no roster file configured");
  auto roster = core::Roster::from_toml(read_file(config.roster_file, "roster"));
  auto unknown = roster.unknown_neighborhoods(
      [&geo](const std::string& slug) { return geo.find(slug) != nullptr; });
  if (!unknown.empty())
    throw std::runtime_error("roster names unknown neighborhoods, first: " + unknown.front());
  return roster;
}

core::Templates load_templates(const NodeConfig& config) {
  std::map<std::string, std::string> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(config.templates_dir, ec))
    if (entry.path().extension() == ".toml")
      files[entry.path().stem().string()] = read_file(entry.path(), "template");
  if (files.empty())
    throw std::runtime_error("no alert templates (*.toml) in " + config.templates_dir.string());
  spdlog::info("alert texts: {} languages from {}", files.size(), config.templates_dir.string());
  return core::Templates::from_files(files);
}

core::DispatchPolicies load_policies(const NodeConfig& config, const core::GeoIndex& geo) {
  return core::DispatchPolicies::from_toml(
      config.text, [&geo](std::string_view slug) { return geo.find(slug) != nullptr; });
}

// The web pages, if there is a folder of them. A folder the config names must exist; without
// one the node serves the API alone.
std::unique_ptr<net::StaticFiles> open_pages(const std::filesystem::path& root) {
  if (root.empty()) {
    spdlog::warn("web: no pages folder found; serving the API only");
    return nullptr;
  }
  auto pages = std::make_unique<net::StaticFiles>(root);
  spdlog::info("web: pages from {}", pages->root().string());
  return pages;
}

// The map tiles of [web] tiles_dir, if the config names a folder (map_tiles.hpp). Only the
// tile server's origin is logged: a template may carry a key in its query.
std::unique_ptr<net::TileFiles> open_tiles(const MapTiles& tiles) {
  if (tiles.dir.empty()) {
    spdlog::info("web: map tiles {}", !tiles.enabled()       ? std::string("off")
                                      : tiles.origin.empty() ? "from a path of this origin"
                                                             : "from " + tiles.origin);
    return nullptr;
  }
  auto files = std::make_unique<net::TileFiles>(tiles.dir, tiles.max_zoom);
  spdlog::info("web: map tiles from {}, served at {}", files->root().string(), served_tiles_url);
  return files;
}

std::optional<core::CallerKey> load_caller_key(const NodeConfig& config) {
  if (config.caller_key_file.empty()) {
    spdlog::info("privacy: no caller key; reports that carry a phone number are refused");
    return std::nullopt;
  }
  return core::CallerKey::load(config.caller_key_file.string(),
                               std::to_string(config.caller_country_code));
}

std::shared_ptr<net::TlsCertificate> load_certificate(const NodeConfig& config) {
  if (config.tls_certificate_file.empty()) return nullptr;
  auto certificate = std::make_shared<net::TlsCertificate>(config.tls_certificate_file,
                                                           config.tls_private_key_file);
  spdlog::info("tls: serving HTTPS and WSS with {}", certificate->describe());
  return certificate;
}

// The network's VAPID signer of [push] vapid_key_file; none when Web Push is off. A key file that
// does not load stops the node at start, naming the file: a node told to push must be able to.
std::shared_ptr<push::VapidSigner> open_vapid_signer(const PushConfig& push) {
  if (!push.enabled()) {
    spdlog::info("push: off (no [push] vapid_key_file); alerts go to sockets alone");
    return nullptr;
  }
  auto signer = std::make_shared<push::VapidSigner>(
      push::VapidKey::read_pem_file(push.vapid_key_file), push.subject);
  spdlog::info("push: on, VAPID key from {}", push.vapid_key_file.filename().string());
  return signer;
}

std::shared_ptr<push::PushSender> open_push_sender(std::shared_ptr<push::VapidSigner> signer,
                                                   const PushConfig& push,
                                                   boost::asio::any_io_executor executor) {
  if (!signer) return nullptr;
  // The dispatch has up to most_in_flight pushes under way at once, most of them to one or two
  // push services: with fewer connections kept between its bursts, each burst made most of them
  // again, and a TLS handshake costs the sender several pushes (docs/benchmarks.md, Web Push).
  auto options = push.sender;
  options.max_idle_connections_per_origin = std::max(
      options.max_idle_connections_per_origin, channels::PushDispatchOptions{}.most_in_flight);
  return std::make_shared<push::PushSender>(executor, std::move(signer), options);
}

channels::PushDispatchOptions push_dispatch_options(const NodeConfig& config) {
  const auto& push = config.push;
  channels::PushDispatchOptions options;
  options.ttl = push.ttl;
  options.sends_per_second = static_cast<std::size_t>(push.sends_per_second);
  options.max_attempts = push.max_attempts;
  options.capability_lifetime = push.ack_capability_lifetime;
  // A send ends by its connect and response deadlines (and one retry on a stale connection):
  // a lease past them is only ever run out by a node that died.
  options.lease =
      2 * (push.sender.connect_timeout + push.sender.response_timeout) + std::chrono::seconds(1);
  return options;
}

std::optional<sms::GatewayCredentials> load_sms_credentials(const SmsConfig& sms) {
  if (!sms.enabled()) return std::nullopt;
  return sms::GatewayCredentials::load(sms.credentials_file);
}

std::shared_ptr<sms::SendsmsClient> open_sendsms_client(
    const std::optional<sms::GatewayCredentials>& credentials, const SmsConfig& sms,
    boost::asio::any_io_executor executor) {
  if (!credentials) return nullptr;
  sms::SendsmsClientOptions options;
  options.host = sms.sendsms_host;
  options.port = sms.sendsms_port;
  options.sender = {.from = sms.from, .smsc = sms.smsc};
  options.connect_timeout = sms.connect_timeout;
  options.response_timeout = sms.response_timeout;
  return std::make_shared<sms::SendsmsClient>(executor, *credentials, options);
}

channels::SmsDispatchOptions sms_dispatch_options(const SmsConfig& sms) {
  channels::SmsDispatchOptions options;
  options.sends_per_second = sms.sends_per_second;
  options.max_per_hour = sms.max_per_hour;
  options.give_up_after = sms.give_up_after;
  options.reply_window = sms.reply_window;
  options.callback_url = sms.callback_url;
  // A send ends by its connect and response deadlines: a lease past them is only ever run out
  // by a node that died.
  options.lease = 2 * (sms.connect_timeout + sms.response_timeout) + std::chrono::seconds(1);
  return options;
}

}  // namespace puente::app
