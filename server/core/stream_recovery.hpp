#pragma once
// Recovery of one neighborhood's alert stream: "hold live alerts during a replay, drop offsets
// already passed on, release the rest in order", written once. Two places need it: the live
// feed, which replays history after its Redis subscription came back, and a responder's socket,
// which replays what the client missed before it goes live. Both have the same race: a live
// alert may arrive while the history is still being read, and passed on first it would make
// the older replayed ones look already seen; and history and live overlap (an alert written
// during the replay comes both ways), so at-least-once below becomes exactly once here.
//
// The state: the offset of the last item passed on (nothing at or before it goes out again),
// how many replays are running (the live feed may start a second one before the first ends),
// and the live items held meanwhile with their offsets. Held items are released oldest first,
// each only if it is after the last one passed on by then. Centrifuge does the same at a
// subscribe with recovery (internal/recovery: buffer while reading history, then merge the
// buffered publications in offset order without duplicates); this is that merge, done item by
// item as the pages of history arrive.
//
// Pure: no I/O and no lock; the caller keeps one per stream on the thread (or under the lock)
// that orders its items. `Item` is whatever the caller holds for a live alert (an Alert, a hub
// frame): it is moved, and copied only when live_passes must hold it.

#include "core/stream_offset.hpp"

#include <algorithm>
#include <cassert>
#include <cstdlib>
#include <optional>
#include <utility>
#include <vector>

namespace puente::core {

template <class Item>
class StreamRecovery {
 public:
  // `seen`: the client already has everything up to it (its since offset); {} for nothing.
  explicit StreamRecovery(StreamOffset seen = {}) : last_passed_(seen) {}

  // A replay from history starts: live items are held until it ends.
  void replay_begins() { ++replays_; }

  // An item read from history (oldest first): true if it goes out now. Replayed items are never
  // held: they are what the held ones must wait for.
  bool replayed(StreamOffset offset) { return pass(offset); }

  // A live item: returned if it goes out now; held while a replay runs; dropped if an item at
  // or after its offset was already passed on.
  std::optional<Item> live(StreamOffset offset, Item item) {
    if (replays_ > 0) {
      held_.emplace_back(offset, std::move(item));
      return std::nullopt;
    }
    if (!pass(offset)) return std::nullopt;
    return item;
  }
  // The same for a caller that keeps its item and passes it on itself: true if it goes out now.
  // Only a held item is copied. A socket's hub frame comes this way: a copy per delivery
  // changed the count of a pointer that every socket of the node shares.
  bool live_passes(StreamOffset offset, const Item& item) {
    if (replays_ > 0) {
      held_.emplace_back(offset, item);
      return false;
    }
    return pass(offset);
  }

  // A replay ended. When it was the last one running, the items held meanwhile that are newer
  // than everything passed on, oldest first; nothing while another replay still runs.
  std::vector<Item> replay_ends() {
    if (replays_ <= 0) {
      // The caller lost count: what it holds might never be released, or too early.
      assert(false && "StreamRecovery: a replay ended that never began");
      std::abort();
    }
    std::vector<Item> out;
    if (--replays_ > 0) return out;
    // Live items come in offset order already; sorted anyway, so the order never rests on it.
    std::stable_sort(held_.begin(), held_.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [offset, item] : held_)
      if (pass(offset)) out.push_back(std::move(item));
    held_.clear();
    return out;
  }

  bool replaying() const { return replays_ > 0; }
  // Where a next page of history starts (after it), and what a reconnect would ask for.
  StreamOffset last_passed() const { return last_passed_; }

 private:
  bool pass(StreamOffset offset) {
    if (offset <= last_passed_) return false;
    last_passed_ = offset;
    return true;
  }

  StreamOffset last_passed_;
  int replays_ = 0;
  std::vector<std::pair<StreamOffset, Item>> held_;
};

}  // namespace puente::core
