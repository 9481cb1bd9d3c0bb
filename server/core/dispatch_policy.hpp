#pragma once
// The dispatch policy: verify first or not, the quorum an incident needs on scene, the
// escalation steps when it is not reached in time, and the dedup distance and window.
//
// Read from the [policy] table of the node's config (config/puented.toml); every option may be
// overridden per neighborhood. Checked at start: a bad value throws naming the option.
//
//   [policy]
//   # Only legal observers are alerted (VERIFY) until someone confirms a report; false sends
//   # DISPATCH to everyone at once. Default true.
//   verify_before_dispatch = true
//   # A new report of the same kind within this many metres (1 to 10000) of an open incident,
//   # and within dedup_window_seconds (1 to 86400) of its latest report, corroborates it
//   # instead of opening another. Defaults 300 and 1800.
//   dedup_meters = 300
//   dedup_window_seconds = 1800
//
//   [policy.quorum]
//   # Escalation stops once `count` (1 to 1000) responders of `role` (a role name, or "any")
//   # have acked `state` or a later one (RECEIVED < EN_ROUTE < ON_SCENE). Defaults 2,
//   # "legal_observer", "ON_SCENE".
//   count = 2
//   role = "legal_observer"
//   state = "ON_SCENE"
//
//   # Steps taken in order while the quorum is not reached, each `deadline_seconds` (1 to
//   # 86400, increasing) after confirmation: "adjacent" alerts the on-call responders of the
//   # touching neighborhoods, "region" those of the wider region plus the standby pool,
//   # "dispatchers" pages the dispatchers. Default: the three at 600, 1200 and 1800 seconds.
//   # `escalation = []` turns escalation off.
//   [[policy.escalation]]
//   deadline_seconds = 600
//   audience = "adjacent"
//
//   # Check-ins of the people on scene (docs/on-scene.md). A responder who acks ON_SCENE is
//   # asked "Are you OK?" every checkin_minutes (> 0, at most 1440; fractional allowed, so
//   # 0.05 is every 3 seconds) after their last ON_SCENE or ALL_OK; an ask unanswered for
//   # checkin_grace_minutes (> 0, at most 1440) more alerts the dispatchers, and the same again
//   # alerts the neighborhood's on-call attorneys too. Defaults 15 and 5.
//   checkin_minutes = 15
//   checkin_grace_minutes = 5
//   # A silent call for help given disguised: an ack whose note is this word (any case,
//   # accents ignored), or a text reply ending with it ("2 lima"), is recorded as the ordinary
//   # ack it looks like and raises a help call. Empty (the default): off. Network-wide.
//   duress_word = ""
//   # The text reply that calls for help silently (help_reply alone, any case). Default "9".
//   # Network-wide.
//   help_reply = "9"
//
//   # Overrides for one neighborhood (by slug): any option above; the rest is inherited.
//   # A quorum table merges key by key; an escalation list replaces the whole list.
//   [policy.neighborhoods.downtown]
//   quorum = { count = 3 }

#include "core/report_dedup.hpp"
#include "core/roster.hpp"
#include "puente/v1/puente.pb.h"

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace puente::core {

enum class EscalationAudience {
  adjacent,     // on-call responders of the neighborhoods touching the incident's
  region,       // on-call responders of the region's other neighborhoods, and the standby pool
  dispatchers,  // page the dispatchers
};

// "adjacent", "region", "dispatchers"; nullopt otherwise.
std::optional<EscalationAudience> parse_escalation_audience(std::string_view name);
std::string_view to_string(EscalationAudience audience);

struct Quorum {
  int count = 2;
  std::optional<Role> role = Role::legal_observer;  // nullopt: any role
  v1::AckState state = v1::ON_SCENE;                // RECEIVED, EN_ROUTE or ON_SCENE
};

struct EscalationStep {
  std::chrono::seconds deadline{0};  // after the incident's confirmation
  EscalationAudience audience = EscalationAudience::adjacent;

  bool operator==(const EscalationStep&) const = default;
};

// 10 minutes: adjacent neighborhoods; 20: region and standby pool; 30: dispatchers.
std::vector<EscalationStep> default_escalation();

// Check-ins and the silent call for help (docs/on-scene.md).
struct OnScenePolicy {
  std::chrono::milliseconds checkin_interval{15 * 60 * 1000};
  std::chrono::milliseconds checkin_grace{5 * 60 * 1000};
  std::string duress_word;       // folded (sms_reply.hpp's folded_reply); empty: off
  std::string help_reply = "9";  // folded
};

struct DispatchPolicy {
  bool verify_before_dispatch = true;
  Quorum quorum;
  std::vector<EscalationStep> escalation = default_escalation();
  double dedup_meters = 300;
  std::chrono::seconds dedup_window{30 * 60};
  OnScenePolicy on_scene;
  // Planted reports (issue 19 item 4): at most `unverified_cap` new incidents opened unverified
  // (VERIFY sent) in the neighborhood within `unverified_window`; one reported past that is kept
  // but held, no alert sent, until a dispatcher approves it (incidents/approval_service.hpp).
  // 0: no cap. Counted in Redis, in the step that opens the incident, across every node.
  int unverified_cap = 0;
  std::chrono::seconds unverified_window{60 * 60};

  DedupRule dedup_rule() const { return DedupRule{dedup_meters, dedup_window}; }
};

// The network's policy and its per-neighborhood overrides.
class DispatchPolicies {
 public:
  using IsKnownNeighborhood = std::function<bool(std::string_view slug)>;

  // Reads the [policy] table of the node's TOML config text (other tables are ignored; no
  // [policy] means every default). Throws std::runtime_error naming the option at fault:
  // "policy.quorum.count must be >= 1", "policy.neighborhoods.atlantis: unknown neighborhood".
  static DispatchPolicies from_toml(std::string_view config_text, const IsKnownNeighborhood& known);

  // The policy in force for `neighborhood`: its override, else the network's.
  const DispatchPolicy& for_neighborhood(std::string_view neighborhood) const;
  const DispatchPolicy& network() const { return network_; }
  // The longest dedup window of the network's policy and every override.
  std::chrono::seconds longest_dedup_window() const;
  const std::map<std::string, DispatchPolicy, std::less<>>& overrides() const { return overrides_; }

 private:
  DispatchPolicy network_;
  std::map<std::string, DispatchPolicy, std::less<>> overrides_;
};

}  // namespace puente::core
