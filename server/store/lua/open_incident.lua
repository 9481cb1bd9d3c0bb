-- Opens an incident with its first report and sends its first alerts (or, past the
-- neighborhood's cap of new unverified incidents in the window, holds it: {'held'}), unless the report's
-- idempotency key was seen ({'repeat'} or {'reused'}), an open incident of its kind nearby may
-- be the same raid ({'near', candidates...}), or the recipients were chosen from an availability
-- book that has changed since ({'stale', version, book}). -> {'ok', offsets...}.
local idempotency = KEYS[1]
local incident = KEYS[2]
local reports = KEYS[3]
local incidents = KEYS[4]
local open_incidents = KEYS[5]
local report_log = KEYS[6]
local places = KEYS[7]            -- incidents:near:{kind}
local incident_alerts = KEYS[8]
local alerted = KEYS[9]
local reporters = KEYS[10]
local timers = KEYS[11]
local activity = KEYS[12]
local book = KEYS[13]
local book_version = KEYS[14]
local corroborable = KEYS[15]
local rungs = KEYS[16]            -- rung checks (keys.hpp)
local unverified = KEYS[17]       -- unverified:{neighborhood} (keys.hpp)
local id = ARGV[1]
local head = ARGV[2]              -- Incident protobuf
local report = ARGV[3]            -- Report protobuf
local status = ARGV[4]
local created_ms = ARGV[5]
local board = ARGV[6]             -- board channel
local event = ARGV[7]             -- IncidentEvent protobuf
local idempotency_key = ARGV[8]   -- '' without one
local idempotency_ttl = ARGV[9]   -- s
local history_max = ARGV[10]
local neighborhood = ARGV[11]
local report_id = ARGV[12]
local lon = ARGV[13]              -- '' if not located
local lat = ARGV[14]
local kind = ARGV[15]
local reporter = ARGV[16]
local confirmed_ms = ARGV[17]     -- '' unless opened confirmed
local escalate_ms = ARGV[18]      -- '' without an escalation timer
local now_ms = ARGV[19]
local check_book = ARGV[20]       -- '1' if recipients came from a copy of the book
local expected_book = ARGV[21]    -- that copy's version
local near_meters = ARGV[22]      -- '' to open whatever is near
local near_since_ms = ARGV[23]
local prefix = ARGV[24]           -- keys.hpp's prefix: the incidents found near, the places pruned
local prune_before_ms = ARGV[25]  -- '' not to prune the corroboration index
local digest = ARGV[26]           -- the report's content digest
local rung_due_ms = ARGV[27]      -- when to first look for further rungs, '' for never
local unverified_cap = ARGV[28]   -- '' for no cap (or a report that dispatches at once)
local unverified_since_ms = ARGV[29]  -- the cap's window starts here
local held_event = ARGV[30]       -- IncidentEvent protobuf for the board if it is held
local digest_hex = ARGV[31]       -- the digest as kept before (core/idempotency.hpp)
local alert_count = ARGV[32]      -- the alerts follow

if idempotency_key ~= '' then
  local earlier = redis.call('GET', idempotency)
  if earlier then return earlier_report(earlier, digest, digest_hex) end
end
if prune_before_ms ~= '' then
  local places_prefix = prefix .. 'incidents:near:'  -- undeclared: each places set is named by a member's kind
  prune_corroborable(corroborable, places_prefix, prefix, prune_before_ms)
end
-- Checked in the same step as the write, so two reports of one raid arriving together at two
-- nodes make one incident, and no alert goes out to a recipient list that is out of date.
if near_meters ~= '' then
  local near = near_candidates(places, prefix, lon, lat, near_meters, near_since_ms)
  if #near > 0 then return {'near', unpack(near)} end
end
local stale = stale_book(book, book_version, check_book, expected_book)
if stale then return stale end
-- Planted reports: past the cap, the incident is kept (nothing accepted is lost) but no alert
-- goes out until a dispatcher approves it (approve_incident.lua). Counted here, in the step
-- that opens, so nodes racing cannot each let one more through.
local holding = false
if unverified_cap ~= '' then
  redis.call('ZREMRANGEBYSCORE', unverified, '-inf', '(' .. unverified_since_ms)
  holding = redis.call('ZCARD', unverified) >= tonumber(unverified_cap)
end
-- No 'location' field yet: the head holds where it opened, and readers take the field (set once
-- it moves: advance_incident.lua) over the head's (issue 22: the log held it twice). No 'step'
-- either until the first escalation: every reader takes a missing one as 0.
-- One HSET: each command a script calls costs Redis about as much as a small write (issue 22).
local fields = {'pb', head, 'status', status, 'updated_ms', created_ms, 'neighborhood', neighborhood, 'kind', kind,
                'last_report_ms', created_ms}
if confirmed_ms ~= '' then appended(fields, {'confirmed_ms', confirmed_ms}) end
if holding then appended(fields, {'held_ms', created_ms}) end
redis.call('HSET', incident, unpack(fields))
if escalate_ms ~= '' and not holding then redis.call('ZADD', timers, escalate_ms, id) end
redis.call('RPUSH', reports, report)
redis.call('ZADD', incidents, created_ms, id)
redis.call('ZADD', open_incidents, created_ms, id)
if lat ~= '' then
  redis.call('GEOADD', places, lon, lat, id)
  redis.call('ZADD', corroborable, created_ms, corroborable_member(id, kind))
end
redis.call('XADD', report_log, '*', 'i', id, 'r', report_id)  -- the report itself is in `reports`
redis.call('SADD', reporters, reporter)
touch(activity, incident, id, now_ms, false)  -- just made: not evidence
-- Written with the incident, not claimed first (SET NX GET would save the GET, ~3.4k
-- instructions): a script that failed after a claim would leave the key naming an incident never
-- written, and the report's retry would be answered "repeated" with nothing behind it.
if idempotency_key ~= '' then
  redis.call('SET', idempotency, id .. ' ' .. report_id .. ' ' .. digest, 'EX', idempotency_ttl)
end
if holding then
  redis.call('SPUBLISH', board, '- ' .. held_event)
  return {'held'}
end
if unverified_cap ~= '' then
  redis.call('ZADD', unverified, now_ms, id)
  redis.call('PEXPIRE', unverified, tonumber(now_ms) - tonumber(unverified_since_ms) + 1000)
end
local offsets = publish_all(incident_alerts, alerted, history_max, alert_count, rungs, rung_due_ms, id, 0)
redis.call('SPUBLISH', board, (offsets[1] or '-') .. ' ' .. event)
return {'ok', unpack(offsets)}
