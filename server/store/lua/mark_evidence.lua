-- Keeps an incident as evidence. After the named slots, one pair per report (as stored, without
-- caller contact) in list order, as the node read them. If the list changed since (a report came
-- in), answers {'changed'} and the node reads it again. Else rewrites the reports, deletes the
-- report log's entries of this incident that held a caller hash (stream entries cannot be
-- edited; the incident's own list keeps the evidence: entries written since issue 22 only name
-- the report, and hold none), marks the incident (the first mark's time stays) and takes it
-- out of the purge's index. The log scan is bounded: the log holds only the
-- retention's reports. -> {'ok' | 'already', evidence ms, log entries deleted}, or {'not_found'}.
local incident = KEYS[1]
local reports = KEYS[2]
local report_log = KEYS[3]
local activity = KEYS[4]
local id = ARGV[1]
local now_ms = ARGV[2]
local count = ARGV[3]             -- the pairs follow

if redis.call('EXISTS', incident) == 0 then return {'not_found'} end
local n = tonumber(count)
if #ARGV ~= named_args + 2 * n then return error('mark_evidence: ' .. n .. ' reports announced') end
if redis.call('LLEN', reports) ~= n then return {'changed'} end
local contact = {}
for i = 1, n do
  local stored, stripped = ARGV[named_args + 2 * i - 1], ARGV[named_args + 2 * i]
  if redis.call('LINDEX', reports, i - 1) ~= stored then return {'changed'} end
  if stripped ~= stored then
    redis.call('LSET', reports, i - 1, stripped)
    contact[stored] = true
  end
end
local deleted = 0
if next(contact) then
  for _, entry in ipairs(redis.call('XRANGE', report_log, '-', '+')) do
    local f = {}
    for j = 1, #entry[2], 2 do f[entry[2][j]] = entry[2][j + 1] end
    if f['incident'] == id and f['pb'] and contact[f['pb']] then
      deleted = deleted + redis.call('XDEL', report_log, entry[1])
    end
  end
end
local since = redis.call('HGET', incident, 'evidence_ms')
if not since then redis.call('HSET', incident, 'evidence_ms', now_ms) end
redis.call('ZREM', activity, id)
return {since and 'already' or 'ok', since or now_ms, deleted}
