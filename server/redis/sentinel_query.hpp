#pragma once
// Asks Redis Sentinels where the primary of one master name is, before a link connects
// (private to the Redis layer). The same exchange asks the nodes of a Redis Cluster which
// primary owns a slot (start_slot_owner: CLUSTER SLOTS, read by cluster_reply.hpp).
//
// One query walks the sentinels in the order given: for each, resolve, TCP connect, send
// `AUTH user password` if the sentinels want it (SentinelAuth) and
// `SENTINEL get-master-addr-by-name <name>` in one write, read the reply (AUTH's first) (a
// 2-element array: host, port). The first usable answer ends the query; a sentinel that refuses,
// times out, does not know the name (nil) or answers an error is skipped. Each sentinel gets
// `timeout` for the whole exchange: a stalled sentinel (it accepts TCP but answers nothing) must
// not hold the link down while its peers could answer.
//
// This speaks RESP on a plain Asio socket rather than through a hiredis async context: the
// exchange is one short request and one short reply, and a second context with its own adapter
// and ownership rules inside Link would be far more code than the reply parser, which is
// hiredis's own redisReader anyway.
//
// Everything runs on the executor given (the link's strand). Pending operations hold the query
// alive; cancel() makes it end without calling the callback.

#include "redis/connection.hpp"
#include "redis/reply.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct redisReader;

namespace puente::redis {

// Who the query is to the sentinels (ConnectionOptions::sentinel_user): empty user, no AUTH.
struct SentinelAuth {
  std::string user;
  std::string password_file;  // read once per query
};

class SentinelQuery : public std::enable_shared_from_this<SentinelQuery> {
 public:
  struct Answer {
    std::optional<Endpoint> primary;  // empty: no sentinel gave a usable answer
    std::size_t sentinel = 0;         // the index of the sentinel that answered
    std::string why;                  // what went wrong, when nothing answered (for logs)
    std::vector<Endpoint> learned;    // cluster: every node the answer named
  };
  // What one node's reply says: a primary, or why it is of no use (plus, for a cluster, the
  // nodes it named).
  using Interpreter =
      std::function<Answer(const Reply& reply, const Endpoint& asked, const std::string& name)>;
  // Called once on the executor, unless cancel() came first.
  using Callback = std::function<void(Answer)>;

  // Starts asking. `sentinels` must not be empty.
  static std::shared_ptr<SentinelQuery> start(boost::asio::any_io_executor executor,
                                              std::vector<Endpoint> sentinels,
                                              std::string master_name,
                                              std::chrono::milliseconds timeout, SentinelAuth auth,
                                              Callback callback);
  // The same walk over the nodes of a Redis Cluster, asking each CLUSTER SLOTS for the primary
  // serving `slot`; `auth` is the [redis] user, which the cluster's nodes share.
  static std::shared_ptr<SentinelQuery> start_slot_owner(boost::asio::any_io_executor executor,
                                                         std::vector<Endpoint> nodes,
                                                         std::uint16_t slot,
                                                         std::chrono::milliseconds timeout,
                                                         SentinelAuth auth, Callback callback);
  ~SentinelQuery();

  SentinelQuery(const SentinelQuery&) = delete;
  SentinelQuery& operator=(const SentinelQuery&) = delete;

  // Aborts the exchange in progress; the callback is never called. Call on the executor.
  void cancel();

 private:
  SentinelQuery(boost::asio::any_io_executor executor, std::vector<Endpoint> sentinels,
                std::string master_name, std::chrono::milliseconds timeout, Callback callback,
                std::vector<std::string> question, Interpreter interpret);
  static std::shared_ptr<SentinelQuery> begin(std::shared_ptr<SentinelQuery> query,
                                              const SentinelAuth& auth);

  void ask_next();
  void on_resolved(const boost::system::error_code& ec,
                   const boost::asio::ip::tcp::resolver::results_type& results);
  void on_connected(const boost::system::error_code& ec);
  void on_written(const boost::system::error_code& ec);
  void read_some();
  void on_read(const boost::system::error_code& ec, std::size_t bytes);
  void on_deadline(const boost::system::error_code& ec, std::size_t sentinel);
  // Ends the exchange with the current sentinel and moves on to the next one.
  void skip(const std::string& why);
  void finish(Answer answer);
  // What the failed step means: a timeout if the deadline aborted it.
  std::string failure(const char* step, const boost::system::error_code& ec) const;

  std::vector<Endpoint> sentinels_;
  std::string master_name_;
  std::chrono::milliseconds timeout_;
  Callback callback_;
  Interpreter interpret_;

  boost::asio::ip::tcp::resolver resolver_;
  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer deadline_;
  std::string request_;  // the RESP command, encoded once
  std::array<char, 512> buffer_{};
  redisReader* reader_ = nullptr;  // fresh for each sentinel
  std::size_t received_ = 0;       // bytes of the current sentinel's reply so far
  std::size_t current_ = 0;        // the sentinel being asked
  std::string failures_;           // "host:port: why; ..." for the log line if all fail
  std::string auth_user_;          // empty: no AUTH before the question
  bool awaiting_auth_ = false;     // the current sentinel's answer to AUTH is not read yet
  bool timed_out_ = false;         // the deadline aborted the current exchange
  bool done_ = false;              // finished or cancelled: nothing more happens
};

}  // namespace puente::redis
