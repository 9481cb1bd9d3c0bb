-- A phone of the responder showed the alert as a notification (its service worker said so):
-- the earliest time counts (keys.hpp, incident pushes, "shown <alert> <responder>"). Nothing is
-- written for an incident that is gone (purged). -> 1 if recorded now, 0 if an earlier time is
-- kept, -1 if the incident is gone.
local incident = KEYS[1]
local pushes = KEYS[2]
local field = ARGV[1]             -- "shown <alert id> <responder id>"
local at_ms = ARGV[2]

if redis.call('EXISTS', incident) == 0 then return -1 end
return redis.call('HSETNX', pushes, field, at_ms)
