// `puente-loadgen worker`: an ObserverSwarm driven by the parent over stdin/stdout (the
// protocol is in bench_run.hpp).
#include "bench_roster.hpp"
#include "bench_run.hpp"
#include "observer_swarm.hpp"

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>

#include <unistd.h>

#include <iostream>
#include <istream>

namespace puente::loadgen {

namespace asio = boost::asio;

namespace {

class CommandLoop {
 public:
  CommandLoop(asio::io_context& ioc, ObserverSwarm& swarm)
      : ioc_(ioc), swarm_(swarm), input_(ioc, ::dup(0)) {}

  void read() {
    asio::async_read_until(input_, buffer_, '\n',
                           [this](boost::system::error_code ec, std::size_t) {
                             if (ec) return ioc_.stop();  // the parent is gone
                             std::istream in(&buffer_);
                             std::string command;
                             std::getline(in, command);
                             if (!obey(command)) return ioc_.stop();
                             read();
                           });
  }

 private:
  bool obey(const std::string& command) {
    if (command.rfind("begin ", 0) == 0) {
      swarm_.begin_phase(static_cast<unsigned>(std::stoul(command.substr(6))));
      std::cout << "ok" << std::endl;
    } else if (command == "count") {
      std::cout << "count " << swarm_.tally().received << std::endl;
    } else if (command == "end") {
      std::cout << "result " << swarm_.tally().to_json() << std::endl;
    } else {
      return false;  // "quit", or anything unexpected
    }
    return true;
  }

  asio::io_context& ioc_;
  ObserverSwarm& swarm_;
  asio::posix::stream_descriptor input_;
  asio::streambuf buffer_;
};

}  // namespace

int run_worker(const WorkerPlan& plan) {
  asio::io_context ioc(1);
  SwarmPlan swarm_plan{plan.target, plan.servers, plan.source_address, plan.rooms,
                       {},          plan.first,   plan.count};
  if (!plan.tokens.empty()) swarm_plan.tokens = read_lines(plan.tokens);
  ObserverSwarm swarm(ioc, std::move(swarm_plan));
  CommandLoop commands(ioc, swarm);
  swarm.start([&](std::size_t live, std::size_t failed) {
    std::cout << "ready " << live << " " << failed << std::endl;
    commands.read();
  });
  ioc.run();
  return 0;
}

}  // namespace puente::loadgen
