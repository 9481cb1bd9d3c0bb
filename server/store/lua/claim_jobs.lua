-- Claims a queue's jobs due at `now_ms` (and claimed ones whose lease ran out: their node
-- died), leasing them until `lease_ms`, at most `most` and no more than the network may still
-- send in this window: `per_window` jobs every `window_ms`, counted in `sent` by every node
-- together. The push queue's window is a second ([push] sends_per_second, push-sent:{second});
-- the SMS queue's may be longer ([sms] sends_per_second below 1 is a text every few seconds,
-- core::sms_rate_window; sms-sent:{window start}), and its members are responders with texts
-- waiting (sms_queue.hpp).
-- -> the claimed members.
local jobs = KEYS[1]
local leased = KEYS[2]
local sent = KEYS[3]              -- counts this window's claims
local now_ms = ARGV[1]
local lease_ms = ARGV[2]
local most = ARGV[3]
local per_window = ARGV[4]
local window_ms = ARGV[5]

local room = tonumber(per_window) - tonumber(redis.call('GET', sent) or '0')
local want = math.min(tonumber(most), room)
local claimed = {}
if want <= 0 then return claimed end
for _, key in ipairs({leased, jobs}) do
  local due = redis.call('ZRANGEBYSCORE', key, '-inf', now_ms, 'LIMIT', 0, want - #claimed)
  for _, member in ipairs(due) do
    redis.call('ZREM', jobs, member)
    redis.call('ZADD', leased, lease_ms, member)
    table.insert(claimed, member)
  end
  if #claimed >= want then break end
end
if #claimed > 0 then
  redis.call('INCRBY', sent, #claimed)
  redis.call('PEXPIRE', sent, tonumber(window_ms) + 2000)
end
return claimed
