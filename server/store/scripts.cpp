#include "store/scripts.hpp"

namespace puente::store::scripts {

namespace {

// Lua functions the scripts below share (with_helpers puts them in front of a script's body).
constexpr const char* helpers = R"lua(
-- Every script that sends alerts: ARGV[first..] holds one quadruple per alert: history stream
-- key, live channel, Alert protobuf, neighborhood. Each alert is appended to its neighborhood's
-- history (the entry id becomes its offset), published to every node, kept in the incident's
-- list, and its neighborhood noted as alerted. Returns the offsets.
local function publish_all(incident_alerts, alerted, maxlen, first)
  local offsets = {}
  for i = first, #ARGV, 4 do
    local offset = redis.call('XADD', ARGV[i], 'MAXLEN', '~', maxlen, '*', 'pb', ARGV[i + 2])
    local tagged = offset .. ' ' .. ARGV[i + 2]
    redis.call('PUBLISH', ARGV[i + 1], tagged)
    redis.call('RPUSH', incident_alerts, tagged)
    redis.call('SADD', alerted, ARGV[i + 3])
    table.insert(offsets, offset)
  end
  return offsets
end
-- Statuses an incident is open in: REPORTED (1) and CONFIRMED (2).
local function is_open(status) return status == '1' or status == '2' end
-- Notes the incident's last activity (ms) for the purge (retention_store.hpp). GT: a node
-- whose clock lags never moves it back. Evidence is never purged, so it stays out.
local function touch(activity, incident, id, ms)
  if redis.call('HEXISTS', incident, 'evidence_ms') == 0 then redis.call('ZADD', activity, 'GT', ms, id) end
end
-- The open incidents of one kind a report may corroborate: last reported at or after `since`
-- (ms), among the 64 nearest to (lon, lat) within `meters` in that kind's places. Each: {id,
-- status, location pb, head pb, last_report_ms}.
local function near_candidates(places, prefix, lon, lat, meters, since)
  local ids = redis.call('GEOSEARCH', places, 'FROMLONLAT', lon, lat, 'BYRADIUS', meters, 'm', 'ASC', 'COUNT', 64)
  local out = {}
  for _, id in ipairs(ids) do
    local h = redis.call('HMGET', prefix .. 'incident:' .. id, 'status', 'last_report_ms', 'location', 'pb')
    if h[1] and tonumber(h[2] or '0') >= tonumber(since) then
      table.insert(out, {id, h[1], h[3] or '', h[4] or '', h[2]})
    end
  end
  return out
end
-- Takes an incident out of the corroboration index (keys.hpp, incidents:near).
local function not_corroborable(reported, places_prefix, incident, id)
  local kind = redis.call('HGET', incident, 'kind')
  if kind then redis.call('ZREM', places_prefix .. kind, id) end
  redis.call('ZREM', reported, id)
end
-- Prunes the index of incidents last reported before `cutoff` (ms): no report can corroborate
-- them any more, and where reports crowd one spot they would hide the ones it can. A hundred at
-- a time keeps each script short; every report that opens an incident prunes.
local function prune_corroborable(reported, places_prefix, prefix, cutoff)
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', reported, '-inf', '(' .. cutoff, 'LIMIT', 0, 100)) do
    not_corroborable(reported, places_prefix, prefix .. 'incident:' .. id, id)
  end
end
-- A report's idempotency key seen before, its value "<incident> <report> <digest>": answers
-- {'repeat', "<incident> <report>"} if the request says what the first did (the same content
-- digest, or none stored: written before digests were), else {'reused'} (keys.hpp, idem).
local function earlier_report(earlier, digest)
  local incident, report, stored = string.match(earlier, '^(%S+) (%S+) ?(%S*)$')
  if not incident then return {'repeat', earlier} end
  if stored ~= '' and stored ~= digest then return {'reused'} end
  return {'repeat', incident .. ' ' .. report}
end
-- An incident's head as parse_head reads it (incident_reads.cpp): {pb, status, updated_ms,
-- neighborhood, location, confirmed_ms, step, evidence_ms}, '' for a field not set; nil if there
-- is no such incident.
local function incident_head(key)
  local head = redis.call('HMGET', key, 'pb', 'status', 'updated_ms', 'neighborhood', 'location', 'confirmed_ms',
                          'step', 'evidence_ms')
  if not head[1] then return nil end
  for i = 2, 8 do head[i] = head[i] or '' end
  return head
end
-- Appends each of `parts` to the list `out`, and answers `out`.
local function appended(out, parts)
  for _, part in ipairs(parts) do table.insert(out, part) end
  return out
end
-- The availability book: its version ('' before the first change) and responder -> until (ms).
local function availability_book(book, version)
  return {redis.call('GET', version) or '', redis.call('HGETALL', book)}
end
-- A step that chose fresh recipients from a copy of the book sends the copy's version
-- (`check` '1'): if the book has changed since, the step writes nothing and answers
-- {'stale', version, book}. nil when the copy is current, or nothing was chosen from one.
local function stale_book(book, version, check, expected)
  if check == '' or (redis.call('GET', version) or '') == expected then return nil end
  local current = availability_book(book, version)
  return {'stale', current[1], current[2]}
end
)lua";

redis::Script with_helpers(const char* body) { return redis::Script(std::string(helpers) + body); }

}  // namespace

const redis::Script& open_incident() {
  static const redis::Script script = with_helpers(R"lua(
if ARGV[8] ~= '' then
  local earlier = redis.call('GET', KEYS[1])
  if earlier then return earlier_report(earlier, ARGV[28]) end
end
if ARGV[26] ~= '' then prune_corroborable(KEYS[15], ARGV[27], ARGV[25], ARGV[26]) end
-- Checked in the same step as the write, so two reports of one raid arriving together at two
-- nodes make one incident, and no alert goes out to a recipient list that is out of date.
if ARGV[23] ~= '' then
  local near = near_candidates(KEYS[7], ARGV[25], ARGV[14], ARGV[15], ARGV[23], ARGV[24])
  if #near > 0 then return {'near', unpack(near)} end
end
local stale = stale_book(KEYS[13], KEYS[14], ARGV[21], ARGV[22])
if stale then return stale end
redis.call('HSET', KEYS[2], 'pb', ARGV[2], 'status', ARGV[4], 'updated_ms', ARGV[5],
           'neighborhood', ARGV[11], 'location', ARGV[13], 'kind', ARGV[16],
           'last_report_ms', ARGV[5], 'step', '0')
if ARGV[18] ~= '' then redis.call('HSET', KEYS[2], 'confirmed_ms', ARGV[18]) end
if ARGV[19] ~= '' then redis.call('ZADD', KEYS[11], ARGV[19], ARGV[1]) end
redis.call('RPUSH', KEYS[3], ARGV[3])
redis.call('ZADD', KEYS[4], ARGV[5], ARGV[1])
redis.call('ZADD', KEYS[5], ARGV[5], ARGV[1])
if ARGV[15] ~= '' then
  redis.call('GEOADD', KEYS[7], ARGV[14], ARGV[15], ARGV[1])
  redis.call('ZADD', KEYS[15], ARGV[5], ARGV[1])
end
redis.call('XADD', KEYS[6], '*', 'incident', ARGV[1], 'pb', ARGV[3])
redis.call('SADD', KEYS[10], ARGV[17])
touch(KEYS[12], KEYS[2], ARGV[1], ARGV[20])
local offsets = publish_all(KEYS[8], KEYS[9], ARGV[10], 29)
redis.call('PUBLISH', ARGV[6], (offsets[1] or '-') .. ' ' .. ARGV[7])
if ARGV[8] ~= '' then
  redis.call('SET', KEYS[1], ARGV[1] .. ' ' .. ARGV[12] .. ' ' .. ARGV[28], 'EX', ARGV[9])
end
return {'ok', unpack(offsets)}
)lua");
  return script;
}

const redis::Script& read_availability() {
  static const redis::Script script = with_helpers(R"lua(
return availability_book(KEYS[1], KEYS[2])
)lua");
  return script;
}

// KEYS: availability book, its version. ARGV: responder, until (ms; '' clears), new version.
const redis::Script& set_availability() {
  static const redis::Script script(R"lua(
if ARGV[2] == '' then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
redis.call('SET', KEYS[2], ARGV[3])
return 'ok'
)lua");
  return script;
}

const redis::Script& attach_report() {
  static const redis::Script script = with_helpers(R"lua(
if ARGV[7] ~= '' then
  local earlier = redis.call('GET', KEYS[5])
  if earlier then return earlier_report(earlier, ARGV[11]) end
end
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {'not_found'} end
if not is_open(status) then return {'closed'} end
-- An evidence incident keeps no caller contact: ARGV[10] is the report without it.
local report = ARGV[1]
if redis.call('HEXISTS', KEYS[1], 'evidence_ms') == 1 then report = ARGV[10] end
redis.call('RPUSH', KEYS[2], report)
redis.call('XADD', KEYS[3], '*', 'incident', ARGV[2], 'pb', report)
redis.call('SADD', KEYS[4], ARGV[4])
redis.call('HSET', KEYS[1], 'last_report_ms', ARGV[3], 'updated_ms', ARGV[3])
-- XX: one pruned (its last report too old) a moment ago stays out.
redis.call('ZADD', KEYS[7], 'XX', 'GT', ARGV[3], ARGV[2])
touch(KEYS[6], KEYS[1], ARGV[2], ARGV[9])
redis.call('PUBLISH', ARGV[5], '- ' .. ARGV[6])
if ARGV[7] ~= '' then redis.call('SET', KEYS[5], ARGV[7], 'EX', ARGV[8]) end
return {'ok', tostring(redis.call('SCARD', KEYS[4]))}
)lua");
  return script;
}

const redis::Script& advance_incident() {
  static const redis::Script script = with_helpers(R"lua(
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {'not_found'} end
if status ~= ARGV[1] then return {'conflict', status} end
local stale = stale_book(KEYS[9], KEYS[10], ARGV[16], ARGV[17])
if stale then return stale end
redis.call('HSET', KEYS[1], 'status', ARGV[2], 'updated_ms', ARGV[3])
if ARGV[9] ~= '' then redis.call('HSET', KEYS[1], 'confirmed_ms', ARGV[9]) end
if ARGV[10] ~= '' then redis.call('HSET', KEYS[1], 'neighborhood', ARGV[10]) end
if ARGV[11] ~= '' then
  redis.call('HSET', KEYS[1], 'location', ARGV[11])
  if redis.call('ZSCORE', KEYS[3], ARGV[7]) then
    redis.call('GEOADD', ARGV[15] .. redis.call('HGET', KEYS[1], 'kind'), ARGV[12], ARGV[13], ARGV[7])
  end
end
if ARGV[8] == '1' then
  redis.call('ZREM', KEYS[2], ARGV[7])
  not_corroborable(KEYS[3], ARGV[15], KEYS[1], ARGV[7])
  redis.call('ZREM', KEYS[6], ARGV[7])
  redis.call('ZREM', KEYS[7], ARGV[7])
end
if ARGV[14] ~= '' then redis.call('ZADD', KEYS[6], ARGV[14], ARGV[7]) end
touch(KEYS[8], KEYS[1], ARGV[7], ARGV[3])
local offsets = publish_all(KEYS[4], KEYS[5], ARGV[6], 18)
redis.call('PUBLISH', ARGV[4], (offsets[1] or '-') .. ' ' .. ARGV[5])
return {'ok', unpack(offsets)}
)lua");
  return script;
}

const redis::Script& escalate_incident() {
  static const redis::Script script = with_helpers(R"lua(
local h = redis.call('HMGET', KEYS[1], 'status', 'step')
if not h[1] then return {'not_found'} end
if not is_open(h[1]) then return {'closed'} end
if (h[2] or '0') ~= ARGV[1] then return {'conflict'} end
local stale = stale_book(KEYS[6], KEYS[7], ARGV[9], ARGV[10])
if stale then return stale end
redis.call('HSET', KEYS[1], 'step', ARGV[2], 'updated_ms', ARGV[3])
if ARGV[7] ~= '' then redis.call('ZADD', KEYS[4], ARGV[7], ARGV[8]) end
touch(KEYS[5], KEYS[1], ARGV[8], ARGV[3])
local offsets = publish_all(KEYS[2], KEYS[3], ARGV[6], 11)
redis.call('PUBLISH', ARGV[4], (offsets[1] or '-') .. ' ' .. ARGV[5])
return {'ok', unpack(offsets)}
)lua");
  return script;
}

// KEYS: the incident's hash, its ack_states, the ack log, the ack's idempotency key,
// incidents:activity. ARGV: Ack protobuf, board channel, IncidentEvent protobuf, incident id,
// idempotency ttl (s; '' without a key), now (ms), responder id, the ack's content digest,
// history length per responder, alert id, state number.
// Keeps the responder's last changes of state (keys.hpp, ack_states): a repeat of their state
// for the same alert changes nothing and answers {'same'}; a repeated idempotency key answers
// {'repeat'}, or {'reused'} if the content differs from the first (nothing is written then).
// Else -> {'ok', ack log id}; the board hears of it.
const redis::Script& record_ack() {
  static const redis::Script script = with_helpers(R"lua(
local incident, states, log, idem, activity = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local ack, board, event, id, ttl, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local responder, digest, keep, alert, state = ARGV[7], ARGV[8], tonumber(ARGV[9]), ARGV[10], ARGV[11]
if redis.call('EXISTS', incident) == 0 then return {'not_found'} end
if ttl ~= '' then
  local earlier = redis.call('GET', idem)
  -- "1": written before digests were kept, it matches any content.
  if earlier then return {(earlier == digest or earlier == '1') and 'repeat' or 'reused'} end
end
-- The history: netstrings, two per change ("<alert> <state>", the Ack), oldest first.
local parts, i, kept = {}, 1, redis.call('HGET', states, responder) or ''
while i <= #kept do
  local colon = string.find(kept, ':', i, true)
  local n = colon and tonumber(string.sub(kept, i, colon - 1))
  if not n then break end
  table.insert(parts, string.sub(kept, colon + 1, colon + n))
  i = colon + n + 1
end
local what = alert .. ' ' .. state
if ttl ~= '' then redis.call('SET', idem, digest, 'EX', ttl) end
if #parts >= 2 and parts[#parts - 1] == what then return {'same'} end
table.insert(parts, what)
table.insert(parts, ack)
while #parts > 2 * keep do
  table.remove(parts, 1)
  table.remove(parts, 1)
end
local out = {}
for _, part in ipairs(parts) do table.insert(out, #part .. ':' .. part) end
redis.call('HSET', states, responder, table.concat(out))
touch(activity, incident, id, now)
local logged = redis.call('XADD', log, '*', 'incident', id, 'pb', ack)
redis.call('PUBLISH', board, logged .. ' ' .. event)
return {'ok', logged}
)lua");
  return script;
}

// KEYS: the incident's hash, its alerts. What an ack is checked against: the head
// (incident_head) and the alerts, without the reports, acks or deliveries.
const redis::Script& load_alerts() {
  static const redis::Script script = with_helpers(R"lua(
local head = incident_head(KEYS[1])
if not head then return {} end
return appended(head, {redis.call('LRANGE', KEYS[2], 0, -1)})
)lua");
  return script;
}

const redis::Script& load_incident() {
  static const redis::Script script = with_helpers(R"lua(
local head = incident_head(KEYS[1])
if not head then return {} end
return appended(head, {redis.call('LRANGE', KEYS[2], 0, -1), redis.call('LRANGE', KEYS[3], 0, -1),
                       redis.call('LRANGE', KEYS[4], 0, -1), redis.call('SMEMBERS', KEYS[5]),
                       redis.call('SCARD', KEYS[6]), redis.call('LRANGE', KEYS[7], 0, -1),
                       redis.call('HVALS', KEYS[8])})
)lua");
  return script;
}

const redis::Script& list_incidents() {
  static const redis::Script script = with_helpers(R"lua(
local ids = redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
local out = {}
for _, id in ipairs(ids) do
  local head = incident_head(ARGV[2] .. 'incident:' .. id)
  if head then table.insert(out, head) end
end
return out
)lua");
  return script;
}

// KEYS: epoch key, then one alert history per subscription; ARGV: a new epoch (used only if
// none is set: a Redis that lost its data), then each subscription's since offset.
// -> {epoch, 1 if every since offset can be replayed without a gap, else 0}. An offset of 0
// ("replay everything there is") recovers whatever remains.
const redis::Script& recovery_check() {
  static const redis::Script script(R"lua(
local function after(a, b)  -- stream id a > b
  local am, as = string.match(a, '^(%d+)-(%d+)$')
  local bm, bs = string.match(b, '^(%d+)-?(%d*)$')
  if not am or not bm then return false end
  am, as, bm, bs = tonumber(am), tonumber(as), tonumber(bm), tonumber(bs ~= '' and bs or '0')
  return am > bm or (am == bm and as > bs)
end
redis.call('SET', KEYS[1], ARGV[1], 'NX')
local epoch = redis.call('GET', KEYS[1])
local recovered = 1
-- The client saw the alert at its since offset, so it was in the history; if the oldest entry
-- now is after it, that one and maybe others were trimmed away.
for i = 2, #KEYS do
  local oldest = redis.call('XRANGE', KEYS[i], '-', '+', 'COUNT', 1)[1]
  local everything = ARGV[i] == '0' or ARGV[i] == '0-0'
  if oldest and not everything and after(oldest[1], ARGV[i]) then recovered = 0 end
end
return {epoch, recovered}
)lua");
  return script;
}

// KEYS: tokens hash. ARGV: id, IssuedToken protobuf, changes channel.
const redis::Script& save_token() {
  static const redis::Script script(R"lua(
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PUBLISH', ARGV[3], ARGV[1])
return 'ok'
)lua");
  return script;
}

// KEYS: audit stream, audit head. ARGV: the head the entry follows ("" for the first),
// AuditEntry protobuf, the new head "<sequence> <hash>", the stream id "<sequence>-1" (so a
// reader finds the entries after a sequence with XRANGE). Appends only if the head is still
// the one the entry was chained to; else answers {'stale', head} and the node chains it again.
const redis::Script& append_audit() {
  static const redis::Script script(R"lua(
local head = redis.call('GET', KEYS[2]) or ''
if head ~= ARGV[1] then return {'stale', head} end
redis.call('XADD', KEYS[1], ARGV[4], 'pb', ARGV[2])
redis.call('SET', KEYS[2], ARGV[3])
return {'ok'}
)lua");
  return script;
}

// KEYS: the incident's hash, reports, alerts, acks, alerted, reporters, deliveries; the indexes
// incidents, incidents:open, incidents:near, incidents:activity, timers, timers:leased; the
// incident's ack_states.
// ARGV: id, the cutoff (ms), the prefix of the incidents:near:{kind} places. Purges the
// incident whole if its last activity is at or before the cutoff and it is not evidence. Two
// nodes purging the same incident: the second finds it gone.
// -> 'purged', 'evidence' (kept; it leaves the activity index), 'active' (touched since the
// node read the index) or 'gone'.
const redis::Script& purge_incident() {
  static const redis::Script script = with_helpers(R"lua(
local last = redis.call('ZSCORE', KEYS[11], ARGV[1])
if not last then return 'gone' end
if redis.call('HEXISTS', KEYS[1], 'evidence_ms') == 1 then
  redis.call('ZREM', KEYS[11], ARGV[1])
  return 'evidence'
end
if tonumber(last) > tonumber(ARGV[2]) then return 'active' end
not_corroborable(KEYS[10], ARGV[3], KEYS[1], ARGV[1])
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[14])
for i = 8, 13 do redis.call('ZREM', KEYS[i], ARGV[1]) end
return 'purged'
)lua");
  return script;
}

// KEYS: the incident's hash, its reports, the report log, incidents:activity. ARGV: id, now
// (ms), n, then n pairs (report as stored, report without caller contact) in list order, as
// the node read them. If the list changed since (a report came in), answers {'changed'} and
// the node reads it again. Else rewrites the reports, deletes the report log's entries of this
// incident that held a caller hash (stream entries cannot be edited; the incident's own list
// keeps the evidence), marks the incident (the first mark's time stays) and takes it out of
// the purge's index. The log scan is bounded: the log holds only the retention's reports.
// -> {'ok' | 'already', evidence ms, log entries deleted}.
const redis::Script& mark_evidence() {
  static const redis::Script script(R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return {'not_found'} end
local n = tonumber(ARGV[3])
if redis.call('LLEN', KEYS[2]) ~= n then return {'changed'} end
local contact = {}
for i = 1, n do
  local stored, stripped = ARGV[2 + 2 * i], ARGV[3 + 2 * i]
  if redis.call('LINDEX', KEYS[2], i - 1) ~= stored then return {'changed'} end
  if stripped ~= stored then
    redis.call('LSET', KEYS[2], i - 1, stripped)
    contact[stored] = true
  end
end
local deleted = 0
if next(contact) then
  for _, entry in ipairs(redis.call('XRANGE', KEYS[3], '-', '+')) do
    local f = {}
    for j = 1, #entry[2], 2 do f[entry[2][j]] = entry[2][j + 1] end
    if f['incident'] == ARGV[1] and f['pb'] and contact[f['pb']] then
      deleted = deleted + redis.call('XDEL', KEYS[3], entry[1])
    end
  end
end
local since = redis.call('HGET', KEYS[1], 'evidence_ms')
if not since then redis.call('HSET', KEYS[1], 'evidence_ms', ARGV[2]) end
redis.call('ZREM', KEYS[4], ARGV[1])
return {since and 'already' or 'ok', since or ARGV[2], deleted}
)lua");
  return script;
}

// KEYS: presence, available. ARGV: now (ms). Removes the presence a dead node left behind and
// availability that has run out: who was connected or available, once it no longer matters.
const redis::Script& prune_presence() {
  static const redis::Script script(R"lua(
local removed = redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])
local h = redis.call('HGETALL', KEYS[2])
for i = 1, #h, 2 do
  if tonumber(h[i + 1]) == nil or tonumber(h[i + 1]) <= tonumber(ARGV[1]) then
    removed = removed + redis.call('HDEL', KEYS[2], h[i])
  end
end
return removed
)lua");
  return script;
}

}  // namespace puente::store::scripts
