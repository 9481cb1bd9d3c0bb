#include "store/scripts.hpp"

namespace puente::store::scripts {

namespace {

// Shared by every script that sends an alert: append it to the neighborhood's history (the
// entry id becomes its offset), tell every node, and keep it in the incident's list.
constexpr const char* publish_alert = R"lua(
local function publish_alert(history, incident_alerts, channel, alert_pb, maxlen)
  local offset = redis.call('XADD', history, 'MAXLEN', '~', maxlen, '*', 'pb', alert_pb)
  local tagged = offset .. ' ' .. alert_pb
  redis.call('PUBLISH', channel, tagged)
  redis.call('RPUSH', incident_alerts, tagged)
  return offset
end
)lua";

redis::Script with_publish(const char* body) { return redis::Script(std::string(publish_alert) + body); }

}  // namespace

const redis::Script& open_incident() {
  static const redis::Script script = with_publish(R"lua(
if ARGV[10] ~= '' then
  local earlier = redis.call('GET', KEYS[1])
  if earlier then return {'repeat', earlier} end
end
redis.call('HSET', KEYS[2], 'pb', ARGV[2], 'status', ARGV[4], 'updated_ms', ARGV[5],
           'neighborhood', ARGV[13])
redis.call('RPUSH', KEYS[3], ARGV[3])
redis.call('ZADD', KEYS[4], ARGV[5], ARGV[1])
redis.call('ZADD', KEYS[5], ARGV[5], ARGV[1])
redis.call('XADD', KEYS[6], '*', 'incident', ARGV[1], 'pb', ARGV[3])
local offset = publish_alert(KEYS[7], KEYS[8], ARGV[7], ARGV[6], ARGV[12])
redis.call('PUBLISH', ARGV[8], offset .. ' ' .. ARGV[9])
if ARGV[10] ~= '' then
  redis.call('SET', KEYS[1], ARGV[1] .. ' ' .. ARGV[14], 'EX', ARGV[11])
end
return {'ok', offset}
)lua");
  return script;
}

const redis::Script& advance_incident() {
  static const redis::Script script = with_publish(R"lua(
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {'not_found'} end
if status ~= ARGV[1] then return {'conflict', status} end
redis.call('HSET', KEYS[1], 'status', ARGV[2], 'updated_ms', ARGV[3])
if ARGV[10] == '1' then redis.call('ZREM', KEYS[2], ARGV[9]) end
local offset = publish_alert(KEYS[3], KEYS[4], ARGV[5], ARGV[4], ARGV[8])
redis.call('PUBLISH', ARGV[6], offset .. ' ' .. ARGV[7])
return {'ok', offset}
)lua");
  return script;
}

const redis::Script& record_ack() {
  static const redis::Script script(R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return {'not_found'} end
redis.call('RPUSH', KEYS[2], ARGV[1])
local id = redis.call('XADD', KEYS[3], '*', 'incident', ARGV[4], 'pb', ARGV[1])
redis.call('PUBLISH', ARGV[2], id .. ' ' .. ARGV[3])
return {'ok', id}
)lua");
  return script;
}

const redis::Script& load_incident() {
  static const redis::Script script(R"lua(
local head = redis.call('HMGET', KEYS[1], 'pb', 'status', 'updated_ms')
if not head[1] then return {} end
return {head[1], head[2], head[3], redis.call('LRANGE', KEYS[2], 0, -1),
        redis.call('LRANGE', KEYS[3], 0, -1), redis.call('LRANGE', KEYS[4], 0, -1)}
)lua");
  return script;
}

const redis::Script& list_incidents() {
  static const redis::Script script(R"lua(
local ids = redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
local out = {}
for _, id in ipairs(ids) do
  local head = redis.call('HMGET', ARGV[2] .. 'incident:' .. id, 'pb', 'status', 'updated_ms')
  if head[1] then table.insert(out, head) end
end
return out
)lua");
  return script;
}

}  // namespace puente::store::scripts
