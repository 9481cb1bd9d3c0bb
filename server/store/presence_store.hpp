#pragma once
// Who holds a live socket, across all nodes.
//
// One sorted set, {p}presence: member "<responder id> <node id>", score the time (ms) until
// which that node vouches that the responder holds a socket on it. A node vouches for a
// responder when their first socket there says hello, again for all of them now and then, and
// withdraws when their last socket there closes; a node that dies stops vouching and its
// members expire. Readers count only scores in the future, and refreshes delete the expired
// ones, so the set stays about as small as the crowd that is connected.
//
// Beside it {p}presence:nodes holds each vouching node with the time until which it is alive.
// A reader counts a responder's word only while its node's stands too, and asks about the
// responders it cares about (the words of the other live nodes about them, in one command) instead
// of reading the whole crowd: a report's receipt counts its recipients, thousands of times a minute
// on a bad night, while ten thousand observers are connected. So a node that dies stops counting
// when its own word lapses, and its responders' words may last longer: a node repeats its own often
// (one ZADD) and theirs seldom (one member each; app/live/presence.hpp, issue 22).
//
// The node id here is the process's (app/live/presence.hpp: the configured id and a random
// part): a node restarted under the same id does not vouch again for the sockets it had.

#include "redis/connection.hpp"
#include "store/incident_store.hpp"
#include "store/keys.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace puente::store {

class PresenceStore {
 public:
  PresenceStore(std::shared_ptr<redis::Connection> redis, Keys keys);

  // `node_id` vouches for each of `responder_ids` until `until`. Fire and forget: a later
  // refresh repeats it.
  void vouch(const std::string& node_id, const std::vector<std::string>& responder_ids,
             std::chrono::system_clock::time_point until);
  // `node_id` is alive until `until` (never moved back): its words count until then. The next
  // refresh repeats it. `new_to_redis(true)` if Redis held no word of the node's before (its
  // first, or Redis lost its data: its responders' words are gone too).
  void vouch_alive(const std::string& node_id, std::chrono::system_clock::time_point until,
                   std::function<void(bool new_to_redis)> new_to_redis);
  // Drops what no node vouches for any more (at a refresh, not at each arrival: a node
  // restarting brings thousands of arrivals at once). Fire and forget.
  void prune_expired();
  // `node_id` no longer holds a socket of `responder_id`. `done(false)` if Redis did not take it.
  void withdraw(const std::string& node_id, const std::string& responder_id,
                std::function<void(bool)> done);
  // Which of `responder_ids` some node other than `asking_node` vouches for at `now`. The node
  // asking knows its own sockets (app/live/presence.hpp) and asks about the rest only; a word
  // of its own still in Redis is one on its way out.
  void connected_among(std::vector<std::string> responder_ids,
                       std::chrono::system_clock::time_point now, const std::string& asking_node,
                       std::function<void(Outcome, std::set<std::string>)> done);
  // How many of `responder_ids` (distinct) connected_among would name: a report's receipt
  // needs the number only, not a set built.
  void count_connected_among(std::vector<std::string> responder_ids,
                             std::chrono::system_clock::time_point now,
                             const std::string& asking_node,
                             std::function<void(Outcome, std::size_t)> done);

 private:
  // For each of the ids asked about, whether some node vouches for them at `now` (empty if
  // Redis did not answer).
  using Connected = std::function<void(Outcome, const std::vector<std::string>& asked,
                                       const std::vector<bool>& connected)>;
  void ask_connected(std::vector<std::string> responder_ids,
                     std::chrono::system_clock::time_point now, const std::string& asking_node,
                     Connected done);

  struct Reading;    // one ask_connected under way (presence_store.cpp)
  struct NodesSeen;  // the live nodes the last read found, shared with the reads under way
  // The words of `nodes` about `reading`'s ids, one ZMSCORE; `done` has the scores.
  static void ask_words(const std::shared_ptr<Reading>& reading,
                        const std::vector<std::string>& nodes,
                        std::function<void(redis::Reply)> done);
  // Both replies of the round trip are in: the answer, or first the words of the nodes that
  // came alive since the last read.
  static void finish(const std::shared_ptr<Reading>& reading);

  std::shared_ptr<redis::Connection> redis_;
  Keys keys_;
  std::shared_ptr<NodesSeen> seen_;
};

}  // namespace puente::store
