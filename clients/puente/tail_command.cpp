// puente tail: follow live alerts over /v1/ws until Ctrl-C (see alert_tail.hpp).

#include "alert_tail.hpp"
#include "commands.hpp"

#include <csignal>
#include <iostream>
#include <memory>

namespace puente::cli {
namespace {

// Set by SIGINT/SIGTERM; the tail notices within a read slice and closes politely.
std::atomic<bool> stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the stop flag is set in a signal handler");

extern "C" void request_stop(int) { stop_requested.store(true); }

struct TailArguments {
  std::vector<std::string> neighborhoods;
  std::string since;
  std::string ack;
  bool board = false;
  std::size_t count = 0;
  double duration_seconds = 0;
};

void run_tail(const TailArguments& arguments, const GlobalOptions& global) {
  TailOptions options;
  options.neighborhoods = arguments.neighborhoods;
  options.since = arguments.since;
  options.board = arguments.board;
  options.count = arguments.count;
  options.duration =
      std::chrono::milliseconds(static_cast<long long>(arguments.duration_seconds * 1000));
  if (!arguments.ack.empty()) {
    v1::AckState state{};
    v1::AckState_Parse(arguments.ack, &state);
    options.ack = state;
  }

  // The first Ctrl-C ends the tail cleanly; the handler then resets, so a second one ends the
  // process at once if the server is slow to say goodbye.
  struct sigaction action {};
  action.sa_handler = request_stop;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);

  AlertTail tail(global, std::move(options), std::cout, std::cerr);
  tail.run(stop_requested);
}

}  // namespace

void add_tail_command(CLI::App& app, const GlobalOptions& global) {
  auto arguments = std::make_shared<TailArguments>();
  auto* command = app.add_subcommand(
      "tail", "Follow live alerts of some neighborhoods (and the board) until Ctrl-C");
  command->add_option("NEIGHBORHOOD", arguments->neighborhoods,
                      "Neighborhood slugs, e.g. boyle-heights (default: the ones the roster gives "
                      "you; see `puente neighborhoods`)");
  command->add_option("--since", arguments->since,
                      "Replay the alerts after this offset first (an offset as tail prints it; "
                      "0 replays all history)");
  command->add_option("--ack", arguments->ack, "Answer each new alert with this ack")
      ->transform(CLI::IsMember(enum_choices(v1::AckState_descriptor()), CLI::ignore_case));
  command->add_flag("--board", arguments->board,
                    "Also show incident events of every neighborhood (dispatchers)");
  command->add_option("--count", arguments->count,
                      "Exit after printing this many alerts and board events");
  command->add_option("--for", arguments->duration_seconds, "Exit after this many seconds")
      ->check(CLI::PositiveNumber);
  command->footer(
      "Prints one line per alert: time, TYPE, neighborhood, text, [incident @ offset]; and one\n"
      "per board event. Status goes to stderr. After a dropped connection it reconnects and\n"
      "resumes each neighborhood after the last offset printed; no alert prints twice.\n"
      "Example: puente tail boyle-heights lincoln-heights --ack RECEIVED");
  command->callback([arguments, &global] { run_tail(*arguments, global); });
}

}  // namespace puente::cli
