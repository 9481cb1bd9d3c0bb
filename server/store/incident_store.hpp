#pragma once
// Incidents in Redis: open one with its first report and alerts, attach corroborating reports,
// advance its status (and move it) with the alerts that step sends, take escalation steps,
// record acks and deliveries, read it back, list, and replay a neighborhood's alert history
// after an offset. Every write is one Lua script (server/store/lua); every callback runs on the
// Redis connection's strand, exactly once.

#include "core/access.hpp"
#include "puente/v1/puente.pb.h"
#include "redis/connection.hpp"
#include "redis/script.hpp"
#include "store/delivery_batch.hpp"
#include "store/keys.hpp"
#include "store/replication_barrier.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace puente::store {

enum class Outcome {
  ok,
  repeated,  // the idempotency key was seen: nothing new was written
  not_found,
  conflict,     // the incident was not in the expected status (or escalation step)
  closed,       // the incident is over: nothing may be added to it
  unavailable,  // Redis unreachable or too slow: nothing is known to be written (or replicated)
  near,         // open only: open incidents the report may corroborate were found; nothing written
  stale,  // open only: the availability book changed since the alerts were written; nothing written
  reused_key,     // the idempotency key was seen with other content (core/idempotency.hpp): nothing
                  // written
  no_alert,       // record_ack only: the incident sent no such alert; nothing written
  not_recipient,  // record_ack only: the responder was not alerted and may not ack there; nothing
                  // written
};

struct StoreOptions {
  std::size_t history_max_alerts = 10000;  // per neighborhood, approximate (XADD MAXLEN ~)
  // A day, or the retention if shorter (core::idempotency_ttl): the key names its incident.
  std::size_t idempotency_ttl_seconds = 24 * 3600;
  // The longest dedup window of any neighborhood: incidents last reported longer ago leave the
  // corroboration index (keys.hpp, incidents:near).
  std::chrono::seconds corroboration_window{30 * 60};
  // Changes of ack state kept per responder and incident (keys.hpp, ack_states): the last one
  // is their state now; older ones go. A responder's real changes for one incident are a
  // handful (RECEIVED, EN_ROUTE, ON_SCENE for each of an alert or two); 16 keeps them all while
  // a flood of acks from one token stays at 16 entries.
  std::size_t ack_history_per_responder = 16;
  // When an alert is sent, the script that sends it sets a rung check this long after
  // (keys.hpp, rungs): the grace its recipients' sockets have to take it before the rung worker
  // asks who needs a push (channels/rung_worker.hpp). None: no rung beyond the socket is tried
  // (Web Push is off).
  std::optional<std::chrono::milliseconds> rung_check_after;
  // Reports, incident changes and acks succeed only once this many replicas hold them.
  ReplicationOptions replication;
};

// An open incident near a new report, as the corroboration check needs it.
struct Candidate {
  v1::Incident head;  // id, kind, location where it is now, created_at
  std::chrono::system_clock::time_point last_report_at;
};

// Which open incidents a located report may corroborate instead of opening its own: those of
// its kind within `meters` of it last reported at or after `reported_since`, looked for among
// the 64 nearest of its kind reported on within StoreOptions::corroboration_window.
struct CorroborationQuery {
  double meters = 0;
  std::chrono::system_clock::time_point reported_since;
};

// Who set themselves available outside their shifts, and until when. `version` changes with
// every set_available, so a node may keep a copy and know whether it is still current.
struct AvailabilityBook {
  std::string version;  // empty before the first change
  std::map<std::string, std::chrono::system_clock::time_point, std::less<>>
      until;  // responder -> end
  std::set<std::string> available_at(std::chrono::system_clock::time_point now) const;
  // From the version and the flat {responder, until ms, ...} of availability_book
  // (lua/helpers.lua).
  static AvailabilityBook from_reply(const redis::Reply& version, const redis::Reply& flat);
};

// What open() checks in the same step as its write; an unset check is not made.
struct OpenChecks {
  // Corroboration: if the query finds any candidate, nothing is written (Outcome::near).
  std::optional<CorroborationQuery> unless_near;
  // The book version the alerts' recipients were chosen with: if the book has changed since,
  // nothing is written (Outcome::stale) and the answer carries the book as it is now.
  std::optional<std::string> availability_version;
  // Planted reports ([policy] unverified_cap): if the neighborhood already had `cap` incidents
  // opened unverified since `since`, the incident is kept but held (Written::held), its alerts
  // not sent and `held_event` told to the board instead of the open's event. Counted only for
  // an incident that sends VERIFY (one that dispatches at once was vouched for by policy).
  struct UnverifiedCap {
    int cap = 0;
    std::chrono::system_clock::time_point since;
    v1::IncidentEvent held_event;
  };
  std::optional<UnverifiedCap> unverified_cap;
};

// A status change: from, to, and what else changes with it.
struct StatusChange {
  v1::IncidentStatus from{};
  v1::IncidentStatus to{};
  v1::ReportKind kind{};  // the incident's: a move changes where it is among its kind's places
  std::optional<google::protobuf::Timestamp> confirmed_at;
  std::optional<std::string> moved_to;       // a new neighborhood
  std::string moved_to_name;                 // its display name, kept with the slug
  std::optional<v1::Location> new_location;  // where it is now
  // The first escalation deadline, set with the change itself so no crash can separate them.
  std::optional<std::chrono::system_clock::time_point> escalate_at;
  // The book version fresh recipients were chosen with (a confirmation, a move), as in
  // OpenChecks: a changed book writes nothing (Outcome::stale, with the book as it is now).
  std::optional<std::string> availability_version;
};

// One page of a neighborhood's alert history (IncidentStore::replay).
struct ReplayPage {
  std::vector<v1::Alert> alerts;
  // Set when the page read all it could: the history may go on after this offset, where the
  // next page starts (past entries left out, their incidents purged). Empty: nothing more.
  std::string next_after;
};

class IncidentStore {
 public:
  IncidentStore(std::shared_ptr<redis::Connection> redis, Keys keys, StoreOptions options = {});

  // What a step that sends alerts did: exactly one of these; outcome() says which.
  struct Sent {
    struct Written {                     // ok
      std::vector<std::string> offsets;  // of the alerts sent, in the order given
      // open(): kept but held for a dispatcher's approval (OpenChecks::unverified_cap); no
      // alert was sent, `offsets` is empty.
      bool held = false;
    };
    struct Repeated {  // repeated: what the first request created
      std::string incident, report;
    };
    struct Conflict {                // conflict on a status change
      v1::IncidentStatus current{};  // the status it is really in
    };
    struct Near {                         // near: open incidents the report may corroborate
      std::vector<Candidate> candidates;  // nearest first
    };
    struct Stale {            // stale: the availability book changed
      AvailabilityBook book;  // as it is now
    };
    struct Refused {  // unavailable, not_found, closed or reused_key: nothing more to say
      Outcome outcome = Outcome::unavailable;
    };
    std::variant<Written, Repeated, Conflict, Near, Stale, Refused> what;

    Outcome outcome() const;
  };

  // Each step that sends `alerts` tells the board `event`; an event without an alert carries
  // the first of `alerts`, added as it is written, so callers need not copy it in (an alert
  // holds its hundred recipients' ids).
  //
  // `incident` is the head (no reports/alerts/acks); `report.idempotency_key` may be empty.
  // `escalate_at`: the first escalation deadline, when the report dispatches at once. A
  // repeated idempotency key answers `repeated` before any check is made, or `reused_key` if
  // the report says something else than the first (core::content_digest). `reporter`: who the
  // report counts as among the incident's independent reporters (core::reporter_identity).
  void open(const v1::Incident& incident, const v1::Report& report, const std::string& reporter,
            const std::vector<v1::Alert>& alerts, const v1::IncidentEvent& event,
            std::optional<std::chrono::system_clock::time_point> escalate_at,
            const OpenChecks& checks, std::function<void(Sent)> done);

  // Releases an incident open() held (Written::held): sends `alerts` (its first, as at open),
  // sets the escalation deadline `escalate_at` if any, records `approver`. `conflict` if it is
  // not held (approved already, or confirmed, called a false alarm or resolved), `closed`,
  // `not_found`.
  void approve(const std::string& incident_id, const std::string& approver,
               const std::vector<v1::Alert>& alerts, const v1::IncidentEvent& event,
               std::optional<std::chrono::system_clock::time_point> escalate_at,
               std::function<void(Sent)> done);

  // Adds a corroborating report to an open incident. `reporters`: independent reporters now.
  // A repeated idempotency key answers `repeated` with what the first request did (or
  // `reused_key`, as open() does).
  void attach(const std::string& incident_id, const v1::Report& report, const std::string& reporter,
              const v1::IncidentEvent& event, std::function<void(Sent, int reporters)> done);

  // Closing the incident also removes its escalation deadline.
  void advance(const std::string& incident_id, const StatusChange& change,
               const std::vector<v1::Alert>& alerts, const v1::IncidentEvent& event,
               std::function<void(Sent)> done);

  // Takes escalation step `step` (steps_taken becomes step) if `step - 1` were taken so far:
  // two nodes racing for the same step send it once. `next_at`: the following step's deadline,
  // set in the same script so no crash can lose it. `availability_version`: the book version
  // the recipients were chosen with; a changed book writes nothing (Outcome::stale).
  void escalate(const std::string& incident_id, int step, const std::vector<v1::Alert>& alerts,
                const v1::IncidentEvent& event,
                std::optional<std::chrono::system_clock::time_point> next_at,
                const std::string& availability_version, std::function<void(Sent)> done);

  // The people on scene (core/checkin_plan.hpp, docs/on-scene.md). Sends `alerts` of the
  // incident and tells the board `event`, in one script; the incident must exist (else
  // `not_found`). With `checkin`: takes check-in step `checkin->step` of its responder for the
  // anchor `checkin->anchor_ms` only if the open incident has `step - 1` taken for that anchor
  // (else `conflict`, or `closed`), and sets the next step's deadline (`next_at`, member
  // "<incident> <responder>" of {p}checkins, keys.hpp) in the same script: two nodes
  // racing for a step send it once, and no crash separates a step from the next deadline. The
  // steps taken are the incident hash's field "checkin <responder>" = "<anchor ms> <steps>",
  // purged with it. `once`, if not empty: a field of the incident hash set with the send; if it
  // was set already nothing is sent (`conflict`): the stand-by goes once.
  struct CheckinStepWrite {
    std::string responder_id;
    long long anchor_ms = 0;
    int step = 1;
    std::optional<std::chrono::system_clock::time_point> next_at;  // in {p}checkins
  };
  void send_on_scene(const std::string& incident_id, const std::vector<v1::Alert>& alerts,
                     const v1::IncidentEvent& event, const std::optional<CheckinStepWrite>& checkin,
                     const std::string& once, std::function<void(Sent)> done);
  // The check-in steps taken for `responder_id` at the incident: {anchor ms, steps}; {0, 0}
  // before any. nullopt if Redis was not reachable.
  void checkin_progress(const std::string& incident_id, const std::string& responder_id,
                        std::function<void(std::optional<std::pair<long long, int>>)> done);

  // Checks the ack and keeps it, in one script: the incident must exist (else `not_found`) and
  // have sent `ack.alert_id` (else `no_alert`); the responder must be one of that alert's
  // recipients or reach the incident's neighborhood by `reach` (core::ack_reach; else
  // `not_recipient`, with `neighborhood` where the incident is). Then makes `ack.state` the
  // responder's state for the incident (keys.hpp, ack_states), with a history of their last
  // StoreOptions::ack_history_per_responder changes. Answers `repeated` when an ack with the
  // same responder and idempotency key was recorded before, or when it repeats the responder's
  // state for the same alert (nothing changes, the board hears nothing); `reused_key` when that
  // key came with other content. `event` is published to the board with the incident's
  // neighborhood and status filled in by the script. Reads nothing of the incident but its
  // head's neighborhood and status and its alerts, so its cost does not grow with its acks.
  struct AckRecorded {
    Outcome outcome = Outcome::ok;
    std::string neighborhood;  // not_recipient: the incident's
  };
  void record_ack(const v1::Ack& ack, const v1::IncidentEvent& event, const core::AckReach& reach,
                  std::function<void(AckRecorded)> done);

  // The alert reached these recipients' sockets, each at its time (the first time only
  // counts), named by place in the alert's recipients sorted (net::HubFrame::recipients;
  // delivery_batch.hpp). One append of a DeliveryBatch for the lot: a node records thousands of
  // deliveries a second. Fire and forget.
  void mark_delivered(const std::string& incident_id, const std::string& alert_id,
                      std::vector<PlaceDelivered> deliveries);

  // The incident with its reports, alerts (offsets set), acks and delivery records. The acks:
  // each responder's kept changes of state (see record_ack) and any an older node kept in the
  // :acks list, in time order.
  void load(const std::string& incident_id, std::function<void(Outcome, v1::Incident)> done);
  // One alert of the incident (offset set) without the rest of it, whose records grow with each
  // recipient: Outcome::ok, not_found if the incident is gone or sent no such alert, unavailable.
  void load_alert(const std::string& incident_id, const std::string& alert_id,
                  std::function<void(Outcome, v1::Alert)> done);

  // Newest first, heads only (no reports, alerts or acks).
  void list(bool open_only, std::size_t limit,
            std::function<void(Outcome, std::vector<v1::Incident>)> done);

  // One page of a replay: the alerts of `slug` after `after_offset` (exclusive), oldest first,
  // from at most `limit` entries of its history.
  void replay(const std::string& slug, const std::string& after_offset, std::size_t limit,
              std::function<void(Outcome, ReplayPage)> done);

  // Can the alerts after each (slug, since offset) be replayed whole? Answers the history's
  // epoch and whether nothing after any offset was trimmed away.
  void recovery_check(const std::vector<std::pair<std::string, std::string>>& since,
                      std::function<void(Outcome, std::string epoch, bool recovered)> done);

  // A responder's own availability outside shifts; `until` empty clears it. The book gets a
  // new version.
  void set_available(const std::string& responder_id,
                     std::optional<std::chrono::system_clock::time_point> until,
                     std::function<void(bool)> done);
  // Who set themselves available until after `now`. Empty on a Redis failure.
  void available(std::chrono::system_clock::time_point now,
                 std::function<void(Outcome, std::set<std::string>)> done);
  // The whole book with its version.
  void availability(std::function<void(Outcome, AvailabilityBook)> done);

  const Keys& keys() const { return keys_; }
  // Other stores on the same connection wait for the replicas through the same barrier.
  const std::shared_ptr<ReplicationBarrier>& replication() const { return replication_; }

 private:
  std::string idempotency_key(const v1::Report& report) const;
  // The answer of a script that sends alerts ({'ok', offsets...}, 'repeat', 'near', 'stale' ...),
  // passed on once the replicas hold the write.
  redis::ReplyHandler sent_handler(const char* what, std::function<void(Sent)> done) const;
  // Passes `written` on; a successful write only once the replicas hold it (ReplicationBarrier).
  static void when_replicated(const std::shared_ptr<ReplicationBarrier>& barrier, Outcome written,
                              std::function<void(Outcome)> done);

  std::shared_ptr<redis::Connection> redis_;
  Keys keys_;
  StoreOptions options_;
  std::shared_ptr<ReplicationBarrier> replication_;
};

}  // namespace puente::store
