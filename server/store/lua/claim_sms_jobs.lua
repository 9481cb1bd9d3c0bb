-- Claims texts due at `now_ms` (a responder's waiting alerts, sms_queue.hpp; and claimed ones
-- whose lease ran out: their node died), leasing them until `lease_ms`, at most `most` and no
-- more than the network may still hand to smsbox in this window ([sms] sends_per_second as
-- `per_window` texts every window, counted in sms-sent:{window start} by every node together).
-- -> the claimed responder ids.
local jobs = KEYS[1]
local leased = KEYS[2]
local sent = KEYS[3]              -- sms-sent:{this window's first second}
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
