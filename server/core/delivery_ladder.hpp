#pragma once
// How an alert keeps trying until its recipient answers: the rungs of its delivery ladder.
// Every alert goes at once to the open sockets of those it names; that first rung is always
// there. Each further channel is a rung of its own, per alert type, tried for a recipient who
// has not answered (no RECEIVED, nor any later ack): `after` the alert was sent when a socket of
// theirs took it (a tab asleep in a pocket may never show it), `without_socket_after` when none
// did, and only if they can be reached by it (a phone registered for push; a phone number and
// "sms" among their roster channels, and no STOP replied, for SMS). Pure: the caller
// says what happened so far, the ladder says what goes out now and when to look again.
//
// Read from the [delivery] tables of the node's config (config/puented.toml), checked at start:
//
//   # One table per alert type (VERIFY, DISPATCH, ESCALATE, UPDATE, DEBUNK, STAND_DOWN); a
//   # table given replaces that type's whole ladder, an empty one leaves it the socket alone.
//   # Per channel ("push", "sms"): seconds (0 to 3600) after the alert when a socket of theirs took
//   # it, and when none did (default 0: at once, and never later than after_seconds).
//   [delivery.VERIFY]
//   push = { after_seconds = 15, without_socket_after_seconds = 0 }
//   sms = { after_seconds = 60, without_socket_after_seconds = 60 }
//
//   # Milliseconds (0 to 10000, default 1000) after an alert is sent before the rung worker
//   # looks at who of its recipients a socket took it for: the time a node has to write its
//   # socket delivery records (batched every 50 ms). A recipient with no socket gets their
//   # push this long after the alert, plus up to a poll of the rung worker (200 ms).
//   [delivery]
//   socket_grace_ms = 1000

#include "puente/v1/puente.pb.h"

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <vector>

namespace puente::core {

// The channels beyond the socket, in the order a ladder lists them.
enum class Channel { push, sms };

std::string_view to_string(Channel channel);
std::optional<Channel> parse_channel(std::string_view name);

struct Rung {
  Channel channel = Channel::push;
  std::chrono::seconds after{0};                 // when a socket of theirs took the alert
  std::chrono::seconds without_socket_after{0};  // when none did

  bool operator==(const Rung&) const = default;
};

// What happened so far to one alert for one recipient.
struct RecipientProgress {
  bool socket_took_it = false;
  bool answered = false;           // RECEIVED or a later ack
  std::set<Channel> tried;         // rungs already taken
  std::set<Channel> reachable_by;  // channels they can be reached by (a phone subscribed to
                                   // push; a number and "sms" in the roster, no STOP, for sms)
};

struct RungDecision {
  std::vector<Channel> now;                           // due, in ladder order
  std::optional<std::chrono::seconds> look_again_at;  // since the alert; nullopt: nothing left
};

class DeliveryLadders {
 public:
  // Push at once to a recipient with no socket; with one, after 15 s without RECEIVED for
  // VERIFY, DISPATCH and ESCALATE (someone is needed now), after 60 s for the others. SMS after
  // 60 s without an answer for VERIFY, at once without a socket for DISPATCH and ESCALATE (60 s
  // with one), and 120 s (60 s without a socket) for UPDATE, DEBUNK and STAND_DOWN.
  DeliveryLadders();

  // Reads the [delivery] tables of the node's TOML config text over the defaults. Throws
  // std::runtime_error naming the option at fault: "delivery.VERIFY.pager is not an option".
  static DeliveryLadders from_toml(std::string_view config_text);

  const std::vector<Rung>& ladder(v1::AlertType type) const;

  // What goes out now for a recipient of an alert of `type` sent `elapsed` ago.
  RungDecision next(v1::AlertType type, const RecipientProgress& progress,
                    std::chrono::seconds elapsed) const;

  // No socket took it and no rung of its type can reach them: the board says so before anyone
  // counts on them.
  bool unreachable(v1::AlertType type, const RecipientProgress& progress) const;

  // [delivery] socket_grace_ms.
  std::chrono::milliseconds socket_grace() const { return socket_grace_; }

 private:
  std::map<v1::AlertType, std::vector<Rung>> ladders_;
  std::chrono::milliseconds socket_grace_{1000};
};

}  // namespace puente::core
