#include "report_stream.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace puente::loadgen {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {
constexpr auto tick_interval = std::chrono::milliseconds(1);
constexpr auto request_timeout = std::chrono::seconds(30);
}  // namespace

// One keep-alive connection with one request in flight; reconnects after an error.
class ReportStream::Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(ReportStream& stream, const client::ServerAddress& server)
      : stream_(stream),
        server_(server),
        endpoint_(asio::ip::make_address(server.host), server.port) {}

  bool busy() const { return busy_; }

  void send(Publication publication, std::size_t room) {
    busy_ = true;
    room_ = room;
    request_ = {http::verb::post, publication.path, 11};
    request_.set(http::field::host, server_.to_string());
    request_.set(http::field::content_type, "application/json");
    if (!stream_.plan_.token.empty())
      request_.set(http::field::authorization, "Bearer " + stream_.plan_.token);
    request_.keep_alive(true);
    request_.body() = std::move(publication.body);
    request_.prepare_payload();
    started_ns_ = monotonic_ns();
    if (!stream_socket_) {
      stream_socket_.emplace(stream_.ioc_);
      stream_socket_->expires_after(request_timeout);
      stream_socket_->async_connect(endpoint_, [self = shared_from_this()](beast::error_code ec) {
        if (ec) return self->finish(false, "connect: " + ec.message());
        self->write();
      });
      return;
    }
    write();
  }

 private:
  void write() {
    stream_socket_->expires_after(request_timeout);
    http::async_write(
        *stream_socket_, request_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
          if (ec) return self->finish(false, "write: " + ec.message());
          self->response_ = {};
          http::async_read(
              *self->stream_socket_, self->buffer_, self->response_,
              [self](beast::error_code ec, std::size_t) {
                if (ec) return self->finish(false, "read: " + ec.message());
                auto status = self->response_.result_int();
                bool ok = status >= 200 && status < 300;
                if (!self->response_.keep_alive()) self->stream_socket_.reset();
                self->finish(
                    ok, ok ? "" : "HTTP " + std::to_string(status) + " " + self->response_.body());
              });
        });
  }

  void finish(bool ok, const std::string& error) {
    if (!error.empty() && error.rfind("HTTP", 0) != 0) stream_socket_.reset();
    busy_ = false;
    stream_.answered(room_, ok, (monotonic_ns() - started_ns_) / 1000, error);
  }

  ReportStream& stream_;
  client::ServerAddress server_;
  tcp::endpoint endpoint_;
  std::optional<beast::tcp_stream> stream_socket_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
  std::size_t room_ = 0;
  std::int64_t started_ns_ = 0;
  bool busy_ = false;
};

ReportStream::ReportStream(asio::io_context& ioc, StreamPlan plan)
    : ioc_(ioc),
      plan_(std::move(plan)),
      timer_(ioc),
      next_seq_(plan_.room_count, 0),
      accepted_per_room_(plan_.room_count, 0) {
  for (unsigned c = 0; c < plan_.connections; ++c)
    connections_.push_back(
        std::make_shared<Connection>(*this, plan_.servers[c % plan_.servers.size()]));
}

ReportStream::~ReportStream() = default;

void ReportStream::start(std::function<void()> done) {
  done_ = std::move(done);
  start_ = std::chrono::steady_clock::now();
  start_ns_ = monotonic_ns();
  tick();
}

void ReportStream::tick() {
  auto elapsed = std::chrono::steady_clock::now() - start_;
  if (elapsed >= plan_.duration) {
    elapsed = plan_.duration;
    schedule_over_ = true;
  }
  due_ = static_cast<std::uint64_t>(plan_.rate * std::chrono::duration<double>(elapsed).count());
  pump();
  if (schedule_over_) return;
  timer_.expires_after(tick_interval);
  timer_.async_wait([this](beast::error_code ec) {
    if (!ec) tick();
  });
}

bool ReportStream::take(Publication& out, std::size_t& room) {
  if (sent_ >= due_) return false;
  room = sent_ % plan_.room_count;
  const auto& where = (*plan_.rooms)[plan_.room_first + room];
  auto seq = next_seq_[room]++;
  // Point and kind cycle together, so a room's reports differ in place or kind for
  // points x kinds messages in a row: dedup never merges two of them.
  auto combo = seq % (where.points.size() * std::size(report_kinds));
  const auto& [lat, lon] = where.points[combo % where.points.size()];
  const char* kind = report_kinds[combo / where.points.size()];
  // Stamped with the time the schedule meant it to go, not when a connection was free: a server
  // slow to answer posts delays the next ones, and that wait is part of what an observer sees
  // (no coordinated omission).
  // tick() releases the n-th message (from 0) once n + 1 are due, so its time is (n + 1) / rate;
  // stamping n / rate added one whole interval to every latency (100 ms at 10 posts/s).
  auto due_ns =
      start_ns_ + static_cast<std::int64_t>(static_cast<double>(sent_ + 1) * 1e9 / plan_.rate);
  Nonce nonce{plan_.phase, plan_.room_offset + static_cast<unsigned>(room), seq, due_ns};
  out = publication(plan_.target, where.slug, lat, lon, kind, nonce);
  ++sent_;
  return true;
}

void ReportStream::pump() {
  for (auto& connection : connections_) {
    if (connection->busy()) continue;
    Publication next;
    std::size_t room = 0;
    if (!take(next, room)) break;
    connection->send(std::move(next), room);
  }
  if (schedule_over_ && answered_ == sent_ && sent_ >= due_ && done_)
    std::exchange(done_, nullptr)();
}

void ReportStream::answered(std::size_t room, bool ok, std::int64_t micros,
                            const std::string& error) {
  ++answered_;
  last_answer_ns_ = monotonic_ns();
  answer_latency_.record(micros);
  if (ok) {
    ++accepted_;
    ++accepted_per_room_[room];
  } else {
    ++failed_;
    last_error_ = error;
  }
  pump();
}

double ReportStream::seconds() const {
  return static_cast<double>(last_answer_ns_ - start_ns_) / 1e9;
}

}  // namespace puente::loadgen
