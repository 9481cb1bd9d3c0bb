#pragma once
// Every Redis key and channel Puente uses, in one place. The prefix ("puente:" by default)
// lets several networks share one Redis.
//
//   {p}incident:{id}            hash: pb (the incident as first opened, protobuf),
//                               status (IncidentStatus number), updated_ms, neighborhood where
//                               it is now, location (protobuf) where it is now once it moved
//                               (absent: pb's, issue 22), kind, last_report_ms,
//                               confirmed_ms, step (escalation steps taken; absent until the
//                               first, issue 22), evidence_ms (when a dispatcher marked it as
//                               evidence; absent: it will be purged)
//   {p}incident:{id}:reports    list of Report (protobuf)
//   {p}incident:{id}:alerts     list of "<offset> <Alert protobuf>": where each alert is kept
//                               (once: the history names it here). Only appended to, never
//                               reordered, so a place in it stays an alert's. The Alert leaves
//                               out texts[text_language], which is its text
//                               (store/stored_alert.hpp); the live channel carries the same
//   {p}incident:{id}:ack_states hash: responder id -> that responder's last changes of ack
//                               state for the incident (at most StoreOptions::
//                               ack_history_per_responder, oldest first; the last one is their
//                               state now), each as two netstrings "<n>:<alert id> <state
//                               number>" "<n>:<Ack protobuf>". An ack that repeats the
//                               responder's state for the same alert changes nothing, so a
//                               flood of acks keeps one field of bounded size per responder
//   {p}incident:{id}:acks       list of Ack (protobuf): where nodes before issue 15 kept every
//                               ack; still read (and purged) for incidents written then, never
//                               written now
//   {p}incident:{id}:alerted    set: neighborhoods alerted for it
//   {p}incident:{id}:reporters  set: reporter ids (independent reporters)
//   {p}incident:{id}:deliveries list of DeliveryBatch (protobuf): when each alert was written to
//                               each recipient's socket; a repeat (a replay, another node) may
//                               appear, and the earliest counts. A batch names recipients by
//                               their place in the alert's recipients sorted; one written
//                               before issue 22 (or naming someone the alert does not list)
//                               by id (store/delivery_batch.hpp)
//   {p}incidents                sorted set: every incident id, scored by creation time (ms)
//   {p}incidents:open           sorted set: the open ones
//   {p}incidents:near           sorted set: the open incidents a report may still corroborate,
//                               member "<id> <kind>" (the kind names its places set: issue 22;
//                               nodes before wrote the id alone, still read and removed),
//                               scored by their last report (ms); those reported on longer ago
//                               than the longest dedup window are pruned as reports come in
//   {p}incidents:near:{kind}    geo set: where those of each kind (ReportKind number) are now
//                               (a prune builds this name from the prefix and the member's kind)
//   {p}unverified:{slug}        sorted set: the incidents opened unverified (VERIFY sent) in the
//                               neighborhood, scored by when (ms); those older than the
//                               [policy] unverified_window are trimmed at each open, and the key
//                               expires a window after the last. Past [policy] unverified_cap an
//                               incident is held instead (open_incident.lua): its hash field
//                               held_ms (when it was held) stays until a dispatcher approves it
//                               (approve_incident.lua; field approved_by = who) or settles it
//   {p}incidents:activity       sorted set: incident id -> ms of its last activity (opened, a
//                               report, a status change, an escalation step, an ack); the
//                               purge takes the ones older than the retention from here.
//                               Evidence incidents leave it (see retention_store.hpp)
//   {p}available                hash: responder id -> ms until which they set themselves available
//   {p}available:version        string: a fresh random id at every change of {p}available (a
//                               node keeps a copy, and a step that alerts recipients chosen from
//                               it writes only while it is current:
//                               app/incidents/availability_copy.hpp). Whatever writes {p}available
//                               must change it; only the removal of entries that ran out need not
//                               (a copy holds their end too)
//   {p}alerts:{slug}            stream: a neighborhood's alert history; the entry id is the
//                               alert's offset, fields "i" (incident id) and "n" (the alert's
//                               place in {p}incident:{id}:alerts) name it (lua/replay_alerts.lua
//                               reads it back; an alert purged with its incident is left out).
//                               Entries written before issue 22 hold the Alert itself in "pb",
//                               and are still replayed
//   {p}live:{slug}              pub/sub channel: "<offset> <Alert protobuf>"
//   {p}board                    pub/sub channel: "<log id> <IncidentEvent protobuf>"
//   {p}log:reports, log:acks    streams: every report and ack, in arrival order, trimmed to
//                               the retention. A report's entry names it: fields "i" (incident
//                               id) and "r" (report id; the report is in the incident's list);
//                               before issue 22 it held the report ("incident", "pb"), and an
//                               evidence incident's such entries that held a caller hash are
//                               deleted when it is marked. An ack's: "incident", "pb" (Ack)
//   {p}idem:{key}               a report's: string "<incident id> <report id> <digest>"; an
//                               ack's (key "ack/<responder>/<key>"): string "<digest>";
//                               expires after a day, or the retention if shorter. The digest
//                               (core/idempotency.hpp) tells a retry from other content sent
//                               under the same key: 16 bytes of SHA-256 in base64url; entries
//                               written before issue 22 hold 32 in hex (compared as such), those
//                               before issue 15 none (or "1") and match any content
//   {p}timers, timers:leased    sorted sets of deadlines (see timer_queue.hpp)
//   {p}checkins, checkins:leased
//                               sorted sets of check-in deadlines as {p}timers, member
//                               "<incident id> <responder id>" (app/incidents/on_scene.hpp)
//   {p}presence                 sorted set: "<responder id> <node id>" scored by the ms until
//                               which that node vouches they hold a socket on it, while it is
//                               alive (see presence_store.hpp; node id "<configured id>/<8 hex>")
//   {p}presence:nodes           sorted set: node id scored by the ms until which it says it is
//                               alive (whose words PresenceStore::connected_among reads)
//   {p}epoch                    string: the alert history's epoch; a Redis that lost its data
//                               has none, and the first node to look sets a new one
//   {p}tokens                   hash: token id -> IssuedToken (protobuf, no token text)
//   {p}tokens:changed           pub/sub channel: the id of a token just issued or revoked
//   {p}push:{responder}         hash: push subscription id -> PushSubscription (protobuf): the
//                               phones that get the responder's alerts by Web Push. Never
//                               purged by the retention: a responder's phones are not incident
//                               data; they go when removed, or when the push service says gone
//   {p}push:endpoint:{id}       set: the responders whose phones use the endpoint the
//                               subscription id is made from (a shared phone may hold several),
//                               so a push service's "gone" removes it from every one of them
//   {p}ack_key                  string: 32 random bytes, the network's key for the ack
//                               capabilities pushes carry (core/ack_capability.hpp); set once
//                               (SET NX) by the first node with Web Push on, read by every node
//                               at start (ack_key_store.hpp) and kept: to change it, delete it and
//                               restart every node (capabilities out there are then refused)
//   {p}incident:{id}:pushes     hash: what Web Push did with the incident's alerts, per alert
//                               and responder (docs/push.md): "queued <alert> <responder>" = ms
//                               the push rung was taken (its jobs queued: taken once),
//                               "pushed <alert> <responder>" = ms a push service first accepted
//                               one, "problem <alert> <responder>" = the last failure word
//                               (gone, refused, blocked, retry_later, network_error), "shown
//                               <alert> <responder>" = ms a phone of theirs first showed it
//   {p}rungs, rungs:leased      sorted sets of deadlines as {p}timers (timer_queue.hpp), apart
//                               from them (the escalation worker claims those): member
//                               "<incident id> <alert id>" -> when to look again at who of the
//                               alert's recipients needs a further rung (core/delivery_ladder.hpp).
//                               Set by the script that publishes the alert, so no node's death
//                               can lose it; the rung worker (channels/rung_worker.hpp) claims it
//   {p}push-jobs, :leased       sorted sets of Web Push sends, due and claimed, the same way:
//                               member "<kind> <attempt> <responder> <subscription id>
//                               <incident id or -> <alert id or -> <n>" -> due (ms) or lease
//                               expiry (ms); kind alert, test, nudge or dropped; a retry is the
//                               same push with attempt + 1; n tells two tests apart
//   {p}push-sent:{second}       string: pushes claimed network-wide in that Unix second (the
//                               send rate limit, [push] sends_per_second); expires after 2 s
//   {p}push-sweep:lease         string: the node id sweeping for quiet phones this period (SET
//                               NX PX). Not under push: where a responder id follows
//   {p}push-notices:{responder} hash: push subscription id -> "<kind> <quiet since ms>": the
//                               quiet-phone notice (nudge, dropped) queued for that phone's
//                               quiet spell, set in the step that queues it so that no sweep
//                               queues it twice; goes with the phone
//   {p}incident:{id}:texts      hash: what SMS did with the incident's alerts, per alert and
//                               responder (docs/sms.md), as :pushes: "queued <alert>
//                               <responder>" = ms the sms rung was taken, "texted ..." = ms
//                               smsbox took the text, "delivered ..." = ms of the delivery
//                               report saying so, "problem ..." = the last failure word (as
//                               Delivery.text_problem)
//   {p}sms-jobs, :leased        sorted sets of texts to send, due and claimed, as push-jobs:
//                               member a responder id (one text at a time to each), due (ms)
//                               or lease expiry (ms) (store/sms_queue.hpp)
//   {p}sms-waiting:{responder}  hash: the alerts waiting for the responder's next text: "<incident
//                               id> <alert id>" -> ms its sms rung was taken; "attempt" -> texts
//                               tried (gateway down) so far
//   {p}sms-sent:{second}        string: texts claimed network-wide in that Unix second ([sms]
//                               sends_per_second); expires after 2 s
//   {p}sms-count:{hour}         string: texts handed to smsbox in that clock hour (Unix seconds
//                               / 3600), every node and every kind (replies too): the budget
//                               [sms] max_per_hour is held against. Expires after 2 h
//   {p}sms-text:{message id}    hash: what one text handed to smsbox carried, for its delivery
//                               reports (dlr-url m=): "responder" -> id, "alerts" -> "<incident
//                               id> <alert id>" pairs joined by ","; expires after
//                               [sms] reply_window_hours
//   {p}sms-codes:{responder}    hash: what a reply from the responder's phone answers: "latest"
//                               -> "<incident id> <alert id>" of the newest alert of the last
//                               text, and for a bundled text each letter ("A", "B", ...) ->
//                               "<incident id> <alert id>". Replaced whole when smsbox takes a
//                               new text for them; expires after [sms] reply_window_hours
//   {p}sms-stopped              set: the responders who replied STOP (ALTO): no text goes to
//                               them until they reply START
//   {p}sms-gateway              hash: the gateway as the senders last saw it: "state" -> up or
//                               down, "since" -> ms, "problem" -> the last failure word
//   {p}sms-inbound:{kannel id}  string: a text Kannel posted, taken once (SET NX, 1 day)
//   {p}sms-helped:{responder}   string: the help text went back to a reply that meant nothing
//                               (SET NX), so it goes once per [sms] reply_window_hours
//   {p}audit                    stream: the audit log, entry field "pb" holds an AuditEntry;
//                               never trimmed and never purged
//   {p}audit:head               string "<sequence> <hash>" of the last audit entry
//   {p}audit:roster             string: SHA-256 of the roster file last recorded
//   {p}audit:appended           hash: node id -> key (SHA-256) of the last audit entry that node
//                               appended, so one replayed after a crash goes in once
//   {p}retention:lease          string: the node id running this period's purge (SET NX PX,
//                               expires after [privacy] purge_interval_seconds)
//   {p}retention:aof_due        string: ms of the purge pass that removed something the AOF
//                               still holds; deleted once a rewrite has started after it
//   {p}retention:aof_rewrite    string: ms of the last AOF rewrite the purge asked for (SET NX
//                               PX: expires after [privacy] aof_rewrite_interval_seconds)
//
//   {p}incident:{id}:media      sorted set: its media ids, scored by when they arrived (ms)
//   {p}media:{id}               hash: pb (Media protobuf), incident, sha (the original's
//                               SHA-256), shared (the location-free copy's, if any): the
//                               bytes are in the blob store by those hashes (docs/evidence.md)
//   {p}blob:{sha256}            set: the media ids whose original or shared copy is that blob;
//                               the purge deletes a blob once its set is empty
//   {p}upload:{id}              hash: an upload on its way (incident, uploader, kind, size,
//                               type, received); expires [media] upload_expiry_hours after its
//                               last chunk; its bytes so far are a file in the blob store
//   {p}media:quota:{responder}:{yyyymmdd}
//                               string: bytes declared by that responder's uploads that UTC
//                               day ([media] quota_bytes_per_day); expires after two days
// Everything about callers and incidents is purged after the retention ([privacy]
// retention_seconds) except evidence; the audit log keeps incident ids (random, no caller
// data), never report text, caller hashes or places.

#include <string>
#include <string_view>

namespace puente::store {

class Keys {
 public:
  explicit Keys(std::string prefix = "puente:") : p_(std::move(prefix)) {}

  const std::string& prefix() const { return p_; }
  std::string incident(std::string_view id) const { return p_ + "incident:" + std::string(id); }
  std::string incident_reports(std::string_view id) const { return incident(id) + ":reports"; }
  std::string incident_alerts(std::string_view id) const { return incident(id) + ":alerts"; }
  std::string incident_acks(std::string_view id) const { return incident(id) + ":acks"; }
  std::string incident_ack_states(std::string_view id) const {
    return incident(id) + ":ack_states";
  }
  std::string incident_alerted(std::string_view id) const { return incident(id) + ":alerted"; }
  std::string incident_reporters(std::string_view id) const { return incident(id) + ":reporters"; }
  std::string incident_deliveries(std::string_view id) const {
    return incident(id) + ":deliveries";
  }
  std::string incident_pushes(std::string_view id) const { return incident(id) + ":pushes"; }
  std::string incident_media(std::string_view id) const { return incident(id) + ":media"; }
  std::string media(std::string_view id) const { return media_prefix() + std::string(id); }
  std::string media_prefix() const { return p_ + "media:"; }
  std::string blob_refs_prefix() const { return p_ + "blob:"; }
  std::string upload(std::string_view id) const { return p_ + "upload:" + std::string(id); }
  std::string media_quota(std::string_view responder, std::string_view day) const {
    return p_ + "media:quota:" + std::string(responder) + ":" + std::string(day);
  }
  std::string unverified(std::string_view neighborhood) const {
    return p_ + "unverified:" + std::string(neighborhood);
  }
  std::string corroborable() const { return p_ + "incidents:near"; }
  std::string corroborable_places(int kind) const {
    return corroborable_places_prefix() + std::to_string(kind);
  }
  // Scripts that find an incident's kind only once they run add it themselves.
  std::string corroborable_places_prefix() const { return p_ + "incidents:near:"; }
  std::string availability() const { return p_ + "available"; }
  std::string availability_version() const { return p_ + "available:version"; }
  std::string incidents() const { return p_ + "incidents"; }
  std::string open_incidents() const { return p_ + "incidents:open"; }
  std::string incident_activity() const { return p_ + "incidents:activity"; }
  std::string retention_lease() const { return p_ + "retention:lease"; }
  std::string aof_rewrite_due() const { return p_ + "retention:aof_due"; }
  std::string aof_rewrite_lease() const { return p_ + "retention:aof_rewrite"; }
  std::string alert_history(std::string_view slug) const {
    return p_ + "alerts:" + std::string(slug);
  }
  std::string live_channel(std::string_view slug) const { return p_ + "live:" + std::string(slug); }
  std::string board_channel() const { return p_ + "board"; }
  std::string report_log() const { return p_ + "log:reports"; }
  std::string ack_log() const { return p_ + "log:acks"; }
  std::string timers() const { return p_ + "timers"; }
  std::string epoch() const { return p_ + "epoch"; }
  std::string presence() const { return p_ + "presence"; }
  std::string presence_nodes() const { return p_ + "presence:nodes"; }
  std::string leased_timers() const { return p_ + "timers:leased"; }
  std::string checkins() const { return p_ + "checkins"; }
  std::string leased_checkins() const { return p_ + "checkins:leased"; }
  std::string tokens() const { return p_ + "tokens"; }
  std::string audit() const { return p_ + "audit"; }
  std::string audit_head() const { return p_ + "audit:head"; }
  std::string audit_roster() const { return p_ + "audit:roster"; }
  std::string audit_appended() const { return p_ + "audit:appended"; }
  std::string token_changes() const { return p_ + "tokens:changed"; }
  std::string idempotency(std::string_view key) const { return p_ + "idem:" + std::string(key); }
  std::string push_subscriptions(std::string_view responder_id) const {
    return p_ + "push:" + std::string(responder_id);
  }
  std::string push_endpoint(std::string_view subscription_id) const {
    return p_ + "push:endpoint:" + std::string(subscription_id);
  }
  std::string push_ack_key() const { return p_ + "ack_key"; }

  std::string rungs() const { return p_ + "rungs"; }
  std::string leased_rungs() const { return p_ + "rungs:leased"; }
  std::string push_jobs() const { return p_ + "push-jobs"; }
  std::string leased_push_jobs() const { return p_ + "push-jobs:leased"; }
  std::string push_sent(long long unix_second) const {
    return p_ + "push-sent:" + std::to_string(unix_second);
  }
  std::string phone_sweep_lease() const { return p_ + "push-sweep:lease"; }
  std::string push_notices(std::string_view responder_id) const {
    return p_ + "push-notices:" + std::string(responder_id);
  }

  std::string incident_texts(std::string_view id) const { return incident(id) + ":texts"; }
  std::string sms_jobs() const { return p_ + "sms-jobs"; }
  std::string leased_sms_jobs() const { return p_ + "sms-jobs:leased"; }
  std::string sms_sent(long long unix_second) const {
    return p_ + "sms-sent:" + std::to_string(unix_second);
  }
  std::string sms_count(long long unix_hour) const {
    return p_ + "sms-count:" + std::to_string(unix_hour);
  }
  std::string sms_text(std::string_view message_id) const {
    return p_ + "sms-text:" + std::string(message_id);
  }
  std::string sms_codes(std::string_view responder_id) const {
    return p_ + "sms-codes:" + std::string(responder_id);
  }
  std::string sms_waiting(std::string_view responder_id) const {
    return p_ + "sms-waiting:" + std::string(responder_id);
  }
  std::string sms_stopped() const { return p_ + "sms-stopped"; }
  std::string sms_gateway() const { return p_ + "sms-gateway"; }
  std::string sms_inbound(std::string_view kannel_id) const {
    return p_ + "sms-inbound:" + std::string(kannel_id);
  }
  std::string sms_helped(std::string_view responder_id) const {
    return p_ + "sms-helped:" + std::string(responder_id);
  }

  // The slug a live channel is for; empty if `channel` is not one.
  std::string slug_of_live_channel(std::string_view channel) const;

 private:
  std::string p_;
};

// "<tag> <protobuf bytes>": how alerts travel on channels and sit in incident lists. The tag
// (an offset or log id) never holds a space; the protobuf bytes may hold anything.
struct Tagged {
  std::string tag;
  std::string bytes;
};
bool split_tagged(std::string_view payload, Tagged& out);

}  // namespace puente::store
