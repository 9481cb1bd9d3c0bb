#include "redis/sentinel_query.hpp"

#include "redis/cluster_reply.hpp"
#include "redis/password_file.hpp"
#include "redis/reply_from_hiredis.hpp"

#include <hiredis/hiredis.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include <cassert>
#include <charconv>
#include <utility>

namespace puente::redis {
namespace {

// A sentinel's answer is under 100 bytes; past this it is not a sentinel talking.
constexpr std::size_t max_reply_bytes = 64 * 1024;

// One command in RESP; bulk strings, so any name or password is safe.
std::string encode_sentinel_command(const std::vector<std::string>& args) {
  std::string out = "*" + std::to_string(args.size()) + "\r\n";
  for (const std::string& arg : args) {
    out += "$" + std::to_string(arg.size()) + "\r\n" + arg + "\r\n";
  }
  return out;
}

std::optional<unsigned short> parse_port(const std::string& text) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value == 0 || value > 65535) {
    return std::nullopt;
  }
  return static_cast<unsigned short>(value);
}

struct ReplyDeleter {
  void operator()(void* reply) const { freeReplyObject(reply); }
};

// SENTINEL get-master-addr-by-name answers [host, port], or nil for a name it does not watch.
SentinelQuery::Answer read_sentinel_answer(const Reply& reply, const Endpoint&,
                                           const std::string& master_name) {
  if (reply.is_nil()) {
    return {std::nullopt, 0, "does not monitor a master named \"" + master_name + "\"", {}};
  }
  if (reply.is_error()) {
    return {std::nullopt, 0, "answered " + reply.str, {}};  // e.g. IDONTKNOW while starting
  }
  if (reply.type != Reply::Type::array || reply.elements.size() != 2 ||
      reply.elements[0].type != Reply::Type::string ||
      reply.elements[1].type != Reply::Type::string || reply.elements[0].str.empty()) {
    return {std::nullopt, 0, "answered something that is not [host, port]", {}};
  }
  const auto port = parse_port(reply.elements[1].str);
  if (!port) {
    return {std::nullopt, 0, "answered a bad port", {}};
  }
  return {Endpoint{reply.elements[0].str, *port}, 0, {}, {}};
}

}  // namespace

std::shared_ptr<SentinelQuery> SentinelQuery::start(boost::asio::any_io_executor executor,
                                                    std::vector<Endpoint> sentinels,
                                                    std::string master_name,
                                                    std::chrono::milliseconds timeout,
                                                    SentinelAuth auth, Callback callback) {
  assert(!sentinels.empty() && "SentinelQuery needs at least one sentinel");
  std::vector<std::string> question{"SENTINEL", "get-master-addr-by-name", master_name};
  return begin(std::shared_ptr<SentinelQuery>(new SentinelQuery(
                   std::move(executor), std::move(sentinels), std::move(master_name), timeout,
                   std::move(callback), std::move(question), &read_sentinel_answer)),
               auth);
}

std::shared_ptr<SentinelQuery> SentinelQuery::start_slot_owner(
    boost::asio::any_io_executor executor, std::vector<Endpoint> nodes, std::uint16_t slot,
    std::chrono::milliseconds timeout, SentinelAuth auth, Callback callback) {
  assert(!nodes.empty() && "a cluster query needs at least one node");
  auto interpret = [slot](const Reply& reply, const Endpoint& asked, const std::string&) {
    if (reply.is_error()) {
      return Answer{std::nullopt, 0, "answered " + reply.str, {}};
    }
    auto owner = owner_of_slot(reply, slot, asked);
    return Answer{std::move(owner), 0,
                  owner ? std::string{} : "names no primary for slot " + std::to_string(slot),
                  nodes_of(reply, asked)};
  };
  return begin(std::shared_ptr<SentinelQuery>(new SentinelQuery(
                   std::move(executor), std::move(nodes), "slot " + std::to_string(slot), timeout,
                   std::move(callback), {"CLUSTER", "SLOTS"}, std::move(interpret))),
               auth);
}

std::shared_ptr<SentinelQuery> SentinelQuery::begin(std::shared_ptr<SentinelQuery> query,
                                                    const SentinelAuth& auth) {
  if (!auth.user.empty()) {
    // AUTH goes in the same write, ahead of the question; its answer is read first.
    const PasswordRead read = read_password_file(auth.password_file);
    if (!read.password) {
      // Answered later, as every answer is: the caller has not stored the query yet.
      boost::asio::post(query->resolver_.get_executor(), [query, why = read.why] {
        if (!query->done_) {
          query->finish(Answer{std::nullopt, 0, "cannot authenticate: " + why, {}});
        }
      });
      return query;
    }
    query->auth_user_ = auth.user;
    query->request_ =
        encode_sentinel_command({"AUTH", auth.user, *read.password}) + query->request_;
  }
  query->ask_next();
  return query;
}

SentinelQuery::SentinelQuery(boost::asio::any_io_executor executor, std::vector<Endpoint> sentinels,
                             std::string master_name, std::chrono::milliseconds timeout,
                             Callback callback, std::vector<std::string> question,
                             Interpreter interpret)
    : sentinels_(std::move(sentinels)),
      master_name_(std::move(master_name)),
      timeout_(timeout),
      callback_(std::move(callback)),
      interpret_(std::move(interpret)),
      resolver_(executor),
      socket_(executor),
      deadline_(executor),
      request_(encode_sentinel_command(question)) {}

SentinelQuery::~SentinelQuery() {
  if (reader_ != nullptr) {
    redisReaderFree(reader_);
  }
}

void SentinelQuery::cancel() {
  if (done_) {
    return;
  }
  done_ = true;
  callback_ = nullptr;
  boost::system::error_code ignored;
  resolver_.cancel();
  socket_.close(ignored);
  deadline_.cancel();
}

void SentinelQuery::ask_next() {
  if (done_) {
    return;
  }
  if (current_ >= sentinels_.size()) {
    finish(Answer{std::nullopt, 0, "no one knows the primary (" + failures_ + ")", {}});
    return;
  }
  timed_out_ = false;
  received_ = 0;
  awaiting_auth_ = !auth_user_.empty();
  if (reader_ != nullptr) {
    redisReaderFree(reader_);
  }
  reader_ = redisReaderCreate();
  if (reader_ == nullptr) {
    finish(Answer{std::nullopt, 0, "out of memory", {}});
    return;
  }

  const Endpoint& sentinel = sentinels_[current_];
  deadline_.expires_after(timeout_);
  deadline_.async_wait(
      [self = shared_from_this(), sentinel = current_](const boost::system::error_code& ec) {
        self->on_deadline(ec, sentinel);
      });
  resolver_.async_resolve(
      sentinel.host, std::to_string(sentinel.port), boost::asio::ip::tcp::resolver::numeric_service,
      [self = shared_from_this()](const boost::system::error_code& ec,
                                  const boost::asio::ip::tcp::resolver::results_type& results) {
        self->on_resolved(ec, results);
      });
}

void SentinelQuery::on_resolved(const boost::system::error_code& ec,
                                const boost::asio::ip::tcp::resolver::results_type& results) {
  if (ec) {
    skip(failure("resolve", ec));
    return;
  }
  if (done_) {
    return;
  }
  boost::asio::async_connect(socket_, results,
                             [self = shared_from_this()](const boost::system::error_code& ec,
                                                         const boost::asio::ip::tcp::endpoint&) {
                               self->on_connected(ec);
                             });
}

void SentinelQuery::on_connected(const boost::system::error_code& ec) {
  if (ec) {
    skip(failure("connect", ec));
    return;
  }
  if (done_) {
    return;
  }
  boost::asio::async_write(socket_, boost::asio::buffer(request_),
                           [self = shared_from_this()](const boost::system::error_code& ec,
                                                       std::size_t) { self->on_written(ec); });
}

void SentinelQuery::on_written(const boost::system::error_code& ec) {
  if (ec) {
    skip(failure("write", ec));
    return;
  }
  if (done_) {
    return;
  }
  read_some();
}

void SentinelQuery::read_some() {
  socket_.async_read_some(
      boost::asio::buffer(buffer_),
      [self = shared_from_this()](const boost::system::error_code& ec, std::size_t bytes) {
        self->on_read(ec, bytes);
      });
}

void SentinelQuery::on_read(const boost::system::error_code& ec, std::size_t bytes) {
  if (ec) {
    skip(failure("read", ec));
    return;
  }
  if (done_) {
    return;
  }
  received_ += bytes;
  if (redisReaderFeed(reader_, buffer_.data(), bytes) != REDIS_OK) {
    skip("out of memory");
    return;
  }
  void* raw = nullptr;
  if (redisReaderGetReply(reader_, &raw) != REDIS_OK) {
    skip("sent something that is not RESP");
    return;
  }
  if (raw == nullptr) {
    // The reply is not complete yet; a tiny one arrives in one segment nearly always.
    if (received_ > max_reply_bytes) {
      skip("sent an oversized reply");
      return;
    }
    read_some();
    return;
  }
  const std::unique_ptr<void, ReplyDeleter> owned(raw);
  const Reply reply = reply_from_hiredis(*static_cast<const redisReply*>(raw));
  if (awaiting_auth_) {
    if (reply.is_error()) {
      skip("refused AUTH as " + auth_user_ + ": " + reply.str);  // the reply names no secret
      return;
    }
    // The answer to the question may already be in the reader: read on without new bytes.
    awaiting_auth_ = false;
    on_read({}, 0);
    return;
  }

  Answer answer = interpret_(reply, sentinels_[current_], master_name_);
  if (!answer.primary) {
    skip(answer.why);
    return;
  }
  answer.sentinel = current_;
  finish(std::move(answer));
}

void SentinelQuery::on_deadline(const boost::system::error_code& ec, std::size_t sentinel) {
  if (ec == boost::asio::error::operation_aborted) {
    return;  // answered, or moved on to the next sentinel
  }
  if (done_ || sentinel != current_) {
    return;  // fired just as the exchange it was set for ended
  }
  // Abort whatever step is pending: its handler sees the error and moves on (skip).
  timed_out_ = true;
  boost::system::error_code ignored;
  resolver_.cancel();
  socket_.close(ignored);
}

void SentinelQuery::skip(const std::string& why) {
  if (done_) {
    return;
  }
  const Endpoint& sentinel = sentinels_[current_];
  if (!failures_.empty()) {
    failures_ += "; ";
  }
  failures_ += sentinel.host + ":" + std::to_string(sentinel.port) + " " + why;

  boost::system::error_code ignored;
  socket_.close(ignored);
  deadline_.cancel();
  ++current_;
  ask_next();
}

void SentinelQuery::finish(Answer answer) {
  done_ = true;
  boost::system::error_code ignored;
  socket_.close(ignored);
  deadline_.cancel();
  Callback callback = std::exchange(callback_, nullptr);
  if (callback) {
    callback(std::move(answer));
  }
}

std::string SentinelQuery::failure(const char* step, const boost::system::error_code& ec) const {
  if (timed_out_) {
    return "gave no answer within " + std::to_string(timeout_.count()) + " ms";
  }
  if (ec == boost::asio::error::eof) {
    return "closed the connection";
  }
  return std::string(step) + " failed: " + ec.message();
}

}  // namespace puente::redis
