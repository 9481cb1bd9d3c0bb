#pragma once
// What a node of a Redis Cluster tells a client, read as plain data (issue 23): which primary
// owns a slot (from a CLUSTER SLOTS reply) and what an error reply asks the client to do
// (-MOVED, -ASK, -TRYAGAIN, -CLUSTERDOWN). Pure functions, so the decisions are unit-tested
// without a cluster; Link and Connection act on their answers.
//
// A CLUSTER SLOTS reply is an array of ranges: [first slot, last slot, [primary ip, port, id,
// ...], [replica ip, port, id, ...]...]. An empty ip ("" or "?", a node that does not know its
// own address yet) means "the node you asked", as the specification says.

#include "redis/connection.hpp"
#include "redis/reply.hpp"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace puente::redis {

// What an error reply from a cluster node means for the command that got it.
enum class ClusterVerdict {
  answer,       // an ordinary reply or error: the caller gets it
  moved,        // the slot has a new owner (`Redirect::to`): follow it and run the command again
  ask,          // the slot is migrating and this key is already at `to`: ask `to` for it once
  try_again,    // a multi-key command during a migration: run it again after a short pause
  cluster_down  // the cluster cannot serve the slot now (a failover): re-read the topology
};

struct Redirect {
  ClusterVerdict verdict = ClusterVerdict::answer;
  std::uint16_t slot = 0;  // moved and ask only
  Endpoint to;             // moved and ask only
};

// Reads "-MOVED 3999 127.0.0.1:6381", "-ASK 3999 127.0.0.1:6381", "TRYAGAIN ...",
// "CLUSTERDOWN ..." (the text of an error reply, without the '-'). Anything else, or a redirect
// that cannot be read (no port, a slot past 16383), is `answer`. An empty host (Redis 7 may send
// ":6381" for a node without a known address) becomes `asked`, the node that answered.
Redirect read_cluster_error(std::string_view error, const Endpoint& asked);

// What a connection does next with a command whose reply was read as `verdict`: sent to the
// slot's owner on its link, or (`sent_asking`) to the node a -ASK named, after ASKING, on the
// side link of the migration.
enum class ClusterStep {
  answer,        // the caller gets the reply
  ask_there,     // -ASK: send it once, after ASKING, to Redirect::to (the next goes to the owner)
  retry,         // send it to the slot's owner again after a short pause, within its deadline
  follow_moved,  // re-link to Redirect::to and send it there (and the commands behind it)
  reread_slots   // drop the link, look up the slot's owner again, and send it there
};
// Whatever the node a -ASK named refuses (it has stopped importing the slot: -MOVED; the keys
// are split: -TRYAGAIN; ...) is asked of the slot's owner again: ASK holds for one command, and
// only the owner knows where the slot is now.
ClusterStep next_step(ClusterVerdict verdict, bool sent_asking);

// The primary serving `slot` in a CLUSTER SLOTS reply received from `asked`, or nullopt if no
// range covers the slot or the reply is not one CLUSTER SLOTS gives.
std::optional<Endpoint> owner_of_slot(const Reply& cluster_slots, std::uint16_t slot,
                                      const Endpoint& asked);

// Every node (primaries and replicas) a CLUSTER SLOTS reply names, each once: where to ask
// next time if the seeds are gone.
std::vector<Endpoint> nodes_of(const Reply& cluster_slots, const Endpoint& asked);

}  // namespace puente::redis
