-- A phone showed an alert's notification: the earliest time it did, kept per incident beside
-- the push service's acceptance (keys.hpp, incident:{id}:pushes). Nothing is written for an
-- incident that is not there (purged, or never was). -> 1 kept, 0 an earlier time stands,
-- -1 no such incident.
local incident = KEYS[1]
local pushes = KEYS[2]
local field = ARGV[1]     -- "shown <alert id> <responder id>"
local at_ms = ARGV[2]

if redis.call('EXISTS', incident) == 0 then return -1 end
local before = redis.call('HGET', pushes, field)
if before and tonumber(before) <= tonumber(at_ms) then return 0 end
redis.call('HSET', pushes, field, at_ms)
return 1
