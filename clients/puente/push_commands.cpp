// puente push keygen --out FILE: the network's VAPID key pair (no server); puente push test
// --for ID: a test notification to each of a responder's phones (admin API).

#include "api_client.hpp"
#include "channels/push/vapid.hpp"
#include "commands.hpp"
#include "puente/v1/json.hpp"
#include "puente/v1/puente.pb.h"

#include <unistd.h>

#include <filesystem>
#include <iostream>

namespace puente::cli {
namespace {

void run_keygen(const std::filesystem::path& out, const GlobalOptions& global) {
  // write_pem_file refuses a file that exists: a network's key is never overwritten by mistake
  // (every phone registered under it would stop getting alerts).
  auto key = push::VapidKey::generate();
  key.write_pem_file(out);
  if (global.json) {
    std::cout << "{\"publicKey\":\"" << key.public_key_base64url() << "\"}\n";
    return;
  }
  std::cout << "public key: " << key.public_key_base64url() << "\n";
  if (isatty(STDOUT_FILENO))
    std::cerr << "Wrote the private key to " << out.string()
              << " (mode 0600). Set [push] vapid_key_file to it on every node,\n"
                 "and keep a copy with the network's other secrets: a new key means every phone\n"
                 "must turn \"Get alerts on this phone\" on again.\n";
}

void run_test(const std::string& responder, const GlobalOptions& global) {
  v1::PushTest request;
  request.set_responder_id(responder);
  ApiClient api(global);
  auto answer = api.post("/v1/admin/push-test", request);
  if (global.json) {
    std::cout << answer.body << "\n";
    return;
  }
  v1::PushTest queued;
  ApiClient::parse(answer, queued);
  std::cout << "test push queued for " << queued.phones() << " phone"
            << (queued.phones() == 1 ? "" : "s") << " of " << responder << "\n";
}

}  // namespace

void add_push_commands(CLI::App& app, const GlobalOptions& global) {
  auto* push = app.add_subcommand("push", "Web Push: the network's key, test notifications");
  push->require_subcommand(1);
  auto out = std::make_shared<std::filesystem::path>();
  auto* keygen = push->add_subcommand(
      "keygen", "Make the network's VAPID key pair; print the public key (no server)");
  keygen->add_option("--out", *out, "Write the private key (PEM) to this new file")->required();
  keygen->footer("Refuses to overwrite an existing file. Then set [push] vapid_key_file = FILE.");
  keygen->callback([out, &global] { run_keygen(*out, global); });
  auto responder = std::make_shared<std::string>();
  auto* test =
      push->add_subcommand("test", "Send a test notification to each phone of a responder (admin)");
  test->add_option("--for", *responder, "The responder id")->required();
  test->callback([responder, &global] { run_test(*responder, global); });
}

}  // namespace puente::cli
