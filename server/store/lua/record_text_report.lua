-- A delivery report from the SMS gateway for one text (GET /v1/sms/dlr, docs/sms.md): the text's
-- record (keys.hpp sms-text, written by the sender when smsbox took it) names its responder and
-- every alert it carried; each alert's incident texts hash gets "delivered <alert> <responder>"
-- (the first report's time; a problem recorded before is cleared) or "problem <alert>
-- <responder>" (unless it was delivered: a late failure for a delivered text changes nothing).
-- Incidents that are gone (purged) are left alone. Repeating a report changes nothing more.
-- -> {outcome, responder}: outcome 'recorded', 'unknown' (no such text, or it expired) or
-- 'other_phone' (the report's phone is not the text's responder's: nothing written).
local text = KEYS[1]
local word = ARGV[1]              -- 'delivered', or the problem word ('failed', 'rejected')
local at_ms = ARGV[2]
local responder_check = ARGV[3]   -- the responder the report's phone belongs to; '' unchecked
local incident_prefix = ARGV[4]   -- keys.hpp incident(''): an incident's key is this + its id

local responder = redis.call('HGET', text, 'responder')
if not responder then return {'unknown', ''} end
if responder_check ~= '' and responder_check ~= responder then return {'other_phone', responder} end
local alerts = redis.call('HGET', text, 'alerts') or ''
for pair in string.gmatch(alerts, '[^,]+') do
  local incident_id, alert_id = string.match(pair, '^%s*(%S+)%s+(%S+)%s*$')
  if incident_id then
    local incident = incident_prefix .. incident_id  -- undeclared: the ids come from the text's record
    if redis.call('EXISTS', incident) == 1 then  -- undeclared: as above
      local texts = incident .. ':texts'
      local who = ' ' .. alert_id .. ' ' .. responder
      if word == 'delivered' then
        redis.call('HSETNX', texts, 'delivered' .. who, at_ms)  -- undeclared: as above
        redis.call('HDEL', texts, 'problem' .. who)  -- undeclared: as above
      elseif redis.call('HEXISTS', texts, 'delivered' .. who) == 0 then  -- undeclared: as above
        redis.call('HSET', texts, 'problem' .. who, word)  -- undeclared: as above
      end
    end
  end
end
return {'recorded', responder}
