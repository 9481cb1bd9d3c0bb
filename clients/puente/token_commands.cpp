// puente token new | hash: make a bearer token and the SHA-256 the roster stores (no server);
// puente token new --for ID | list | revoke ID: tokens issued by the server (admin API).

#include "api_client.hpp"
#include "commands.hpp"
#include "core/bearer_token.hpp"
#include "format.hpp"
#include "http_client.hpp"
#include "puente/v1/json.hpp"

#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <iterator>
#include <stdexcept>

namespace puente::cli {
namespace {

struct IssueOptions {
  std::string responder;  // --for: issue through the server instead
  double hours = 0;       // --expires-in, hours; 0: never
  std::string note;
};

// "tok-1a2b  obs-maria  expires 2026-12-01 18:00  revoked 2026-11-30 09:12  Maria's phone"
std::string token_line(const v1::IssuedToken& token) {
  std::string line = token.id() + "  " + token.responder_id();
  if (token.has_expires_at()) line += "  expires " + format_time(token.expires_at());
  if (token.has_revoked_at()) line += "  revoked " + format_time(token.revoked_at());
  if (!token.note().empty()) line += "  " + token.note();
  return line;
}

void run_issue(const IssueOptions& options, const GlobalOptions& global) {
  v1::TokenRequest request;
  request.set_responder_id(options.responder);
  request.set_expires_in_seconds(static_cast<std::int64_t>(options.hours * 3600));
  request.set_note(options.note);
  ApiClient api(global);
  v1::IssuedToken issued;
  ApiClient::parse(api.post("/v1/admin/tokens", request), issued);
  // The one place an issued token is printed: it is being handed out.
  if (global.json) {
    std::cout << wire::to_json(issued) << "\n";
    return;
  }
  std::cout << "token: " << issued.token() << "\n" << token_line(issued) << "\n";
  if (isatty(STDOUT_FILENO))
    std::cerr << "Give the token to " << issued.responder_id()
              << " over a safe channel and keep no copy: the server keeps only its hash.\n";
}

void run_list(const std::string& responder, const GlobalOptions& global) {
  std::string target = "/v1/admin/tokens";
  if (!responder.empty()) target += "?responder=" + client::url_encode(responder);
  ApiClient api(global);
  auto answer = api.get(target);
  if (global.json) {
    std::cout << answer.body << "\n";
    return;
  }
  v1::TokenList list;
  ApiClient::parse(answer, list);
  for (const auto& token : list.tokens()) std::cout << token_line(token) << "\n";
}

void run_revoke(const std::string& id, const GlobalOptions& global) {
  ApiClient api(global);
  auto answer =
      api.post("/v1/admin/tokens/" + client::url_encode(id) + "/revoke", v1::TokenRequest{});
  if (global.json) {
    std::cout << answer.body << "\n";
    return;
  }
  v1::IssuedToken revoked;
  ApiClient::parse(answer, revoked);
  std::cout << token_line(revoked) << "\n";
}

void run_new(const IssueOptions& options, const GlobalOptions& global) {
  if (!options.responder.empty()) return run_issue(options, global);
  auto token = core::new_bearer_token();
  auto hash = core::sha256_hex(token);
  // The one place a token is printed: it is being handed out.
  if (global.json) {
    std::cout << "{\"token\":\"" << token << "\",\"tokenSha256\":\"" << hash << "\"}\n";
    return;
  }
  std::cout << "token: " << token << "\n"
            << "token_sha256: " << hash << "\n";
  if (isatty(STDOUT_FILENO))
    std::cerr << "Give the token to its responder over a safe channel and keep no copy; put\n"
                 "token_sha256 = \""
              << hash << "\" in their roster.toml entry.\n";
}

// The token from standard input; on a terminal, asked for without echo.
std::string read_token() {
  if (!isatty(STDIN_FILENO)) {
    std::string text(std::istreambuf_iterator<char>(std::cin), {});
    return std::string(core::trim_token(text));
  }
  termios saved{};
  tcgetattr(STDIN_FILENO, &saved);
  termios quiet = saved;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  std::cerr << "token: " << std::flush;
  tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  std::string line;
  std::getline(std::cin, line);
  tcsetattr(STDIN_FILENO, TCSANOW, &saved);
  std::cerr << "\n";
  return std::string(core::trim_token(line));
}

void run_hash(const GlobalOptions& global) {
  auto token = read_token();
  if (token.empty()) throw std::runtime_error("no token on standard input");
  auto hash = core::sha256_hex(token);
  if (global.json) {
    std::cout << "{\"tokenSha256\":\"" << hash << "\"}\n";
    return;
  }
  std::cout << hash << "\n";
}

}  // namespace

void add_token_commands(CLI::App& app, const GlobalOptions& global) {
  auto* token = app.add_subcommand("token", "Make, issue, list and revoke bearer tokens");
  token->require_subcommand(1);
  auto issue = std::make_shared<IssueOptions>();
  auto* make = token->add_subcommand(
      "new", "A fresh random 256-bit token: for roster.toml, or issued with --for");
  make->add_option("--for", issue->responder,
                   "Issue it through the server to this responder id (admin)");
  make->add_option("--expires-in", issue->hours,
                   "With --for: hours until it expires (default: never)")
      ->check(CLI::NonNegativeNumber);
  make->add_option("--note", issue->note, "With --for: what it is for, e.g. \"Maria's phone\"");
  make->footer(
      "Without --for: prints the token and the token_sha256 to put in roster.toml; no server.\n"
      "With --for: the server stores only the hash and the token is shown this once.\n"
      "The responder passes the token to puente via PUENTE_TOKEN or --token-file.");
  make->callback([issue, &global] { run_new(*issue, global); });
  auto listed = std::make_shared<std::string>();
  auto* list = token->add_subcommand(
      "list", "Every token the server knows (admin), never the tokens themselves");
  list->add_option("--responder", *listed, "Only this responder's");
  list->callback([listed, &global] { run_list(*listed, global); });
  auto revoked = std::make_shared<std::string>();
  auto* revoke = token->add_subcommand(
      "revoke", "Revoke a token by id (admin): refused and signed out everywhere");
  revoke
      ->add_option("ID", *revoked,
                   "A token id from `puente token list` (roster tokens: roster-<responder>)")
      ->required();
  revoke->callback([revoked, &global] { run_revoke(*revoked, global); });
  auto* hash = token->add_subcommand("hash", "Read a token on standard input, print its SHA-256");
  hash->footer("Example: puente token hash < responder.token");
  hash->callback([&global] { run_hash(global); });
}

}  // namespace puente::cli
