#pragma once
// One Redis connection for commands: hiredis's async API driven by Asio.
//
// Every hiredis call for the context happens on the connection's strand; execute() may be
// called from any thread and posts there. The connection connects on start() and, whenever
// the link drops, reconnects with exponential backoff (a new context each time: hiredis never
// reuses one); with sentinels configured it looks the primary up again first (see
// ConnectionOptions::sentinels). A command that gets no reply within its deadline tears the
// link down (replies come in order, so one lost reply poisons every later one) and fails with
// `timeout`; the link then reconnects. While disconnected, execute() fails at once with
// `not_connected`, so a caller can answer 503 instead of hanging. A -READONLY error reply (the
// primary was demoted to a replica under us) is passed to its caller and then drops the link, so
// the reconnect finds the primary wherever it is now.

#include "redis/reply.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace puente::redis {

enum class Errc {
  not_connected = 1,  // no link to Redis right now
  timeout,            // no reply within the command deadline
  disconnected,       // the link dropped while the command was in flight
  stopped,            // stop() was called
};
const boost::system::error_category& category();
boost::system::error_code make_error_code(Errc e);

struct Endpoint {
  std::string host = "127.0.0.1";  // a name is resolved with Asio before connecting
  unsigned short port = 6379;
  bool operator==(const Endpoint&) const = default;
};

struct ConnectionOptions {
  Endpoint endpoint;  // ignored when `sentinels` is set
  // Redis Sentinel: if not empty, every (re)connect first asks these, in turn, where the
  // primary of `master_name` is now, connects there and checks with ROLE that it is a master
  // (a demoted primary must not be written to). A failover drops the link (Sentinel kills the
  // old primary's clients; a write it refuses with -READONLY drops it too) and the reconnect
  // asks again. Each sentinel gets connect_timeout to answer; the one that answered is asked
  // first next time.
  std::vector<Endpoint> sentinels;
  std::string master_name = "puente";  // the name in `sentinel monitor <name> ...`
  // Redis Cluster (issue 23): if not empty, the link is bound to one hash slot, `cluster_slot`
  // (every key and channel of a network shares one hash tag, so one slot). Every (re)connect
  // asks these nodes, in turn (then the nodes learned from their answers and from redirects),
  // CLUSTER SLOTS for the primary serving the slot, connects there and checks with ROLE that it
  // is a primary. -MOVED, -ASK, -TRYAGAIN and -CLUSTERDOWN never reach a command's caller: the
  // command runs again within its deadline, where MOVED points (re-linking) or once on the node
  // ASK names (ASKING, on a side link to it, AUTH as this one: connection_redirects.cpp).
  // Exclusive with `sentinels`; `endpoint` is then ignored.
  std::vector<Endpoint> cluster;
  std::uint16_t cluster_slot = 0;
  // Redis ACL (deploy/redis/users.acl): if `user` is set, every link sends `AUTH user
  // <password>` first, before anything else, on every (re)connect. The password is read from
  // `password_file` at each attempt (its first line), so a rotated password is picked up by the
  // next reconnect without a restart. Empty `user`: no AUTH (a Redis open to its network).
  std::string user;
  std::string password_file;
  // The same for the sentinels, which keep users of their own (`user` lines in sentinel.conf):
  // each query sends AUTH before SENTINEL get-master-addr-by-name. Empty: no AUTH to sentinels.
  std::string sentinel_user;
  std::string sentinel_password_file;
  std::string name = "puente";  // CLIENT SETNAME, shows in CLIENT LIST
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds command_timeout{2000};
  std::chrono::milliseconds reconnect_min{50};    // first retry delay; doubles each failure
  std::chrono::milliseconds reconnect_max{2000};  // cap on the retry delay
};

// Called exactly once per command, on the connection's strand. A server error reply
// ("-ERR ...") is not an error_code: it arrives as a Reply of type error.
using ReplyHandler = std::function<void(boost::system::error_code, Reply)>;

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  static std::shared_ptr<Connection> create(boost::asio::any_io_executor executor,
                                            ConnectionOptions options);
  virtual ~Connection() = default;

  virtual void start() = 0;
  // Fails pending commands with `stopped`, disconnects, and stops reconnecting.
  virtual void stop() = 0;
  virtual bool connected() const = 0;  // thread-safe

  // Runs one command, given as its arguments ({"HSET", key, field, value}); binary-safe.
  virtual void execute(std::vector<std::string> args, ReplyHandler handler) = 0;
  // The same for a command its caller keeps too, shared instead of copied (a script's run keeps
  // its arguments to send them again as EVAL if Redis lost the script). The command is read
  // only while it is sent, before the handler runs.
  virtual void execute_shared(std::shared_ptr<const std::vector<std::string>> args,
                              ReplyHandler handler) = 0;

  // Called on the strand each time the link comes up (true) or goes down (false).
  virtual void on_link_change(std::function<void(bool up)> callback) = 0;

  // How many times the link has been re-established after the first connect.
  virtual std::uint64_t reconnects() const = 0;
};

}  // namespace puente::redis

namespace boost::system {
template <>
struct is_error_code_enum<puente::redis::Errc> : std::true_type {};
}  // namespace boost::system
