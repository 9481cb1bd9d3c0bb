-- What became of one claimed text (sms_queue.hpp): its lease is dropped, and each alert it
-- settled leaves the responder's waiting hash with its word in the incident's texts hash
-- ("texted <alert> <responder>" = now, or "problem <alert> <responder>" = the word; nothing for
-- an incident that is gone). When smsbox took the text (`message_id` given): what it carried is
-- kept for its delivery reports (sms-text:{message id}), what a reply answers replaces the
-- responder's codes (sms-codes:{responder}: "latest" and the letters), and the hour's count goes
-- up. A delivery report that came before this record (record_text_report.lua keeps it in the
-- text's key) is applied to what the text carried now. The gateway's state is written when it
-- changes. Alerts still waiting (a retry, or alerts that came while this text was sent) are due
-- again: at `retry_ms`, else at once.
-- -> alerts still waiting.
local leased = KEYS[1]
local jobs = KEYS[2]
local waiting = KEYS[3]
local codes = KEYS[4]
local count = KEYS[5]             -- sms-count:{this hour}
local gateway = KEYS[6]
local responder = ARGV[1]
local now_ms = ARGV[2]
local retry_ms = ARGV[3]          -- '' unless tried again
local message_id = ARGV[4]        -- '' unless smsbox took a text
local reply_window_s = ARGV[5]
local gateway_state = ARGV[6]     -- 'up', 'down' or '' (not known from this text)
local gateway_problem = ARGV[7]
local settled_count = ARGV[8]     -- then per alert: incident id, alert id, word, letter; and
                                  -- after the KEYS per alert its incident and texts hash, then
                                  -- sms-text:{message id} if a text was taken

redis.call('ZREM', leased, responder)
local settled = tonumber(settled_count)
local text = KEYS[named_keys + 2 * settled + 1]  -- sms-text:{message id}, when one is given
local early = {}  -- a report that came first: word, time, whose phone it named (false: none)
if message_id ~= '' then early = redis.call('HMGET', text, 'early_word', 'early_at', 'early_check') end
if early[1] and early[3] ~= '' and early[3] ~= responder then early = {} end  -- another phone's
local carried = {}
local letters = {}
local latest = nil
for s = 1, settled do
  local i = named_args + 4 * s - 3
  local incident_id, alert_id, word, letter = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  local incident = KEYS[named_keys + 2 * s - 1]
  local texts = KEYS[named_keys + 2 * s]
  local pair = incident_id .. ' ' .. alert_id
  redis.call('HDEL', waiting, pair)
  if word == 'texted' then
    table.insert(carried, pair)
    latest = pair
    if letter ~= '' then table.insert(letters, letter) table.insert(letters, pair) end
  end
  if word ~= '' and redis.call('EXISTS', incident) == 1 then
    if word == 'texted' then
      redis.call('HSETNX', texts, 'texted ' .. alert_id .. ' ' .. responder, now_ms)
      if early[1] then text_report(texts, alert_id, responder, early[1], early[2]) end
    else
      redis.call('HSET', texts, 'problem ' .. alert_id .. ' ' .. responder, word)
    end
  end
end
if message_id ~= '' then
  redis.call('HDEL', text, 'early_word', 'early_at', 'early_check')
  redis.call('HSET', text, 'responder', responder, 'alerts', table.concat(carried, ','))
  redis.call('EXPIRE', text, reply_window_s)
  redis.call('DEL', codes)
  if latest then redis.call('HSET', codes, 'latest', latest) end
  if #letters > 0 then redis.call('HSET', codes, unpack(letters)) end
  redis.call('EXPIRE', codes, reply_window_s)
  redis.call('INCR', count)
  redis.call('EXPIRE', count, 7200)
end
if gateway_state ~= '' and redis.call('HGET', gateway, 'state') ~= gateway_state then
  redis.call('HSET', gateway, 'state', gateway_state, 'since', now_ms, 'problem', gateway_problem)
end
if retry_ms ~= '' then
  redis.call('HINCRBY', waiting, 'attempt', 1)
else
  redis.call('HDEL', waiting, 'attempt')
end
local left = redis.call('HLEN', waiting) - redis.call('HEXISTS', waiting, 'attempt')
if left > 0 then
  redis.call('ZADD', jobs, retry_ms ~= '' and retry_ms or now_ms, responder)
else
  redis.call('DEL', waiting)
end
return left
