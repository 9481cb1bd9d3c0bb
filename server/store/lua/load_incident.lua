-- An incident whole: its head (incident_head), then its reports, alerts, acks as kept before
-- issue 15, alerted neighborhoods, how many reporters, delivery batches, ack states, what Web
-- Push did and what SMS did (field, value, ...). {} if there is no such incident.
local incident = KEYS[1]
local reports = KEYS[2]
local incident_alerts = KEYS[3]
local acks = KEYS[4]
local alerted = KEYS[5]
local reporters = KEYS[6]
local deliveries = KEYS[7]
local states = KEYS[8]
local pushes = KEYS[9]
local texts = KEYS[10]

local head = incident_head(incident)
if not head then return {} end
return appended(head, {redis.call('LRANGE', reports, 0, -1), redis.call('LRANGE', incident_alerts, 0, -1),
                       redis.call('LRANGE', acks, 0, -1), redis.call('SMEMBERS', alerted),
                       redis.call('SCARD', reporters), redis.call('LRANGE', deliveries, 0, -1),
                       redis.call('HVALS', states), redis.call('HGETALL', pushes),
                       redis.call('HGETALL', texts)})
