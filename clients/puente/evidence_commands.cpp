// puente evidence export | verify | key (docs/evidence.md): an incident's evidence bundle from
// the server, its check offline against the network's public key, and that key.

#include "api_client.hpp"
#include "commands.hpp"
#include "evidence/bundle_check.hpp"

#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

namespace puente::cli {
namespace {

// Writes `bytes` to `path` whole, or throws naming it.
void write_whole_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path);
}

void run_export(const GlobalOptions& global, const std::string& incident, const std::string& out) {
  ApiClient api(global);
  auto answer = api.get("/v1/incidents/" + incident + "/evidence-bundle");
  write_whole_file(out, answer.body);
  std::cout << "wrote " << out << " (" << answer.body.size()
            << " bytes); check it with: puente evidence verify " << out << " --key network.pub\n";
}

// Offline: no server, no token.
void run_verify(const std::string& zip, const std::string& key_file) {
  std::ifstream in(key_file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read the key " + key_file);
  std::stringstream key;
  key << in.rdbuf();
  auto check = evidence::check_bundle(zip, key.str());
  if (check.ok()) {
    std::cout << "verified: " << zip << " is as the network signed it (" << check.files_checked
              << " files and the manifest)\n";
    return;
  }
  for (const auto& problem : check.problems) std::cout << problem << "\n";
  throw std::runtime_error(zip + " does NOT verify: " + std::to_string(check.problems.size()) +
                           " problem(s) above");
}

void run_key(const GlobalOptions& global, const std::string& out) {
  ApiClient api(global);
  auto answer = api.get("/v1/evidence/key");
  if (out.empty()) {
    std::cout << answer.body;
    return;
  }
  write_whole_file(out, answer.body);
  std::cout << "wrote the network's public key to " << out << "\n";
}

}  // namespace

void add_evidence_commands(CLI::App& app, const GlobalOptions& global) {
  // `puente evidence ID` (incident_commands.cpp) marks an incident; these go under the same word.
  auto* evidence = app.get_subcommand("evidence");
  evidence->description(
      "Keep an incident as evidence (puente evidence ID); export its bundle, check one offline, "
      "the network's key");

  auto* export_cmd = evidence->add_subcommand(
      "export", "Download an incident's evidence bundle (dispatcher, the neighborhood's attorney)");
  auto incident = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  export_cmd->add_option("incident", *incident, "The incident id (inc-...)")->required();
  export_cmd->add_option("-o,--out", *out, "Where to write the ZIP")->required();
  export_cmd->callback([&global, incident, out] { run_export(global, *incident, *out); });

  auto* verify = evidence->add_subcommand(
      "verify", "Check a bundle offline: the signature, then every file against the manifest");
  auto zip = std::make_shared<std::string>();
  auto key = std::make_shared<std::string>();
  verify->add_option("bundle", *zip, "The bundle's ZIP file")->required();
  verify->add_option("--key", *key, "The network's public key (PEM: puente evidence key)")
      ->required();
  verify->callback([zip, key] { run_verify(*zip, *key); });

  auto* key_cmd = evidence->add_subcommand("key", "The network's public key, to check bundles");
  auto key_out = std::make_shared<std::string>();
  key_cmd->add_option("-o,--out", *key_out, "Write it to this file (else print it)");
  key_cmd->callback([&global, key_out] { run_key(global, *key_out); });
}

}  // namespace puente::cli
