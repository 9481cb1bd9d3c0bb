#pragma once
// The roster: who may use Puente, in which roles, for which neighborhoods.
//
// Loaded from TOML (config/roster.toml). A responder's bearer token is never stored, only its
// SHA-256 (hex); a presented token is hashed and looked up, so the roster file is no secret
// worth stealing on its own.
//
//   [[responder]]
//   id = "obs-maria"
//   name = "Maria G."
//   roles = ["legal_observer"]
//   neighborhoods = ["boyle-heights", "lincoln-heights"]
//   languages = ["es", "en"]
//   token_sha256 = "<64 hex digits>"   # optional: else issued tokens only (token_registry.hpp)
//   standby = false    # optional: in the standby pool (see on_call.hpp), default false
//   shifts = [         # optional: weekly on-call shifts in the network's time zone
//     { days = ["fri", "sat"], start = "18:00", end = "02:00" },
//     { days = ["mon"], start = "09:00", end = "17:00" },
//   ]
//   phone = "+13235550123"       # optional: E.164, for text messages (SMS)
//   channels = ["push", "sms"]   # optional: how alerts reach them besides the open app;
//                                # default ["push"]; "sms" needs a phone
//
// A phone number is held in the node's memory only: it is never logged, never written to Redis
// or the journal (its keyed hash is: responder_phones.hpp), and a roster error never quotes it.
//
// A shift whose end is at or before its start runs across midnight into the next day: the
// "fri 18:00-02:00" shift covers Saturday 01:30, and "mon 09:00-09:00" covers 24 hours. A
// responder with no shifts is on call always. Times are wall-clock times (see on_call.hpp for
// what that means on the nights the clocks change).

#include "core/bearer_token.hpp"

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace puente::core {

// `metrics` is a scraper's (Prometheus): it reads /metrics and nothing else, and stands alone
// (no other role, no neighborhoods, shifts or standby), so a token kept on a monitoring host
// can never report, ack or listen.
enum class Role {
  operator_,
  dispatcher,
  legal_observer,
  volunteer,
  attorney,
  counselor,
  admin,
  metrics
};

// "operator", "dispatcher", "legal_observer", ... ; nullopt for anything else.
std::optional<Role> parse_role(std::string_view name);
std::string_view to_string(Role role);

// One weekly on-call shift: on each of `days`, from `start_minute` to `end_minute` local time.
struct Shift {
  std::array<bool, 7> days{};  // indexed by LocalTime::weekday: 0 = Sunday .. 6 = Saturday
  int start_minute = 0;        // minutes after local midnight, 0..1439
  int end_minute = 0;          // at or before start_minute: ends on the next day

  bool crosses_midnight() const { return end_minute <= start_minute; }
};

// "sun" = 0 .. "sat" = 6, the three-letter lowercase names roster.toml uses; nullopt otherwise.
std::optional<int> parse_weekday(std::string_view name);
// "HH:MM" (00:00 to 23:59) in minutes after midnight; nullopt otherwise.
std::optional<int> parse_time_of_day(std::string_view text);

// How an alert reaches a responder besides their open app's socket: Web Push to the phones they
// subscribed, a text message to `phone`. (Named apart from core::Channel of delivery_ladder.hpp,
// the ladder's rungs, which has no "sms" yet: the wiring of issue 18 joins the two.)
enum class ContactChannel { push, sms };
// "push", "sms"; nullopt for anything else.
std::optional<ContactChannel> parse_contact_channel(std::string_view name);
std::string_view to_string(ContactChannel channel);

struct Responder {
  std::string id;
  std::string name;
  std::vector<Role> roles;
  std::vector<std::string> neighborhoods;
  std::vector<std::string> languages;
  std::string token_sha256;   // lowercase hex; empty: no roster token
  bool standby = false;       // in the standby pool: held back until the escalation region step
  std::vector<Shift> shifts;  // empty: on call always
  std::string phone;          // E.164 ("+13235550123"); empty: none. Never logged or stored
  std::vector<ContactChannel> channels{ContactChannel::push};

  bool has_role(Role role) const;
  bool wants(ContactChannel channel) const;          // listed in `channels`
  bool covers(std::string_view neighborhood) const;  // listed in `neighborhoods`
};

class Roster {
 public:
  // Parses roster TOML. Throws std::runtime_error naming the responder and field at fault
  // (missing id, unknown role, token_sha256 not 64 hex digits, duplicate id or token, a phone
  // that is not E.164 or is another responder's, an unknown channel, "sms" without a phone).
  // token_sha256 may be left out: the responder then signs in with issued tokens only.
  static Roster from_toml(std::string_view toml);

  // The responder whose token this is, or nullptr; the second by a digest already taken.
  const Responder* authenticate(std::string_view token) const;
  const Responder* authenticate(const PresentedToken& token) const;
  const Responder* find(std::string_view id) const;
  const std::vector<Responder>& responders() const { return responders_; }
  // Where `who` is in responders(), if it is one of them (and not a copy): lets a caller keep
  // something per responder in a vector beside the roster's.
  std::optional<std::size_t> index_of(const Responder& who) const;
  // Indexes into responders() of those who list `neighborhood`, in file order: who may be on
  // call there, without a scan of the whole roster for every alert.
  const std::vector<std::size_t>& covering(std::string_view neighborhood) const;
  // The same in the order of their ids: an alert lists its recipients so (sorted once here,
  // not for every alert).
  const std::vector<std::size_t>& covering_by_id(std::string_view neighborhood) const;

  // Neighborhood slugs the roster names that `known` does not hold; empty when all are known.
  template <typename IsKnown>
  std::vector<std::string> unknown_neighborhoods(IsKnown&& known) const {
    std::vector<std::string> unknown;
    for (const auto& r : responders_)
      for (const auto& n : r.neighborhoods)
        if (!known(n)) unknown.push_back(r.id + ": " + n);
    return unknown;
  }

 private:
  std::vector<Responder> responders_;
  // Looked up by string_view: a follow-up alert looks up each of its recipients, and an id is
  // often longer than a std::string holds without allocating.
  struct ViewHash : std::hash<std::string_view> {
    using is_transparent = void;
  };
  using Index = std::unordered_map<std::string, std::size_t, ViewHash, std::equal_to<>>;
  Index by_token_hash_;
  Index by_id_;
  using Covering = std::map<std::string, std::vector<std::size_t>, std::less<>>;
  Covering by_neighborhood_, by_neighborhood_by_id_;
};

}  // namespace puente::core
