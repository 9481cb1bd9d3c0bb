#pragma once
// One message of a topic as the hub hands it to every local socket that follows the topic: who
// it is for, where it stands in the topic's history, and its bytes in each form a socket may
// read (JSON or protobuf, in one of its texts). The hub serializes nothing itself: what the
// message is and how it is encoded belong to whoever made the frame (a subclass's encode), so
// this layer stays free of protobuf.
//
// Forms are encoded lazily. A frame has up to two per text (an alert carries a text per
// language its recipients read), and most of them are read by no socket of a node (the load's
// observers all read one format and one language, issue 22): the first socket that reads a form
// encodes it, once, and every other socket, on any I/O thread, shares that buffer. Reading a
// form already encoded is one acquire load: no lock and no atomic write per delivery.
//
// Recipients are sorted (delivery records name them by their place in that order,
// store/delivery_batch.hpp) and indexed by hash: "is this frame for me?" is one probe with the
// hash of the socket's responder id, computed once when it signs in (RecipientKey), instead of
// a binary search comparing strings (~380 instructions a delivery at 100 recipients).
//
// The ids are views into storage the frame owns: its own copy of ids handed over as strings, or
// the live alert's message itself (set_recipients with bytes), whose ids are not copied. Ids
// of ~20 bytes are each a heap allocation as strings: making and freeing 100 of them cost ~12k
// instructions an alert (issue 22).
//
// The frame also keeps when it was first written to each recipient's socket, by place, until
// the delivery log takes those times (app/live/delivery_log.hpp): a socket writes its time
// into its place's slot (an atomic minimum: a responder's second socket keeps the earliest),
// and only the first write since the log last took the frame hands the frame to the log. A
// lock and a push per delivery, and the flush's grouping by alert, cost ~200 instructions a
// delivery (issue 22); a slot costs one compare-and-swap and a load of the frame's flag.

#include "core/stream_offset.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace puente::net {

// A responder id with its hash, computed once (a socket keeps its own) and looked up in a
// frame's recipients on every delivery.
struct RecipientKey {
  std::string_view id;  // must outlive the key
  std::size_t hash = 0;

  RecipientKey() = default;
  explicit RecipientKey(std::string_view id);
};

class HubFrame {
 public:
  // `texts`: how many texts the frame carries, at least one; text 0 is the default.
  explicit HubFrame(std::size_t texts = 1);
  virtual ~HubFrame();
  HubFrame(const HubFrame&) = delete;
  HubFrame& operator=(const HubFrame&) = delete;

  std::string topic;
  core::StreamOffset offset;          // position in the topic's history; {0,0} if none
  std::string incident_id, alert_id;  // what a delivery record names
  // The topic's frames before this one may have been lost, and it has no history to replay
  // them from: a follower must read the topic whole again (the board, app/live/frames.hpp).
  bool gap = false;
  // The responder ids it is for, sorted: views into what the frame keeps. Set through
  // set_recipients, which indexes them.
  std::vector<std::string_view> recipients;

  // Before the frame is shared: keeps `ids`, sorts them into `recipients` and indexes them.
  void set_recipients(std::vector<std::string> ids);
  // The same for ids that are views into `bytes`, which the frame keeps instead of a copy of
  // each id.
  void set_recipients(std::unique_ptr<const std::string> bytes, std::vector<std::string_view> ids);
  // Where `who` stands in `recipients`, if the frame is for it.
  std::optional<std::size_t> place_of(const RecipientKey& who) const;
  bool for_responder(std::string_view id) const { return place_of(RecipientKey(id)).has_value(); }

  using TimePoint = std::chrono::system_clock::time_point;
  // From any thread: the frame was written at `at` to the socket of the recipient at `place`
  // (a place `place_of` found). True if the caller must hand the frame to whoever takes the
  // times (its first write since they were last taken); false if it is handed already.
  bool written_to(std::size_t place, TimePoint at) const;
  // Calls `each(place, at)` for every place written since the last take, in place order, with
  // its earliest time, and empties those slots. A write that races with the take is either
  // taken now or makes its written_to return true (the frame is handed over again).
  template <class Each>
  void take_written(Each each) const;

  // The text a reader of `language` gets: its own if the frame carries one, else the default.
  std::size_t text_for(std::string_view language) const;
  // Text `text` as protobuf (`binary`) or JSON: encoded by the first caller, from any thread,
  // and the same buffer for every caller after it.
  const std::shared_ptr<const std::string>& bytes(std::size_t text, bool binary) const;

 protected:
  // Before the frame is shared: readers of `language` get text `text`.
  void read_in(std::string language, std::size_t text);

 private:
  // Called once per form, under the frame's lock (one encode at a time, whichever thread).
  virtual std::string encode(std::size_t text, bool binary) const = 0;

  struct Form {
    std::atomic<bool> ready{false};  // set (release) once `bytes` holds the form
    std::shared_ptr<const std::string> bytes;
  };
  // A place of the recipients' open-addressing table: an id's hash and its place + 1 (0: empty).
  struct Slot {
    std::size_t hash = 0;
    std::uint32_t place_and_one = 0;
  };

  // Sorts `ids` (views into what the frame keeps) into `recipients` and indexes them.
  void index_recipients(std::vector<std::string_view> ids);

  // What `recipients` view: one of the two, kept from set_recipients.
  std::vector<std::string> recipient_ids_;
  std::unique_ptr<const std::string> recipient_bytes_;

  std::size_t texts_;
  std::unique_ptr<Form[]> forms_;  // text * 2 + binary
  mutable std::mutex encoding_;    // taken by a form's first reader only
  std::vector<std::pair<std::string, std::size_t>> languages_;  // language -> text; few
  std::vector<Slot> index_;  // a power of two, at least twice the recipients; empty if none
  // Per place of `recipients`: the earliest write since the last take, in system_clock ticks;
  // 0 if none (no socket is written at the epoch).
  std::unique_ptr<std::atomic<TimePoint::rep>[]> written_;
  // Set by the write that hands the frame over, cleared by the take. Both sides order their
  // slot and flag accesses sequentially consistent: a writer stores its slot then reads the
  // flag, the take clears the flag then reads the slots, so no write is missed by both.
  mutable std::atomic<bool> handed_over_{false};
};

template <class Each>
void HubFrame::take_written(Each each) const {
  handed_over_.store(false);
  for (std::size_t place = 0; place < recipients.size(); ++place) {
    auto& slot = written_[place];
    if (slot.load() == 0) continue;  // the common case at a flush: a place no socket here has
    if (const auto ticks = slot.exchange(0); ticks != 0)
      each(static_cast<std::uint32_t>(place), TimePoint(TimePoint::duration(ticks)));
  }
}

}  // namespace puente::net
