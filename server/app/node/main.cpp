// puented: the Puente server. See config/puented.toml for every option.
#include "app/node/config.hpp"
#include "app/node/install_layout.hpp"
#include "app/node/node.hpp"
#include "app/node/redis_access.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <stdexcept>

namespace {

void configure_logging(const puente::app::NodeConfig& config) {
  auto logger = spdlog::stderr_color_mt("puented");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  // JSON lines for production log collectors; messages are ours and never hold quotes.
  if (config.log_json)
    spdlog::set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%e%z","level":"%l","node":")" +
                        config.node_id + R"(","msg":"%v"})");
  else
    spdlog::set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ [" + config.node_id + "] %v");
}

// `puented --routes`: the routes the config serves, one a line, on stdout. The node is built
// (so the routes are the router's own, [web] tiles_dir's included) but never run: no port,
// no Redis. Its journal is a scratch file, so a node running with the same config keeps its
// own journal and lock.
int print_routes(puente::app::NodeConfig config) {
  std::string scratch = (std::filesystem::temp_directory_path() / "puented-routes-XXXXXX").string();
  if (!::mkdtemp(scratch.data())) throw std::runtime_error("cannot make a scratch folder in /tmp");
  config.journal_file = std::filesystem::path(scratch) / "routes.journal";
  // Several networks each keep their journal in <state_dir>/networks/<id>/: there too.
  if (!config.networks.empty()) config.state_dir = scratch;
  try {
    puente::app::check_redis_access(config);  // with the flags' addresses, before any connect
    puente::app::Node node(std::move(config));
    for (const auto& route : node.routes()) std::cout << route << "\n";
  } catch (...) {
    std::filesystem::remove_all(scratch);
    throw;
  }
  std::filesystem::remove_all(scratch);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"puented: the Puente rapid-response alert server"};
  cli.set_version_flag("--version", "puented " PUENTE_VERSION);
  std::filesystem::path config_file;
  std::string listen, redis, sentinels, roster, neighborhoods, node_id, port_file, journal,
      state_dir, log_level;
  unsigned threads = 0;
  cli.add_option("--config", config_file, "TOML configuration file")
      ->required()
      ->check(CLI::ExistingFile);
  cli.add_option("--listen", listen,
                 "HOST:PORT to serve HTTP and WebSocket on (overrides node.listen)");
  cli.add_option("--redis", redis, "HOST:PORT of Redis (overrides redis.address)");
  cli.add_option(
      "--sentinels", sentinels,
      "HOST:PORT,HOST:PORT of Redis Sentinels naming the primary (overrides redis.sentinels)");
  cli.add_option("--roster", roster, "roster TOML file (overrides roster.file)");
  cli.add_option("--neighborhoods", neighborhoods,
                 "neighborhoods GeoJSON file (overrides geography.neighborhoods)");
  cli.add_option("--node-id", node_id, "this node's name in logs (overrides node.id)");
  cli.add_option("--port-file", port_file,
                 "write the bound port to this file (overrides node.port_file)");
  cli.add_option("--journal", journal,
                 "this node's store-and-forward journal file (overrides node.journal)");
  cli.add_option("--state-dir", state_dir,
                 "folder the node writes its journal and revocations to (overrides "
                 "node.state_dir; default $STATE_DIRECTORY)");
  cli.add_option("--threads", threads, "I/O threads; 0 = one per core (overrides node.threads)");
  cli.add_option("--log-level", log_level, "trace, debug, info, warn, error (overrides log.level)");
  bool routes = false;
  cli.add_flag("--routes", routes,
               "print the HTTP routes this config serves (\"METHOD /pattern\", as "
               "[rate_limits.routes] names them) and exit");
  CLI11_PARSE(cli, argc, argv);

  try {
    auto config = puente::app::load_config(config_file);
    if (!listen.empty())
      puente::app::parse_host_port(listen, config.listen_host, config.listen_port);
    if (!redis.empty())
      puente::app::parse_host_port(redis, config.redis.endpoint.host, config.redis.endpoint.port);
    if (!sentinels.empty()) config.redis.sentinels = puente::app::parse_endpoint_list(sentinels);
    if (!roster.empty()) config.roster_file = roster;
    if (!neighborhoods.empty()) config.neighborhoods_file = neighborhoods;
    if (!node_id.empty()) config.node_id = node_id;
    if (!port_file.empty()) config.port_file = std::filesystem::absolute(port_file);
    // A flag's relative path is the shell's (the working folder), a file's its folder's.
    if (!journal.empty()) config.journal_file = std::filesystem::absolute(journal);
    if (!state_dir.empty()) config.state_dir = std::filesystem::absolute(state_dir);
    puente::app::settle_state_dir(config, std::getenv("STATE_DIRECTORY"));
    if (config.web_root.empty()) config.web_root = puente::app::default_web_root();
    if (threads) config.threads = threads;
    if (!log_level.empty()) config.log_level = log_level;
    configure_logging(config);
    if (routes) {
      spdlog::set_level(spdlog::level::warn);
      return print_routes(std::move(config));
    }

    puente::app::check_redis_access(config);  // with the flags' addresses, before any connect
    puente::app::Node node(std::move(config));
    return node.run();
  } catch (const std::exception& e) {
    spdlog::critical("puented cannot start: {}", e.what());
    return 1;
  }
}
