// puente: the command-line client of a Puente server. See `puente --help`.

#include "api_client.hpp"
#include "commands.hpp"
#include "connection_error.hpp"
#include "global_options.hpp"

#include <google/protobuf/stubs/common.h>

#include <iostream>

namespace {

// Exit statuses, as the help footer tells them.
constexpr int exit_refused = 1;      // the server answered an error, or the input was wrong
constexpr int exit_unreachable = 2;  // the server could not be reached or did not answer
constexpr int exit_usage = 64;       // bad command line (sysexits EX_USAGE)

}  // namespace

int main(int argc, char** argv) {
  GOOGLE_PROTOBUF_VERIFY_VERSION;
  using namespace puente::cli;

  GlobalOptions global;
  CLI::App app{"puente: report, confirm, ack and follow alerts of a Puente server", "puente"};
  app.fallthrough();  // global options may come after the subcommand too
  app.require_subcommand(1);
  app.set_version_flag("--version", "puente " PUENTE_VERSION);
  app.get_formatter()->column_width(32);
  app.add_option("--server", global.server,
                 "Server address: http://host:port, https://host:port or host:port")
      ->envname("PUENTE_SERVER")
      ->capture_default_str();
  app.add_option("--ca-file", global.ca_file,
                 "With https: trust the certificates in FILE (PEM) instead of the system's")
      ->envname("PUENTE_CA_FILE")
      ->check(CLI::ExistingFile);
  app.add_option("--token-file", global.token_file,
                 "Read the bearer token from FILE (else from $PUENTE_TOKEN)")
      ->check(CLI::ExistingFile);
  app.add_option("--network", global.network,
                 "Run only if the token belongs to network ID of the server (GET /v1/network); "
                 "else exit 1 having done nothing")
      ->envname("PUENTE_NETWORK");
  app.add_flag("--json", global.json, "Print the server's JSON as it is, one message a line");
  app.add_option("--timeout", global.timeout_seconds, "Seconds to wait for the server")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.footer(
      "The token comes from $PUENTE_TOKEN or --token-file; there is no --token flag, as\n"
      "arguments show in `ps`. Run `puente COMMAND --help` for a command's options.\n"
      "Exit status: 0 done; 1 the server said no, or bad input; 2 the server could not be\n"
      "reached or did not answer in time; 64 bad usage.");

  add_report_command(app, global);
  add_incident_commands(app, global);
  add_ack_command(app, global);
  add_help_me_command(app, global);
  add_tail_command(app, global);
  add_geography_commands(app, global);
  add_on_call_commands(app, global);
  add_token_commands(app, global);
  add_push_commands(app, global);
  add_sms_commands(app, global);
  add_audit_commands(app, global);
  add_evidence_commands(app, global);
  add_network_commands(app, global);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" with status 0.
    return app.exit(e) == 0 ? 0 : exit_usage;
  } catch (const ApiError& e) {
    std::cerr << "error: " << e.describe() << "\n";
    return exit_refused;
  } catch (const puente::client::ConnectionError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return exit_unreachable;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return exit_refused;
  }
  return 0;
}
