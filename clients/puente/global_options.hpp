#pragma once
// The options every subcommand shares: where the server is, where the token comes from, how
// to print. The token is read only by the commands that need one, and never printed.

#include "server_address.hpp"

#include <chrono>
#include <string>

namespace puente::cli {

struct GlobalOptions {
  std::string server = "http://127.0.0.1:8080";  // --server, else $PUENTE_SERVER
  std::string ca_file;                           // --ca-file, else $PUENTE_CA_FILE (https)
  std::string token_file;                        // --token-file; else $PUENTE_TOKEN
  bool json = false;                             // --json: print the server's JSON as is
  double timeout_seconds = 10;                   // --timeout, per request
  // --network, else $PUENTE_NETWORK: a guard for whoever holds tokens of several networks of one
  // deployment (issue 23). The token picks its network; with this set a command that talks to
  // the server first asks it which network the token belongs to (GET /v1/network) and runs
  // only if that is this one (api_client.hpp, require_network).
  std::string network;

  // Throws std::invalid_argument naming what is wrong with --server.
  client::ServerAddress server_address() const;
  // The bearer token from --token-file, else from $PUENTE_TOKEN. Throws std::runtime_error
  // if neither gives one (the message names both, never the token).
  std::string token() const;
  std::chrono::milliseconds timeout() const;
};

}  // namespace puente::cli
