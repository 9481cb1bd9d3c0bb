-- Moves an incident from one status to the next (confirm, false alarm, resolve, an update that
-- may move it, a reopen), with the alerts that go with it: {'ok', offsets...}; {'conflict', status} if it
-- is no longer in the status the node saw, {'not_found'}, or {'stale', version, book}.
local incident = KEYS[1]
local open_incidents = KEYS[2]
local corroborable = KEYS[3]
local places = KEYS[4]            -- incidents:near:{kind}, the incident's kind
local incident_alerts = KEYS[5]
local alerted = KEYS[6]
local timers = KEYS[7]
local leased_timers = KEYS[8]
local activity = KEYS[9]
local book = KEYS[10]
local book_version = KEYS[11]
local rungs = KEYS[12]            -- rung checks (keys.hpp)
local from_status = ARGV[1]
local to_status = ARGV[2]
local now_ms = ARGV[3]
local board = ARGV[4]             -- board channel
local event = ARGV[5]             -- IncidentEvent protobuf
local history_max = ARGV[6]
local id = ARGV[7]
local closes = ARGV[8]            -- '1' for false alarm and resolve
local confirmed_ms = ARGV[9]      -- '' unless it confirms
local moved_to = ARGV[10]         -- the new neighborhood, '' if it stays
local location = ARGV[11]         -- the new Location protobuf, '' if it does not move
local lon = ARGV[12]
local lat = ARGV[13]
local escalate_ms = ARGV[14]      -- '' without a new escalation timer
local check_book = ARGV[15]
local expected_book = ARGV[16]
local rung_due_ms = ARGV[17]      -- when to first look for further rungs, '' for never
local moved_to_name = ARGV[18]    -- the new neighborhood's display name, '' if it stays
local reopens = ARGV[19]          -- '1' for a reopen (closed by mistake): open again, corroborable
local kind = ARGV[20]             -- the incident's kind (ReportKind number), as `places`
local alert_count = ARGV[21]      -- the alerts follow

local status = redis.call('HGET', incident, 'status')
if not status then return {'not_found'} end
if status ~= from_status then return {'conflict', status} end
local stale = stale_book(book, book_version, check_book, expected_book)
if stale then return stale end
redis.call('HSET', incident, 'status', to_status, 'updated_ms', now_ms)
-- A dispatcher's confirm, false alarm or resolve settles a held incident (open_incident.lua).
if to_status ~= from_status then redis.call('HDEL', incident, 'held_ms') end
if confirmed_ms ~= '' then redis.call('HSET', incident, 'confirmed_ms', confirmed_ms) end
if moved_to ~= '' then
  redis.call('HSET', incident, 'neighborhood', moved_to, 'neighborhood_name', moved_to_name)
end
if reopens == '1' then
  redis.call('ZADD', open_incidents, now_ms, id)
  redis.call('ZADD', corroborable, now_ms, corroborable_member(id, kind))
end
if location ~= '' then
  redis.call('HSET', incident, 'location', location)
  local scores = redis.call('ZMSCORE', corroborable, corroborable_member(id, kind), id)  -- either form
  if scores[1] or scores[2] then
    redis.call('GEOADD', places, lon, lat, id)
  end
end
if closes == '1' then
  redis.call('ZREM', open_incidents, id)
  redis.call('ZREM', places, id)
  redis.call('ZREM', corroborable, corroborable_member(id, kind), id)
  redis.call('ZREM', timers, id)
  redis.call('ZREM', leased_timers, id)
end
if escalate_ms ~= '' then redis.call('ZADD', timers, escalate_ms, id) end
touch(activity, incident, id, now_ms)
local offsets = publish_all(incident_alerts, alerted, history_max, alert_count, rungs, rung_due_ms, id)
redis.call('SPUBLISH', board, (offsets[1] or '-') .. ' ' .. event)
return {'ok', unpack(offsets)}
