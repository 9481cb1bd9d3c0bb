// puente token new | hash: make a bearer token and the SHA-256 the roster stores. No server.

#include "bearer_token.hpp"
#include "commands.hpp"

#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <iterator>
#include <stdexcept>

namespace puente::cli {
namespace {

void run_new(const GlobalOptions& global) {
  auto token = client::new_bearer_token();
  auto hash = client::token_sha256_hex(token);
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
    return std::string(client::trim_token(text));
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
  return std::string(client::trim_token(line));
}

void run_hash(const GlobalOptions& global) {
  auto token = read_token();
  if (token.empty()) throw std::runtime_error("no token on standard input");
  auto hash = client::token_sha256_hex(token);
  if (global.json) {
    std::cout << "{\"tokenSha256\":\"" << hash << "\"}\n";
    return;
  }
  std::cout << hash << "\n";
}

}  // namespace

void add_token_commands(CLI::App& app, const GlobalOptions& global) {
  auto* token = app.add_subcommand("token", "Make bearer tokens for the roster (no server needed)");
  token->require_subcommand(1);
  auto* make = token->add_subcommand("new", "Print a fresh random token and its SHA-256");
  make->footer(
      "The server keeps only token_sha256 (in roster.toml); the token itself goes to the\n"
      "responder, who passes it to puente via PUENTE_TOKEN or --token-file.");
  make->callback([&global] { run_new(global); });
  auto* hash = token->add_subcommand("hash", "Read a token on standard input, print its SHA-256");
  hash->footer("Example: puente token hash < responder.token");
  hash->callback([&global] { run_hash(global); });
}

}  // namespace puente::cli
