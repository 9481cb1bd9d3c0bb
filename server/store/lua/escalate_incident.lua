-- Takes an open incident one escalation step further with the alerts of that step:
-- {'ok', offsets...}; {'conflict'} if another node took the step, {'not_found'}, {'closed'}, or
-- {'stale', version, book}.
local incident = KEYS[1]
local incident_alerts = KEYS[2]
local alerted = KEYS[3]
local timers = KEYS[4]
local activity = KEYS[5]
local book = KEYS[6]
local book_version = KEYS[7]
local rungs = KEYS[8]            -- rung checks (keys.hpp)
local from_step = ARGV[1]
local to_step = ARGV[2]
local now_ms = ARGV[3]
local board = ARGV[4]             -- board channel
local event = ARGV[5]             -- IncidentEvent protobuf
local history_max = ARGV[6]
local next_ms = ARGV[7]           -- when the next step is due, '' if none
local id = ARGV[8]
local check_book = ARGV[9]
local expected_book = ARGV[10]
local rung_due_ms = ARGV[11]      -- when to first look for further rungs, '' for never
local alert_count = ARGV[12]      -- the alerts follow

local h = redis.call('HMGET', incident, 'status', 'step', 'evidence_ms')
if not h[1] then return {'not_found'} end
if not is_open(h[1]) then return {'closed'} end
if (h[2] or '0') ~= from_step then return {'conflict'} end
local stale = stale_book(book, book_version, check_book, expected_book)
if stale then return stale end
redis.call('HSET', incident, 'step', to_step, 'updated_ms', now_ms)
if next_ms ~= '' then redis.call('ZADD', timers, next_ms, id) end
touch(activity, incident, id, now_ms, h[3] ~= false)
local offsets = publish_all(incident_alerts, alerted, history_max, alert_count, rungs, rung_due_ms, id)
redis.call('SPUBLISH', board, (offsets[1] or '-') .. ' ' .. event)
return {'ok', unpack(offsets)}
