-- What an ack is checked against: the incident's head (incident_head) and its alerts, without
-- the reports, acks or deliveries. {} if there is no such incident.
local incident = KEYS[1]
local incident_alerts = KEYS[2]

local head = incident_head(incident)
if not head then return {} end
return appended(head, {redis.call('LRANGE', incident_alerts, 0, -1)})
