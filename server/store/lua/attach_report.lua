-- Attaches a report to an open incident: {'ok', how many reporters it has now}, {'repeat'} or
-- {'reused'} for an idempotency key seen before, {'not_found'} or {'closed'}.
local incident = KEYS[1]
local reports = KEYS[2]
local report_log = KEYS[3]
local reporters = KEYS[4]
local idempotency = KEYS[5]
local activity = KEYS[6]
local corroborable = KEYS[7]
local report = ARGV[1]            -- Report protobuf
local id = ARGV[2]
local received_ms = ARGV[3]
local reporter = ARGV[4]
local board = ARGV[5]             -- board channel
local event = ARGV[6]             -- IncidentEvent protobuf
local remembered = ARGV[7]        -- "<incident> <report> <digest>" kept under the key; '' without one
local idempotency_ttl = ARGV[8]   -- s
local now_ms = ARGV[9]
local without_contact = ARGV[10]  -- the report without caller contact, kept if the incident is evidence
local digest = ARGV[11]
local report_id = ARGV[12]
local digest_hex = ARGV[13]       -- the digest as kept before (core/idempotency.hpp)

if remembered ~= '' then
  local earlier = redis.call('GET', idempotency)
  if earlier then return earlier_report(earlier, digest, digest_hex) end
end
local read = redis.call('HMGET', incident, 'status', 'evidence_ms', 'kind')
local status, evidence, kind = read[1], read[2] ~= false, read[3]
if not status then return {'not_found'} end
if not is_open(status) then return {'closed'} end
-- An evidence incident keeps no caller contact.
if evidence then report = without_contact end
redis.call('RPUSH', reports, report)
redis.call('XADD', report_log, '*', 'i', id, 'r', report_id)  -- the report itself is in `reports`
redis.call('SADD', reporters, reporter)
redis.call('HSET', incident, 'last_report_ms', received_ms, 'updated_ms', received_ms)
-- XX: one pruned (its last report too old) a moment ago stays out. CH answers 0 where the
-- member is not there (or the report is older than its score): then it may be in the index as
-- an old node wrote it, the id alone (helpers.lua, corroborable_member).
if not kind or redis.call('ZADD', corroborable, 'XX', 'GT', 'CH', received_ms, corroborable_member(id, kind)) == 0 then
  redis.call('ZADD', corroborable, 'XX', 'GT', received_ms, id)
end
touch(activity, incident, id, now_ms, evidence)
redis.call('SPUBLISH', board, '- ' .. event)
if remembered ~= '' then redis.call('SET', idempotency, remembered, 'EX', idempotency_ttl) end
return {'ok', tostring(redis.call('SCARD', reporters))}
