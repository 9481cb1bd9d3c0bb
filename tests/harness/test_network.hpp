#pragma once
// A whole Puente network for one test: a real redis-server, a roster of test responders with
// fresh random tokens, a config file, and any number of real puented nodes started on free
// loopback ports. Everything is stopped when the objects go.
//
//   TestNetwork net;
//   auto a = net.start_node("a");
//   auto b = net.start_node("b");
//   auto observer = b->socket(net.token("obs-bh"), {"boyle-heights"});

#include "child_process.hpp"
#include "http_client.hpp"
#include "redis_server.hpp"
#include "temp_dir.hpp"
#include "test_certificate.hpp"
#include "ws_client.hpp"

#include "puente/v1/puente.pb.h"

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace puente::test {

inline constexpr std::chrono::milliseconds socket_wait{10'000};

// A puented process serving on a port it chose itself (--listen 127.0.0.1:0 --port-file).
class PuentedNode {
 public:
  // Waits until it listens and, with `wait_ready`, until it reaches Redis.
  // `extra_args` go after the usual flags (--sentinels ..., say); a --listen there replaces the
  // usual 127.0.0.1:0 (a port the test chose: e.g. one Kannel's post-url names). With a
  // `tls_ca_file` the node serves HTTPS and WSS and its clients trust that file.
  PuentedNode(const std::filesystem::path& config, unsigned short redis_port,
              const std::string& name, const std::filesystem::path& dir, bool wait_ready = true,
              const std::vector<std::string>& extra_args = {},
              const std::filesystem::path& tls_ca_file = {});
  // Stops the node with SIGTERM, as an operator would, and fails the test if its log holds a
  // sanitizer report (a memory error, undefined behaviour, a leak found at exit) or any of
  // `secrets` (the network's bearer tokens: a log must never hold one).
  ~PuentedNode();

  unsigned short port() const { return port_; }
  // Where its clients connect: 127.0.0.1, its port, TLS if it serves it.
  const client::ServerAddress& address() const { return address_; }
  const std::string& name() const { return name_; }
  ChildProcess& process() { return process_; }
  std::filesystem::path log_path() const { return log_; }

  // One HTTP request; `body` is JSON.
  client::HttpResponse call(boost::beast::http::verb verb, const std::string& target,
                            const std::string& token, const std::string& body = {});
  // GET /metrics as the network's scraper would (the token of the responder "metrics").
  client::HttpResponse metrics();
  // One number of /metrics (an unlabelled series: "puente_ws_connections"), nullopt if absent.
  std::optional<long long> metric(const std::string& name);
  // GET /v1/admin/audit with an admin's token: the log as the node shows it.
  v1::AuditLog audit_log(const std::string& admin_token);
  // A WebSocket that said hello with `token` for `neighborhoods` and read the welcome.
  std::unique_ptr<client::WsClient> socket(const std::string& token,
                                           const std::vector<std::string>& neighborhoods,
                                           bool board = false,
                                           const std::map<std::string, std::string>& since = {});
  // A WebSocket that has only connected.
  std::unique_ptr<client::WsClient> raw_socket();

 private:
  std::string name_;
  std::filesystem::path log_;
  ChildProcess process_;
  unsigned short port_ = 0;
  client::ServerAddress address_;
  std::unique_ptr<client::HttpClient> http_;
  std::vector<std::string> secrets_;
  std::string metrics_token_;

  friend class TestNetwork;
  friend class TwoNetworks;
};

// A Redis with access control (tests of deploy/redis/users.acl).
struct RedisAclSetup {
  std::filesystem::path acl_file;
  RedisLogin admin;  // a user of that file allowed everything
};

class TestNetwork {
 public:
  // Responders (id: roles @ neighborhoods; they read Spanish unless said):
  //   op: operator            disp: dispatcher         admin: admin
  //   obs-bh: legal_observer @ boyle-heights           obs-dt: legal_observer @ downtown
  //   vol-bh: volunteer @ boyle-heights                att-bh: attorney @ boyle-heights, English
  //   obs-off: legal_observer @ boyle-heights, English, with a shift that is never now
  //   obs-standby: legal_observer @ downtown, English, in the standby pool
  // `extra_config` is appended to the nodes' config file (a [policy] table, say; without a
  // [rate_limits] table of its own the nodes limit nothing);
  // `extra_limits` goes into its [limits] table ("ws_queue_bytes = 32768"; a ws_hello_seconds
  // there replaces the 2 s the nodes get otherwise), `extra_redis` into
  // its [redis] table ("replicas_to_wait = 1"; a command_timeout_ms there replaces the 1 s
  // the nodes get otherwise).
  // `extra_node` goes into its [node] table ("trusted_proxies = [\"127.0.0.3\"]"),
  // `extra_geography` into its [geography] table ("geocoder_url = \"http://...\"").
  // With `acl`, Redis loads that ACL file (--aclfile, and notify-keyspace-events Kghx as
  // deploy/redis/redis.conf sets it) and the harness's own questions (redis_line...) sign in as
  // `acl->admin`; the nodes sign in as whatever `extra_redis` says.
  // With a Redis Cluster in `extra_redis` (cluster_config.hpp), values_holding and the check
  // below read the cluster's primaries instead of redis().
  explicit TestNetwork(const std::string& extra_config = "", const std::string& extra_limits = "",
                       const std::string& extra_redis = "", const std::string& extra_node = "",
                       const std::string& extra_geography = "",
                       const std::optional<RedisAclSetup>& acl = std::nullopt);
  // Fails the test if Redis holds one of the network's bearer tokens (they are kept hashed).
  ~TestNetwork();

  // A node named `name`; the same name again is the same node restarted (its journal, its log).
  // `extra_args`: more flags for puented.
  std::unique_ptr<PuentedNode> start_node(const std::string& name, bool wait_ready = true,
                                          const std::vector<std::string>& extra_args = {});
  // From now on the nodes serve HTTPS and WSS with a certificate made for this network (common
  // name "puente-test"), and their clients trust it. Returns its files; making it again under
  // the same name (make_test_certificate) is a renewal.
  TestCertificate serve_tls();
  // The log of node `name`, which must refuse to start (the test fails if it starts): tests of
  // what a node checks at start read why from it.
  std::string start_failure(const std::string& name);
  const std::string& token(const std::string& responder_id) const {
    return tokens_.at(responder_id);
  }
  RedisServer& redis() { return redis_; }
  // An integer-answered Redis command, inline ("DBSIZE", "ZCARD puente:timers").
  long long redis_integer(const std::string& command) const;
  // The first line of the answer to an inline Redis command, as sent ("+OK", "-ERR ...").
  std::string redis_line(const std::string& command) const;
  // How many keys Redis holds, the audit log and the purge's bookkeeping left out: tests check that
  // refused input stored nothing (a refused sign-in is audited by design).
  long long redis_key_count() const;
  // How many Redis values (and key names) hold `needle`, whatever their type; without
  // `audit_too` the audit log is left out. `needle` holds no double quote. On a cluster, summed
  // over its primaries.
  long long values_holding(const std::string& needle, bool audit_too = true) const;
  const std::filesystem::path& dir() const { return dir_.path(); }

 private:
  long long values_holding_any(const std::vector<std::string>& needles, bool audit_too) const;
  std::vector<unsigned short> cluster_primaries() const;

  std::vector<unsigned short> cluster_seeds_;  // empty: the network's data is in redis_
  TempDir dir_;
  std::optional<RedisLogin> admin_;  // set: Redis wants AUTH (RedisAclSetup)
  RedisServer redis_;
  std::map<std::string, std::string> tokens_;
  std::filesystem::path config_;
  std::filesystem::path tls_ca_file_;  // empty: the nodes serve plain HTTP
};

// The log of node `name` (its folder in `dir`), which `start` must fail to start: the test fails
// if it starts (TestNetwork::start_failure, TwoNetworks::start_failure).
std::string start_failure_log(const std::function<void()>& start, const std::filesystem::path& dir,
                              const std::string& name);

// The puented the tests run (a start test may run it with flags of its own).
std::string puented_binary();

// The environment a person sets in their shell to use the `puente` CLI against `node` as
// `token` (PUENTE_SERVER, PUENTE_TOKEN, PUENTE_CA_FILE for a node serving TLS).
std::map<std::string, std::string> cli_environment(const PuentedNode& node,
                                                   const std::string& token);

// The JSON of a report of `kind` at (lat, lon).
std::string report_json(double lat, double lon, const std::string& kind = "RAID",
                        const std::string& extra_fields = {});

struct Place;
// Posts a RAID report at `where` as `token` and returns the incident it opened (failing the test
// if it opened none).
std::string open_incident(PuentedNode& node, const std::string& token, const Place& where);

// Reads messages until one satisfies `match` or the wait runs out; the ones skipped are lost.
std::optional<v1::ServerMessage> read_until(
    client::WsClient& socket, const std::function<bool(const v1::ServerMessage&)>& match,
    std::chrono::milliseconds wait = socket_wait);
std::optional<v1::Alert> next_alert(client::WsClient& socket,
                                    std::chrono::milliseconds wait = socket_wait);
// Reads (and drops) messages until the node closes the socket: what the close said, with its
// code ("... closed the connection (code 1001: shutting down)"); "" if it stayed open through a
// wait of `wait` with nothing to read.
std::string close_reason(client::WsClient& socket, std::chrono::milliseconds wait = socket_wait);

// Some points of Los Angeles, by neighborhood.
struct Place {
  double lat, lon;
};
inline constexpr Place boyle_heights{34.0335, -118.2110};  // Cesar Chavez Ave near Soto St
inline constexpr Place downtown{34.0537, -118.2428};       // City Hall
// Twelve places in Boyle Heights at least 700 m apart: reports there never corroborate one
// another under the default policy (300 m), so each opens its own incident.
Place boyle_heights_spot(int i);

}  // namespace puente::test
