-- A delivery report from the SMS gateway for one text (GET /v1/sms/dlr, docs/sms.md): the text's
-- record (keys.hpp sms-text, written by the sender when smsbox took it) names its responder and
-- every alert it carried; each alert's incident texts hash gets "delivered <alert> <responder>"
-- (the first report's time; a problem recorded before is cleared) or "problem <alert>
-- <responder>" (unless it was delivered: a late failure for a delivered text changes nothing).
-- Incidents that are gone (purged) are left alone. Repeating a report changes nothing more.
-- smsbox may report a text before the sender has heard that it took it and written the record:
-- a report of a text with no record is kept in the text's key (`early_word`, `early_at`,
-- `early_check`; a delivered one over a problem) for early_keep_s, and finish_sms_job.lua applies
-- it when it writes the record; a text never sent leaves only that, until it expires.
-- -> {outcome, responder}: outcome 'recorded', 'unknown' (no such text, or it expired: kept as
-- early) or 'other_phone' (the report's phone is not the text's responder's: nothing written).
local text = KEYS[1]
local word = ARGV[1]              -- 'delivered', or the problem word ('failed', 'rejected')
local at_ms = ARGV[2]
local responder_check = ARGV[3]   -- the responder the report's phone belongs to; '' unchecked
local incident_prefix = ARGV[4]   -- keys.hpp incident(''): an incident's key is this + its id

local early_keep_s = 3600

local record = redis.call('HMGET', text, 'responder', 'alerts', 'early_word')
local responder = record[1]
if not responder then
  -- A delivered one kept stays (its first time; no problem goes over it).
  if record[3] ~= 'delivered' then
    redis.call('HSET', text, 'early_word', word, 'early_at', at_ms, 'early_check', responder_check)
  end
  redis.call('EXPIRE', text, early_keep_s, 'NX')  -- from the first report kept
  return {'unknown', ''}
end
if responder_check ~= '' and responder_check ~= responder then return {'other_phone', responder} end
for pair in string.gmatch(record[2] or '', '[^,]+') do
  local incident_id, alert_id = string.match(pair, '^%s*(%S+)%s+(%S+)%s*$')
  if incident_id then
    local incident = incident_prefix .. incident_id  -- undeclared: the ids come from the text's record
    if redis.call('EXISTS', incident) == 1 then  -- undeclared: as above
      text_report(incident .. ':texts', alert_id, responder, word, at_ms)  -- undeclared: as above
    end
  end
end
return {'recorded', responder}
