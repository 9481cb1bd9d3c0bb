#pragma once
// This node's share of presence (store/presence_store.hpp): it counts each responder's sockets
// here, vouches for a responder in Redis as soon as their first socket says hello, and
// withdraws a responder when their last socket here closes. Every third of the expiry it says
// it is alive for another expiry (so two lost refreshes do not make anyone vanish); its word
// for each responder lasts words_per_alive times as long and is repeated every words_per_alive
// refreshes. Readers count a responder's word only while their node's stands, so if the node
// dies everyone it held stops counting within the expiry, as before, while a quiet refresh
// writes one entry instead of one per responder held (10,000 at a busy node; issue 22). If
// Redis answers that it held no word of the node's (it lost its data), everyone's is repeated
// at once.
//
// Its id in Redis is the configured node id and a random part of this process's, so a node
// restarted under the same id within a word's life does not count the sockets it had before.

#include "net/hub_frame.hpp"
#include "store/presence_store.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace puente::app {

class Presence : public std::enable_shared_from_this<Presence> {
 public:
  Presence(boost::asio::any_io_executor executor, store::PresenceStore& store, std::string node_id,
           std::chrono::seconds expiry);

  // How many times longer a word for a responder lasts than the node's own word, and so how
  // many refreshes apart it is repeated.
  static constexpr int words_per_alive = 10;

  void start();
  void stop();  // thread-safe

  // A socket of `responder_id` said hello / closed. Thread-safe.
  void arrived(const std::string& responder_id);
  void left(const std::string& responder_id);

  // Which of `responder_ids` hold a live socket on some node at `now`. The ones with a socket
  // here are known without asking; the store is asked about the rest only (with one node,
  // about nobody). `done` may run before this returns. Thread-safe.
  void connected_among(const std::vector<std::string>& responder_ids,
                       std::chrono::system_clock::time_point now,
                       std::function<void(store::Outcome, std::set<std::string>)> done);
  // How many of `responder_ids` (distinct) connected_among would name, without building the set:
  // a report's answer counts its reach, and the set's inserts were 3% of a report's work.
  // The ids are views (core::asked_to_come's, into the report's incident): read before this
  // returns, never kept.
  void count_connected_among(const std::vector<std::string_view>& responder_ids,
                             std::chrono::system_clock::time_point now,
                             std::function<void(store::Outcome, std::size_t)> done);

 private:
  // Each of `responder_ids` with a socket here goes to `here`; the rest are returned.
  template <class Ids, class Here>
  std::vector<std::string> not_here(const Ids& responder_ids, Here here);
  void schedule_refresh();
  void refresh();
  void withdraw(const std::string& responder_id);  // under mutex_
  // The node's word that it is alive, and everyone's if Redis had none of the node's. Under mutex_.
  void vouch_alive(std::chrono::system_clock::time_point now);
  void vouch_all(std::chrono::system_clock::time_point now);  // every responder held; under mutex_

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  boost::asio::steady_timer timer_;
  store::PresenceStore& store_;
  std::string node_id_;
  std::chrono::seconds expiry_;
  int refreshes_ = 0;  // on the strand
  std::mutex mutex_;   // sockets_, and the order of the store calls made under it
  // Hashes a responder id as a string or a view, so a view is looked up without a copy, with
  // the hub's hash for recipients' ids (net/hub_frame.hpp): a report's answer looks up its 100
  // recipients here, and std::hash's general-purpose loop cost ~13,000 instructions of that
  // (issue 22).
  struct IdHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view id) const { return net::RecipientKey(id).hash; }
  };
  // responder id -> open sockets on this node; looked up per recipient of every report
  std::unordered_map<std::string, int, IdHash, std::equal_to<>> sockets_;
  std::set<std::string> unwithdrawn_;  // gone from here, but Redis did not take the withdrawal
  bool stopped_ = false;
};

}  // namespace puente::app
