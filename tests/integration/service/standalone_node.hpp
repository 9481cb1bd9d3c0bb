#pragma once
// One puented started as a service manager starts it: from a config folder of its own (with its
// roster beside it, as in /etc/puente), with an environment the test chooses ($NOTIFY_SOCKET,
// $STATE_DIRECTORY), against a Redis that may be down. The tests of what systemd sees
// (notify_test.cpp) and of where a node writes (state_dir_test.cpp) share it; TestNetwork keeps
// its config beside the nodes' logs and passes flags, which is what these tests must not do.

#include "child_process.hpp"
#include "http_client.hpp"
#include "temp_dir.hpp"
#include "wait_until.hpp"

#include "core/bearer_token.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>

namespace puente::test {

class StandaloneNode {
 public:
  // Writes <config folder>/node.toml (redis on `redis_port`, `node_table` added to [node]) and a
  // roster of one operator, "op".
  StandaloneNode(unsigned short redis_port, const std::string& node_table) {
    std::filesystem::create_directories(config_dir());
    token_ = core::new_bearer_token();
    std::ofstream(config_dir() / "roster.toml")
        << "[[responder]]\nid = \"op\"\nname = \"Test op\"\nroles = [\"operator\"]\n"
        << "neighborhoods = []\nlanguages = [\"en\"]\ntoken_sha256 = \"" << core::sha256_hex(token_)
        << "\"\n";
    std::ofstream(config_dir() / "node.toml")
        << "[node]\nid = \"a\"\nlisten = \"127.0.0.1:0\"\nthreads = 1\nshutdown_grace_ms = 100\n"
        << "port_file = \"" << (dir_.path() / "port").string() << "\"\n"
        << node_table << "\n"
        << "[redis]\naddress = \"127.0.0.1:" << redis_port << "\"\n"
        << "connect_timeout_ms = 500\nreconnect_max_ms = 200\ncommand_timeout_ms = 1000\n"
        << "[geography]\nneighborhoods = \"" << PUENTE_LA_DATA
        << "/la-city-neighborhoods-v6.geojson\"\n"
        << "[roster]\nfile = \"roster.toml\"\n"
        << "[network]\ntemplates = \"" << PUENTE_SOURCE_DIR << "/config/templates\"\n"
        << "[rate_limits]\nreports_per_token_per_second = 0\n";
  }

  // Starts puented with `env` added to the test's environment; waits until it listens.
  void start(const std::map<std::string, std::string>& env = {}) {
    std::filesystem::remove(dir_.path() / "port");
    process_ = std::make_unique<ChildProcess>(
        PUENTED_PATH, std::vector<std::string>{"--config", (config_dir() / "node.toml").string()},
        log_path(), env);
    unsigned port = 0;
    bool listening = wait_until(
        [&] {
          std::ifstream in(dir_.path() / "port");
          return (in >> port && port > 0) || !process_->running();
        },
        std::chrono::seconds(60));
    if (!listening || port == 0)
      throw std::runtime_error("puented did not start; see " + log_path().string());
    http_ = std::make_unique<client::HttpClient>(
        client::ServerAddress{"127.0.0.1", static_cast<unsigned short>(port), false, {}});
  }

  // Stops the node if it runs, and fails the test if its log holds a sanitizer report.
  ~StandaloneNode() {
    if (process_ && process_->running()) process_->terminate();
    std::ifstream in(log_path());
    for (std::string line; std::getline(in, line);)
      if (line.find("Sanitizer") != std::string::npos ||
          line.find("runtime error:") != std::string::npos) {
        ADD_FAILURE() << "puented reported: " << line << "\n  see " << log_path();
        break;
      }
  }
  StandaloneNode(const StandaloneNode&) = delete;
  StandaloneNode& operator=(const StandaloneNode&) = delete;

  // The config folder, as /etc/puente: nothing but what the test wrote is to appear in it.
  std::filesystem::path config_dir() const { return dir_.path() / "etc"; }
  // A folder beside it, for a state folder the test names.
  std::filesystem::path dir() const { return dir_.path(); }
  std::filesystem::path log_path() const { return dir_.path() / "puented.log"; }
  ChildProcess& process() { return *process_; }
  client::HttpClient& http() { return *http_; }
  const std::string& operator_token() const { return token_; }

 private:
  TempDir dir_{"puente-service-"};
  std::string token_;
  std::unique_ptr<ChildProcess> process_;
  std::unique_ptr<client::HttpClient> http_;
};

}  // namespace puente::test
