// The subscriber: one Link in subscribe mode, and the set of channels it must hold.
//
// channels_ is every channel ever asked for. On each link up they are all SUBSCRIBEd (in
// batches) and the confirmations counted; when the last one arrives after a reconnect,
// on_resubscribed fires. If confirmations do not arrive within command_timeout, the link is
// dropped and the cycle starts again: a subscriber that silently holds no channels is worse
// than one that reconnects. on_resubscribing fires before the SUBSCRIBEs go out, called at
// once, not posted: a message may come in the same read as a confirmation (or after an early
// batch's), and hiredis hands it to the handlers before anything posted runs.
//
// Live channels are sharded (issue 23): SSUBSCRIBE, answered by `ssubscribe` and `smessage`,
// which SPUBLISH reaches; on a Redis Cluster only the slot's primary (where the link is bound,
// link.hpp) delivers them. Keyspace channels ("__keyspace@...", the token records' changes)
// are node-local and classic: SUBSCRIBE. hiredis 0.14 knows only SUBSCRIBE: it finds the
// callback of a pushed message by its channel in the table SUBSCRIBE filled, and a push it
// cannot place is dropped. So every live channel is SUBSCRIBEd too, just before its
// SSUBSCRIBE (nothing PUBLISHes on it, so nothing comes twice; a classic `message` on it would
// be delivered like any other): then hiredis hands `ssubscribe` and `smessage` to the same
// callback. SSUBSCRIBE's own first answer goes to the callback it queued, the same one.
//
// A `sunsubscribe` (the cluster moved the slot away: a reshard, a failover), or an error reply
// (-MOVED to an SSUBSCRIBE), drops the link: the reconnect reads the topology again, subscribes
// on the slot's new primary and fires on_resubscribed, and the owner replays from history.
//
// hiredis keeps one callback per subscribed channel and calls each once more with a NULL
// reply when the context is freed; its privdata is this object, which outlives every context
// (the Link frees the context before the object's members go).

#include "redis/subscriber.hpp"

#include "redis/link.hpp"

#include <hiredis/async.h>
#include <spdlog/spdlog.h>

#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <exception>
#include <set>
#include <string_view>
#include <utility>

namespace puente::redis {
namespace {

// Channels per SUBSCRIBE: keeps each command a few KB even for thousands of channels.
constexpr std::size_t subscribe_batch = 256;

// Keyspace and keyevent notifications are classic pub/sub; every other channel is sharded.
bool is_node_local(const std::string& channel) {
  return channel.starts_with("__keyspace@") || channel.starts_with("__keyevent@");
}

class ChannelSubscriber final : public Subscriber, private Link::Owner {
 public:
  ChannelSubscriber(boost::asio::any_io_executor executor, ConnectionOptions options)
      : strand_(boost::asio::make_strand(std::move(executor))),
        confirm_deadline_(strand_),
        link_(strand_, std::move(options), "subscriber", *this) {}

  ~ChannelSubscriber() override {
    destroying_ = true;
    link_.stop();
  }

  void start() override {
    boost::asio::post(strand_, [self = self()] { self->link_.start(self->weak_from_this()); });
  }

  void stop() override {
    boost::asio::post(strand_, [self = self()] {
      self->confirm_deadline_.cancel();
      self->link_.stop();
    });
  }

  bool connected() const override { return link_.up(); }
  std::uint64_t reconnects() const override { return link_.reconnects(); }

  void subscribe(std::vector<std::string> channels) override {
    boost::asio::post(
        strand_, [self = self(), channels = std::move(channels)] { self->add_channels(channels); });
  }

  void on_message(MessageHandler handler) override {
    boost::asio::post(strand_, [self = self(), handler = std::move(handler)]() mutable {
      self->message_handlers_.push_back(std::move(handler));
    });
  }

  void on_resubscribing(std::function<void()> callback) override {
    boost::asio::post(strand_, [self = self(), callback = std::move(callback)]() mutable {
      self->resubscribing_callbacks_.push_back(std::move(callback));
    });
  }

  void on_resubscribed(std::function<void()> callback) override {
    boost::asio::post(strand_, [self = self(), callback = std::move(callback)]() mutable {
      self->resubscribed_callbacks_.push_back(std::move(callback));
    });
  }

 private:
  std::shared_ptr<ChannelSubscriber> self() {
    return std::static_pointer_cast<ChannelSubscriber>(shared_from_this());
  }

  void add_channels(const std::vector<std::string>& channels) {
    std::vector<std::string> fresh;
    for (const auto& channel : channels) {
      if (channels_.insert(channel).second) {
        fresh.push_back(channel);
      }
    }
    // Not up: on_link_up subscribes the whole set.
    if (!fresh.empty() && link_.context() != nullptr) {
      send_subscribe(fresh.begin(), fresh.end());
    }
  }

  template <typename Iterator>
  void send_subscribe(Iterator first, Iterator last) {
    std::vector<std::string_view> classic;
    std::vector<std::string_view> sharded;
    for (; first != last; ++first) {
      (is_node_local(*first) ? classic : sharded).push_back(*first);
    }
    // SUBSCRIBE first: hiredis must know a channel before its `ssubscribe` comes back.
    if (!send_batches("SUBSCRIBE", classic) || !send_batches("SUBSCRIBE", sharded) ||
        !send_batches("SSUBSCRIBE", sharded)) {
      return;  // the context is going down; on_link_up will subscribe everything again
    }
    arm_confirm_deadline();
  }

  bool send_batches(std::string_view command, const std::vector<std::string_view>& channels) {
    redisAsyncContext* context = link_.context();
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    for (auto first = channels.begin(); first != channels.end();) {
      argv.assign(1, command.data());
      lengths.assign(1, command.size());
      for (; first != channels.end() && argv.size() <= subscribe_batch; ++first) {
        argv.push_back(first->data());
        lengths.push_back(first->size());
      }
      if (redisAsyncCommandArgv(context, &ChannelSubscriber::on_subscription, this,
                                static_cast<int>(argv.size()), argv.data(),
                                lengths.data()) != REDIS_OK) {
        return false;
      }
      unconfirmed_ += argv.size() - 1;
    }
    return true;
  }

  static void on_subscription(redisAsyncContext*, void* reply, void* privdata) {
    // NULL: the context is being freed (once per channel); on_link_down handles that.
    if (reply != nullptr) {
      static_cast<ChannelSubscriber*>(privdata)->handle_push(
          *static_cast<const redisReply*>(reply));
    }
  }

  void handle_push(const redisReply& reply) {
    if (reply.type == REDIS_REPLY_ERROR) {
      drop_later("Redis refused a subscription: " + std::string(reply.str, reply.len));
      return;
    }
    if (reply.type != REDIS_REPLY_ARRAY || reply.elements < 3 ||
        reply.element[0]->type != REDIS_REPLY_STRING ||
        reply.element[1]->type != REDIS_REPLY_STRING) {
      return;
    }
    const std::string_view kind(reply.element[0]->str, reply.element[0]->len);
    if ((kind == "smessage" || kind == "message") && reply.element[2]->type == REDIS_REPLY_STRING) {
      // Explicit lengths: payloads are binary (serialized protobuf).
      const std::string channel(reply.element[1]->str, reply.element[1]->len);
      const std::string payload(reply.element[2]->str, reply.element[2]->len);
      for (const auto& handler : message_handlers_)
        guarded("message handler", [&] { handler(channel, payload); });
    } else if (kind == "subscribe" || kind == "ssubscribe") {
      confirmed();
    } else if (kind == "sunsubscribe") {
      drop_later("Redis unsubscribed " + std::string(reply.element[1]->str, reply.element[1]->len) +
                 " (its slot moved)");
    }
  }

  void drop_later(std::string why) {
    // Inside a hiredis callback the context cannot be freed: drop it from the strand, once per
    // link (every channel of the slot gets its own `sunsubscribe`).
    boost::asio::post(strand_, [this, guard = weak_from_this(), generation = link_generation_,
                                why = std::move(why)] {
      const auto owner = guard.lock();
      if (!owner || generation != link_generation_ || !link_.up()) {
        return;
      }
      ++link_generation_;
      link_.drop(why);
    });
  }

  void confirmed() {
    if (unconfirmed_ == 0 || --unconfirmed_ > 0) {
      return;
    }
    disarm_confirm_deadline();
    if (resubscribing_) {
      resubscribing_ = false;
      notify_resubscribed();
    }
  }

  void notify_resubscribed() {
    if (destroying_) {
      return;
    }
    spdlog::info("redis subscriber: {} channels subscribed again", channels_.size());
    // Posted: not from inside hiredis. A link lost meanwhile has its callbacks skipped; the next
    // one fires them once its own channels are back (after its on_resubscribing).
    for (const auto& callback : resubscribed_callbacks_) {
      boost::asio::post(strand_,
                        [this, guard = weak_from_this(), generation = link_generation_, callback] {
                          const auto owner = guard.lock();
                          if (owner && generation == link_generation_ && link_.up())
                            guarded("resubscribed callback", callback);
                        });
    }
  }

  template <typename Callable>
  static void guarded(const char* what, Callable&& callable) {
    // Called from inside hiredis callbacks: an exception must not unwind C frames.
    try {
      callable();
    } catch (const std::exception& e) {
      spdlog::error("redis subscriber {} threw: {}", what, e.what());
    } catch (...) {
      spdlog::error("redis subscriber {} threw", what);
    }
  }

  void arm_confirm_deadline() {
    const std::uint64_t generation = ++confirm_generation_;
    confirm_deadline_.expires_after(link_.options().command_timeout);
    confirm_deadline_.async_wait(
        [this, guard = weak_from_this(), generation](const boost::system::error_code& ec) {
          if (ec == boost::asio::error::operation_aborted) {
            return;
          }
          const auto owner = guard.lock();
          if (!owner || generation != confirm_generation_ || unconfirmed_ == 0) {
            return;
          }
          link_.drop(std::to_string(unconfirmed_) + " SUBSCRIBE confirmations missing");
        });
  }

  void disarm_confirm_deadline() {
    ++confirm_generation_;
    confirm_deadline_.cancel();
  }

  void on_link_up(redisAsyncContext*) override {
    ++link_generation_;
    unconfirmed_ = 0;
    resubscribing_ = link_.reconnects() > 0;
    if (resubscribing_) {
      for (const auto& callback : resubscribing_callbacks_)
        guarded("resubscribing callback", callback);
    }
    if (!channels_.empty()) {
      send_subscribe(channels_.begin(), channels_.end());
    } else if (resubscribing_) {
      // Nothing to subscribe: "subscribed again" holds at once.
      resubscribing_ = false;
      notify_resubscribed();
    }
  }

  void on_link_down() override {
    unconfirmed_ = 0;
    resubscribing_ = false;
    disarm_confirm_deadline();
  }

  Strand strand_;
  std::set<std::string> channels_;  // every channel asked for, subscribed on each link up
  std::size_t unconfirmed_ = 0;     // SUBSCRIBE confirmations still expected on this link
  bool resubscribing_ = false;      // this link is a reconnect: fire on_resubscribed when done
  boost::asio::steady_timer confirm_deadline_;
  std::uint64_t confirm_generation_ = 0;
  bool destroying_ = false;
  std::uint64_t link_generation_ = 0;             // counts links up: one drop per link
  std::vector<MessageHandler> message_handlers_;  // each sees every message
  std::vector<std::function<void()>> resubscribing_callbacks_;
  std::vector<std::function<void()>> resubscribed_callbacks_;
  Link link_;  // last: the context it frees calls back into the members above
};

}  // namespace

std::shared_ptr<Subscriber> Subscriber::create(boost::asio::any_io_executor executor,
                                               ConnectionOptions options) {
  return std::make_shared<ChannelSubscriber>(std::move(executor), std::move(options));
}

}  // namespace puente::redis
