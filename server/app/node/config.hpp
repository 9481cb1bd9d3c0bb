#pragma once
// A node's configuration: read from TOML (config/puented.toml documents every option with its
// unit and default), then overridden by command-line flags. Relative paths in the file are
// relative to the file's own folder, so a config works wherever it is started from.

#include "app/access/rate_limits.hpp"
#include "app/incidents/journal_limits.hpp"
#include "app/maps/geocoder_settings.hpp"
#include "app/maps/map_tiles.hpp"
#include "channels/push/push_sender.hpp"
#include "core/geo_index.hpp"
#include "core/retention.hpp"
#include "net/server_context.hpp"
#include "redis/connection.hpp"
#include "store/replication_barrier.hpp"

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace puente::app {

// [push]: Web Push to responders' phones (docs/push.md). Off until vapid_key_file is set.
struct PushConfig {
  std::filesystem::path vapid_key_file;  // P-256 PEM (`puente push keygen`); empty: no Web Push
  std::string subject;                   // VAPID contact: "mailto:..." or "https://..."
  push::PushSenderOptions sender;  // allowed_hosts, allow_private_addresses, ca_file, deadlines
  std::chrono::seconds ttl{3600};  // how long a push service keeps a push for a phone that is off
  double sends_per_second = 200;   // across the network (every node together)
  int max_attempts = 5;            // per push, for 429, 5xx and network errors
  std::size_t max_phones_per_responder = 5;
  std::chrono::seconds ack_capability_lifetime{2 * 3600};  // an ack from a notification
  std::chrono::seconds device_token_lifetime{90 * 24 * 3600};
  std::chrono::seconds stale_after{2 * 24 * 3600};  // a phone not heard from: nudged, marked stale
  std::chrono::seconds drop_after{21 * 24 * 3600};  // and then dropped
  std::chrono::seconds sweep_interval{3600};        // how often one node looks for quiet phones

  bool enabled() const { return !vapid_key_file.empty(); }
};

// [sms]: text messages through Kannel (docs/sms.md). Off until credentials_file is set.
struct SmsConfig {
  std::filesystem::path credentials_file;  // deploy/kannel/make-credentials.sh's; empty: no SMS
  std::string sendsms_host = "127.0.0.1";  // smsbox's sendsms interface
  unsigned short sendsms_port = 13013;
  std::string from;  // the sender Kannel puts on each text
  std::string smsc;  // the smsc-id to send through; empty: Kannel's routing
  std::string callback_url = "http://127.0.0.1:8080";  // where Kannel reaches puented (dlr-url)
  int max_per_hour = 500;       // texts a clock hour, network-wide; past it urgent alerts only
  double sends_per_second = 5;  // handed to smsbox, network-wide
  std::chrono::seconds bundle_window{5};         // alerts to one phone within it go as one text
  std::chrono::seconds give_up_after{3600};      // while the gateway is down or says "later"
  std::chrono::seconds reply_window{24 * 3600};  // how long a reply refers to its text's alerts
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds response_timeout{10000};

  bool enabled() const { return !credentials_file.empty(); }
};

// [media] and [evidence]: observers' photos, video, audio and notes, and the evidence bundle
// (docs/evidence.md). Read in config.cpp (read_media), where each option's unit and default is.
struct MediaConfig {
  std::filesystem::path dir;  // the blob store's folder; empty: media_dir_of() (state_dir/media)
  std::uint64_t max_file_bytes = 512ULL << 20;     // one file, whole
  std::size_t chunk_bytes = 1 << 20;               // the most one PUT may carry
  std::uint64_t quota_bytes_per_day = 2ULL << 30;  // declared per responder per UTC day
  std::uint64_t max_note_bytes = 64 << 10;         // a NOTE's text
  std::chrono::hours upload_expiry{24};            // an upload with no chunk for this long goes
  std::uint64_t bundle_max_bytes = 1ULL << 30;     // an evidence bundle, built in memory
  // [evidence] signing_key_file: the network's Ed25519 key; empty: evidence_key_file_of().
  std::filesystem::path signing_key_file;
};

// One [[networks]] entry of the main file (network_config.hpp): a network the node serves.
struct NetworkListing {
  std::string id;              // slug, [a-z0-9-]: in state file names and in the CLI's --network
  std::string name;            // shown on every page
  std::filesystem::path file;  // that network's own sections; relative to the main file
};

struct NodeConfig {
  std::string node_id;  // default: host name
  std::string listen_host = "127.0.0.1";
  unsigned short listen_port = 8080;
  unsigned threads = 0;                            // 0: one per core
  std::filesystem::path port_file;                 // if set, the bound port is written here
  std::chrono::milliseconds shutdown_grace{2000};  // sockets told to go; then the node stops
  // [node] state_dir: where the node writes (journal, revocations); empty until
  // settle_state_dir() chooses it (install_layout.hpp).
  std::filesystem::path state_dir;
  // Store-and-forward. As read: relative to state_dir, empty for <node id>.journal there; made
  // whole by settle_state_dir().
  std::filesystem::path journal_file;
  // [node] trusted_proxies: the proxies whose X-Forwarded-For names the client (addresses and
  // CIDR blocks, checked at load; core/trusted_proxies.hpp). Empty: the peer is the client.
  std::vector<std::string> trusted_proxies;
  bool proxy_protocol = false;   // [node] proxy_protocol: listed proxies send a PROXY header
  JournalLimits journal_limits;  // [limits] journal_max_*, [rate_limits] journal_per_responder_*

  redis::ConnectionOptions redis;
  // [redis] allow_unauthenticated_remote: start even when Redis or a sentinel off this host would
  // be reached without AUTH (core/redis_exposure.hpp).
  bool allow_unauthenticated_remote_redis = false;
  std::string key_prefix = "puente:";
  store::ReplicationOptions replication;  // WAIT for replicas after each write (Sentinel setups)

  std::filesystem::path neighborhoods_file;
  core::GeoFieldNames geo_fields;
  // [geography] geocoder_*: the network's geocoder for address search (geocoder.hpp); none
  // without geocoder_url.
  std::optional<GeocoderSettings> geocoder;
  std::filesystem::path roster_file;
  // [tokens] revocations_file: revoked tokens kept where Redis cannot undo them
  // (revocation_file.hpp); empty: see revocations_file_of().
  std::filesystem::path revocations_file;
  // [tokens] reload_seconds: each node loads every issued token from Redis this often, on
  // top of the loads Redis's keyspace notifications cause (token_service.hpp).
  std::chrono::seconds token_reload{60};

  std::string time_zone = "America/Los_Angeles";  // shifts and alert times are in this zone
  std::filesystem::path templates_dir;            // <tag>.toml alert texts; default: ./templates
  std::string default_language = "en";
  std::chrono::milliseconds escalation_poll{500};  // how often this node looks for due deadlines
  std::string text;  // the file as read: the [policy] table is parsed once geography is known

  // The web pages (server/web). Empty: default_web_root().
  std::filesystem::path web_root;
  MapTiles tiles;  // [web] tiles_*: none by default (map_tiles.hpp)
  // How long a node's word that a responder holds a socket lasts; refreshed every third.
  std::chrono::seconds presence_expiry{30};

  // [tls] PEM files. Both set: the node serves HTTPS and WSS only, and reloads them on SIGHUP.
  // Neither: plain HTTP, for a node behind a TLS proxy (deploy/nginx) or on loopback.
  std::filesystem::path tls_certificate_file, tls_private_key_file;

  net::SessionLimits limits;
  // [limits] Failed sign-ins are summed per client address over this long, then recorded in the
  // audit log as one entry per address (audit_trail.hpp).
  std::chrono::seconds failed_sign_in_audit{60};
  // [audit] anchor_interval_seconds: how often the node signs the audit log's head and keeps
  // the anchor outside Redis (app/access/audit_anchors.hpp); it also does at shutdown.
  std::chrono::seconds audit_anchor_interval{600};
  RateLimits rate_limits;
  std::filesystem::path caller_key_file;  // [privacy]; empty: caller phone numbers are refused
  int caller_country_code = 1;            // [privacy]; for numbers typed without one (E.164)
  // [privacy] Incidents idle (no activity) for longer than this are purged with their reports,
  // alerts and acks, evidence excepted; logs and histories are trimmed to it (core/retention.hpp).
  std::chrono::seconds retention{core::default_retention};
  std::chrono::seconds purge_interval{60};  // how often one of the nodes purges
  // [privacy] At most one AOF rewrite per this, asked for after a purge removed something.
  std::chrono::seconds aof_rewrite_interval{3600};
  std::size_t replay_max_alerts = 1000;                 // per subscription, per page of history
  std::size_t history_max_alerts = 10000;               // kept per neighborhood
  std::chrono::seconds history_max_age{7 * 24 * 3600};  // older alerts are trimmed away
  PushConfig push;
  SmsConfig sms;
  MediaConfig media;
  // [[networks]] (issue 23; network_config.hpp): the main file's list; empty: the file is the one
  // network. network_id is set in each network's own config when there are several ("" when
  // not); network_name is [network] name or the listing's, shown on every page.
  std::vector<NetworkListing> networks;
  std::string network_id;
  std::string network_name;
  std::string log_level = "info";
  bool log_json = false;
};

// Reads `path` (TOML). Throws std::runtime_error naming the option at fault.
NodeConfig load_config(const std::filesystem::path& path);

// "host:port" -> host and port; throws std::runtime_error on nonsense.
void parse_host_port(const std::string& text, std::string& host, unsigned short& port);

// "host:port,host:port" (the --sentinels flag) -> endpoints; throws std::runtime_error on
// nonsense or an empty list.
std::vector<redis::Endpoint> parse_endpoint_list(const std::string& text);

}  // namespace puente::app
