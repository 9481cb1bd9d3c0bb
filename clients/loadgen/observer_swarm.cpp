#include "observer_swarm.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <optional>

namespace puente::loadgen {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {
constexpr int connect_attempts = 3;
constexpr auto handshake_timeout = std::chrono::seconds(30);
}  // namespace

std::string PhaseTally::to_json() const {
  auto list = [](const auto& values) { return fmt::format("[{}]", fmt::join(values, ",")); };
  return fmt::format(
      R"({{"received":{},"duplicates":{},"stale":{},"last_ns":{},"closed":{},"histogram":"{}","distinct":{},"sockets":{}}})",
      received, duplicates, stale, last_ns, closed, latency.serialize(), list(distinct),
      list(sockets));
}

// One WebSocket following one room: connect, the target's handshake, then read until the end.
class ObserverSwarm::Observer : public std::enable_shared_from_this<Observer> {
 public:
  Observer(ObserverSwarm& swarm, std::size_t index)
      : swarm_(swarm),
        index_(index),
        room_(static_cast<unsigned>(index % swarm.plan_.rooms.size())),
        retry_(swarm.ioc_) {}

  void start() {
    ++attempts_;
    ws_.emplace(swarm_.ioc_);  // a failed stream is not reused: each attempt gets a fresh one
    const auto& plan = swarm_.plan_;
    const auto& server = plan.servers[index_ % plan.servers.size()];
    auto& socket = beast::get_lowest_layer(*ws_).socket();
    beast::error_code ec;
    socket.open(tcp::v4(), ec);
    if (!ec && !plan.source_address.empty())
      socket.bind({asio::ip::make_address(plan.source_address), 0}, ec);
    if (ec) return give_up_or_retry();
    beast::get_lowest_layer(*ws_).expires_after(handshake_timeout);
    beast::get_lowest_layer(*ws_).async_connect(
        tcp::endpoint(asio::ip::make_address(server.host), server.port),
        [self = shared_from_this()](beast::error_code ec) { self->on_connect(ec); });
  }

 private:
  void on_connect(beast::error_code ec) {
    if (ec) return give_up_or_retry();
    const auto& plan = swarm_.plan_;
    auto script = observer_script(plan.target, plan.rooms[room_],
                                  index_ < plan.tokens.size() ? plan.tokens[index_] : "");
    first_frame_ = std::move(script.first_frame);
    beast::get_lowest_layer(*ws_).expires_never();
    ws_->set_option(
        websocket::stream_base::timeout{handshake_timeout, websocket::stream_base::none(), false});
    ws_->read_message_max(1 << 20);
    const auto& server = plan.servers[index_ % plan.servers.size()];
    ws_->async_handshake(
        server.to_string(), script.target,
        [self = shared_from_this()](beast::error_code ec) { self->on_upgrade(ec); });
  }

  void on_upgrade(beast::error_code ec) {
    if (ec) return give_up_or_retry();
    ws_->text(true);
    if (!first_frame_.empty()) write(std::move(first_frame_));
    if (on_handshake_frame(swarm_.plan_.target, {}, swarm_.plan_.rooms[room_], reply_) ==
        Handshake::live)
      go_live();
    read();
  }

  void read() {
    ws_->async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->on_read(ec);
    });
  }

  void on_read(beast::error_code ec) {
    if (ec) {
      if (live_) {
        ++swarm_.tally_.closed;
        --swarm_.tally_.sockets[room_];
      } else {
        swarm_.settled(false);
      }
      return;
    }
    std::string_view frame(static_cast<const char*>(buffer_.cdata().data()), buffer_.size());
    if (live_) {
      on_live_frame(frame);
    } else {
      switch (on_handshake_frame(swarm_.plan_.target, frame, swarm_.plan_.rooms[room_], reply_)) {
        case Handshake::waiting: break;
        case Handshake::reply: write(std::move(reply_)); break;
        case Handshake::live: go_live(); break;
        case Handshake::refused: {
          swarm_.settled(false);
          ws_->next_layer().close();
          return;
        }
      }
    }
    buffer_.consume(buffer_.size());
    read();
  }

  void on_live_frame(std::string_view frame) {
    if (auto answer = keepalive_answer(swarm_.plan_.target, frame); !answer.empty())
      return write(std::string(answer));
    auto nonce = find_nonce(frame);
    if (!nonce) return;
    auto& tally = swarm_.tally_;
    if (nonce->phase != swarm_.phase_) {
      ++tally.stale;
      return;
    }
    if (phase_ != swarm_.phase_) {
      phase_ = swarm_.phase_;
      seen_.clear();
    }
    if (nonce->seq >= seen_.size())
      seen_.resize(std::max<std::size_t>(nonce->seq + 1, seen_.size() * 2), false);
    if (seen_[nonce->seq]) {
      ++tally.duplicates;
      return;
    }
    seen_[nonce->seq] = true;
    auto now = monotonic_ns();
    tally.latency.record((now - nonce->sent_ns) / 1000);
    ++tally.received;
    ++tally.distinct[room_];
    tally.last_ns = std::max(tally.last_ns, now);
  }

  void go_live() {
    live_ = true;
    ++swarm_.tally_.sockets[room_];
    swarm_.settled(true);
  }

  // Writes are rare (the hello, a pong): one in flight, the rest wait behind it.
  void write(std::string frame) {
    pending_.push_back(std::move(frame));
    if (pending_.size() == 1) write_front();
  }

  void write_front() {
    ws_->async_write(asio::buffer(pending_.front()),
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       self->pending_.erase(self->pending_.begin());
                       if (!ec && !self->pending_.empty()) self->write_front();
                     });
  }

  void give_up_or_retry() {
    beast::error_code ignored;
    beast::get_lowest_layer(*ws_).socket().close(ignored);
    if (attempts_ >= connect_attempts) return swarm_.settled(false);
    retry_.expires_after(std::chrono::milliseconds(200 * attempts_));
    retry_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec) return;
      self->start();
    });
  }

  ObserverSwarm& swarm_;
  std::size_t index_;
  unsigned room_;
  std::optional<websocket::stream<beast::tcp_stream>> ws_;
  asio::steady_timer retry_;
  beast::flat_buffer buffer_;
  std::string first_frame_, reply_;
  std::vector<std::string> pending_;
  std::vector<bool> seen_;  // by nonce seq, for phase_
  unsigned phase_ = 0;
  int attempts_ = 0;
  bool live_ = false;
};

ObserverSwarm::ObserverSwarm(asio::io_context& ioc, SwarmPlan plan)
    : ioc_(ioc), plan_(std::move(plan)) {
  tally_.distinct.assign(plan_.rooms.size(), 0);
  tally_.sockets.assign(plan_.rooms.size(), 0);
}

ObserverSwarm::~ObserverSwarm() = default;

void ObserverSwarm::start(std::function<void(std::size_t, std::size_t)> ready) {
  ready_ = std::move(ready);
  observers_.reserve(plan_.count);
  if (plan_.count == 0) return ready_(0, 0);
  launch_next();
}

void ObserverSwarm::launch_next() {
  // A bounded number of handshakes at once: a burst of 10,000 SYNs overflows the accept queue.
  while (in_flight_ < plan_.connects_in_flight && launched_ < plan_.count) {
    auto observer = std::make_shared<Observer>(*this, plan_.first + launched_++);
    observers_.push_back(observer);
    ++in_flight_;
    observer->start();
  }
}

void ObserverSwarm::settled(bool live) {
  --in_flight_;
  ++(live ? live_ : failed_);
  if (live_ + failed_ == plan_.count) {
    if (ready_) std::exchange(ready_, nullptr)(live_, failed_);
    return;
  }
  launch_next();
}

void ObserverSwarm::begin_phase(unsigned phase) {
  auto sockets = std::move(tally_.sockets);
  auto closed = tally_.closed;
  tally_ = PhaseTally{};
  tally_.distinct.assign(plan_.rooms.size(), 0);
  tally_.sockets = std::move(sockets);
  tally_.closed = closed;
  phase_ = phase;
}

}  // namespace puente::loadgen
