#pragma once
// A Redis connection in subscribe mode (SSUBSCRIBE for live channels, SUBSCRIBE for keyspace
// notifications; subscriber.cpp): its own hiredis context (a subscribed context refuses
// ordinary commands), the same strand and reconnect discipline as Connection. The channel set
// is remembered; after every reconnect it is SUBSCRIBEd again and on_resubscribed fires, so
// the owner can replay from history what pub/sub dropped while the link was down. Before that,
// as the reconnected link comes up, on_resubscribing fires: the owner starts holding what comes
// live from there, or a message it passed on first would make the replay start after the gap.

#include "redis/connection.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace puente::redis {

class Subscriber : public std::enable_shared_from_this<Subscriber> {
 public:
  // Called on the subscriber's strand for every message; payload is binary-safe.
  using MessageHandler =
      std::function<void(const std::string& channel, const std::string& payload)>;

  static std::shared_ptr<Subscriber> create(boost::asio::any_io_executor executor,
                                            ConnectionOptions options);
  virtual ~Subscriber() = default;

  virtual void start() = 0;
  virtual void stop() = 0;
  virtual bool connected() const = 0;  // thread-safe

  // Adds channels; takes effect now if connected, else on connect. Thread-safe.
  virtual void subscribe(std::vector<std::string> channels) = 0;
  // Adds a handler; every handler sees every message (each picks its own channels).
  virtual void on_message(MessageHandler handler) = 0;
  // Adds a callback, called on the strand as a reconnected link comes up, before it subscribes
  // again and so before any message it brings (not on the first connect; again if that link
  // drops before its channels are back).
  virtual void on_resubscribing(std::function<void()> callback) = 0;
  // Adds a callback, called on the strand once the channels are subscribed again after a
  // reconnect (not after the first connect).
  virtual void on_resubscribed(std::function<void()> callback) = 0;
  virtual std::uint64_t reconnects() const = 0;
};

}  // namespace puente::redis
