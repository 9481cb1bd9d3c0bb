-- Purges an incident whole if its last activity is at or before the cutoff and it is not
-- evidence. Two nodes purging the same incident: the second finds it gone. Its media go too:
-- their records, and each blob's reference; a blob no media refers to any more is named in the
-- answer for the node to delete from the blob store (docs/evidence.md).
-- -> {'purged', blob sha256...}, {'evidence'} (kept; it leaves the activity index), {'active'}
-- (touched since the node read the index) or {'gone'}.
local incident = KEYS[1]
local reports = KEYS[2]
local incident_alerts = KEYS[3]
local acks = KEYS[4]
local alerted = KEYS[5]
local reporters = KEYS[6]
local deliveries = KEYS[7]
local incidents = KEYS[8]
local open_incidents = KEYS[9]
local corroborable = KEYS[10]
local activity = KEYS[11]
local timers = KEYS[12]
local leased_timers = KEYS[13]
local states = KEYS[14]
local pushes = KEYS[15]
local texts = KEYS[16]
local checkins = KEYS[17]
local leased_checkins = KEYS[18]
local incident_media = KEYS[19]
local id = ARGV[1]
local cutoff_ms = ARGV[2]
local places_prefix = ARGV[3]     -- of the incidents:near:{kind} places
local media_prefix = ARGV[4]      -- {p}media:
local blob_prefix = ARGV[5]       -- {p}blob:

local last = redis.call('ZSCORE', activity, id)
if not last then return {'gone'} end
if redis.call('HEXISTS', incident, 'evidence_ms') == 1 then
  redis.call('ZREM', activity, id)
  return {'evidence'}
end
if tonumber(last) > tonumber(cutoff_ms) then return {'active'} end
local out = {'purged'}
for _, media_id in ipairs(redis.call('ZRANGE', incident_media, 0, -1)) do
  local media = media_prefix .. media_id  -- undeclared: the ids come from the incident's media
  for _, sha in ipairs(redis.call('HMGET', media, 'sha', 'shared')) do  -- undeclared: as above
    if sha and sha ~= '' then
      redis.call('SREM', blob_prefix .. sha, media_id)  -- undeclared: the hashes come from the media
      if redis.call('SCARD', blob_prefix .. sha) == 0 then out[#out + 1] = sha end  -- undeclared: as above
    end
  end
  redis.call('DEL', media)  -- undeclared: as above
end
redis.call('DEL', incident_media)
not_corroborable(corroborable, places_prefix, incident, id)
-- A check-in deadline ("<id> <responder>") can only be someone's who acked: one of `states`.
for _, responder in ipairs(redis.call('HKEYS', states)) do
  redis.call('ZREM', checkins, id .. ' ' .. responder)
  redis.call('ZREM', leased_checkins, id .. ' ' .. responder)
end
redis.call('DEL', incident, reports, incident_alerts, acks, alerted, reporters, deliveries, states, pushes,
           texts)
for _, index in ipairs({incidents, open_incidents, corroborable, activity, timers, leased_timers}) do
  redis.call('ZREM', index, id)
end
return out
