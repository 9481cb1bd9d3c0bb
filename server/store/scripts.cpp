#include "store/scripts.hpp"

namespace puente::store::scripts {

namespace {

// Shared by every script that sends alerts. ARGV[first..] holds one quadruple per alert:
// history stream key, live channel, Alert protobuf, neighborhood. Each alert is appended to
// its neighborhood's history (the entry id becomes its offset), published to every node, kept
// in the incident's list, and its neighborhood noted as alerted. Returns the offsets.
constexpr const char* publish_all = R"lua(
local function publish_all(incident_alerts, alerted, maxlen, first)
  local offsets = {}
  for i = first, #ARGV, 4 do
    local offset = redis.call('XADD', ARGV[i], 'MAXLEN', '~', maxlen, '*', 'pb', ARGV[i + 2])
    local tagged = offset .. ' ' .. ARGV[i + 2]
    redis.call('PUBLISH', ARGV[i + 1], tagged)
    redis.call('RPUSH', incident_alerts, tagged)
    redis.call('SADD', alerted, ARGV[i + 3])
    table.insert(offsets, offset)
  end
  return offsets
end
-- Statuses an incident is open in: REPORTED (1) and CONFIRMED (2).
local function is_open(status) return status == '1' or status == '2' end
)lua";

redis::Script with_helpers(const char* body) { return redis::Script(std::string(publish_all) + body); }

}  // namespace

const redis::Script& open_incident() {
  static const redis::Script script = with_helpers(R"lua(
if ARGV[8] ~= '' then
  local earlier = redis.call('GET', KEYS[1])
  if earlier then return {'repeat', earlier} end
end
redis.call('HSET', KEYS[2], 'pb', ARGV[2], 'status', ARGV[4], 'updated_ms', ARGV[5],
           'neighborhood', ARGV[11], 'location', ARGV[13], 'kind', ARGV[16],
           'last_report_ms', ARGV[5], 'step', '0')
if ARGV[18] ~= '' then redis.call('HSET', KEYS[2], 'confirmed_ms', ARGV[18]) end
if ARGV[19] ~= '' then redis.call('ZADD', KEYS[11], ARGV[19], ARGV[1]) end
redis.call('RPUSH', KEYS[3], ARGV[3])
redis.call('ZADD', KEYS[4], ARGV[5], ARGV[1])
redis.call('ZADD', KEYS[5], ARGV[5], ARGV[1])
if ARGV[15] ~= '' then redis.call('GEOADD', KEYS[7], ARGV[14], ARGV[15], ARGV[1]) end
redis.call('XADD', KEYS[6], '*', 'incident', ARGV[1], 'pb', ARGV[3])
redis.call('SADD', KEYS[10], ARGV[17])
local offsets = publish_all(KEYS[8], KEYS[9], ARGV[10], 20)
redis.call('PUBLISH', ARGV[6], (offsets[1] or '-') .. ' ' .. ARGV[7])
if ARGV[8] ~= '' then
  redis.call('SET', KEYS[1], ARGV[1] .. ' ' .. ARGV[12], 'EX', ARGV[9])
end
return {'ok', unpack(offsets)}
)lua");
  return script;
}

const redis::Script& corroboration_candidates() {
  static const redis::Script script(R"lua(
local ids = redis.call('GEOSEARCH', KEYS[1], 'FROMLONLAT', ARGV[1], ARGV[2], 'BYRADIUS', ARGV[3], 'm',
                       'ASC', 'COUNT', 20)
local out = {}
for _, id in ipairs(ids) do
  local h = redis.call('HMGET', ARGV[4] .. 'incident:' .. id, 'status', 'kind', 'location', 'pb', 'last_report_ms')
  if h[1] then table.insert(out, {id, h[1], h[2] or '0', h[3] or '', h[4] or '', h[5] or '0'}) end
end
return out
)lua");
  return script;
}

const redis::Script& attach_report() {
  static const redis::Script script = with_helpers(R"lua(
if ARGV[7] ~= '' then
  local earlier = redis.call('GET', KEYS[5])
  if earlier then return {'repeat', earlier} end
end
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {'not_found'} end
if not is_open(status) then return {'closed'} end
redis.call('RPUSH', KEYS[2], ARGV[1])
redis.call('XADD', KEYS[3], '*', 'incident', ARGV[2], 'pb', ARGV[1])
redis.call('SADD', KEYS[4], ARGV[4])
redis.call('HSET', KEYS[1], 'last_report_ms', ARGV[3], 'updated_ms', ARGV[3])
redis.call('PUBLISH', ARGV[5], '- ' .. ARGV[6])
if ARGV[7] ~= '' then redis.call('SET', KEYS[5], ARGV[7], 'EX', ARGV[8]) end
return {'ok', tostring(redis.call('SCARD', KEYS[4]))}
)lua");
  return script;
}

const redis::Script& advance_incident() {
  static const redis::Script script = with_helpers(R"lua(
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {'not_found'} end
if status ~= ARGV[1] then return {'conflict', status} end
redis.call('HSET', KEYS[1], 'status', ARGV[2], 'updated_ms', ARGV[3])
if ARGV[9] ~= '' then redis.call('HSET', KEYS[1], 'confirmed_ms', ARGV[9]) end
if ARGV[10] ~= '' then redis.call('HSET', KEYS[1], 'neighborhood', ARGV[10]) end
if ARGV[11] ~= '' then
  redis.call('HSET', KEYS[1], 'location', ARGV[11])
  redis.call('GEOADD', KEYS[3], ARGV[12], ARGV[13], ARGV[7])
end
if ARGV[8] == '1' then
  redis.call('ZREM', KEYS[2], ARGV[7])
  redis.call('ZREM', KEYS[3], ARGV[7])
  redis.call('ZREM', KEYS[6], ARGV[7])
  redis.call('ZREM', KEYS[7], ARGV[7])
end
if ARGV[14] ~= '' then redis.call('ZADD', KEYS[6], ARGV[14], ARGV[7]) end
local offsets = publish_all(KEYS[4], KEYS[5], ARGV[6], 15)
redis.call('PUBLISH', ARGV[4], (offsets[1] or '-') .. ' ' .. ARGV[5])
return {'ok', unpack(offsets)}
)lua");
  return script;
}

const redis::Script& escalate_incident() {
  static const redis::Script script = with_helpers(R"lua(
local h = redis.call('HMGET', KEYS[1], 'status', 'step')
if not h[1] then return {'not_found'} end
if not is_open(h[1]) then return {'closed'} end
if (h[2] or '0') ~= ARGV[1] then return {'conflict'} end
redis.call('HSET', KEYS[1], 'step', ARGV[2], 'updated_ms', ARGV[3])
if ARGV[7] ~= '' then redis.call('ZADD', KEYS[4], ARGV[7], ARGV[8]) end
local offsets = publish_all(KEYS[2], KEYS[3], ARGV[6], 9)
redis.call('PUBLISH', ARGV[4], (offsets[1] or '-') .. ' ' .. ARGV[5])
return {'ok', unpack(offsets)}
)lua");
  return script;
}

const redis::Script& record_ack() {
  static const redis::Script script(R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return {'not_found'} end
if ARGV[5] ~= '' and redis.call('SET', KEYS[4], '1', 'NX', 'EX', ARGV[5]) == false then
  return {'repeat'}
end
redis.call('RPUSH', KEYS[2], ARGV[1])
local id = redis.call('XADD', KEYS[3], '*', 'incident', ARGV[4], 'pb', ARGV[1])
redis.call('PUBLISH', ARGV[2], id .. ' ' .. ARGV[3])
return {'ok', id}
)lua");
  return script;
}

const redis::Script& load_incident() {
  static const redis::Script script(R"lua(
local head = redis.call('HMGET', KEYS[1], 'pb', 'status', 'updated_ms', 'neighborhood', 'location',
                        'confirmed_ms', 'step')
if not head[1] then return {} end
return {head[1], head[2], head[3], head[4] or '', head[5] or '', head[6] or '', head[7] or '0',
        redis.call('LRANGE', KEYS[2], 0, -1), redis.call('LRANGE', KEYS[3], 0, -1),
        redis.call('LRANGE', KEYS[4], 0, -1), redis.call('SMEMBERS', KEYS[5]),
        redis.call('SCARD', KEYS[6]), redis.call('HGETALL', KEYS[7])}
)lua");
  return script;
}

const redis::Script& list_incidents() {
  static const redis::Script script(R"lua(
local ids = redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
local out = {}
for _, id in ipairs(ids) do
  local head = redis.call('HMGET', ARGV[2] .. 'incident:' .. id, 'pb', 'status', 'updated_ms',
                          'neighborhood', 'location', 'confirmed_ms', 'step')
  if head[1] then
    for i = 4, 7 do head[i] = head[i] or '' end
    table.insert(out, head)
  end
end
return out
)lua");
  return script;
}

// KEYS: epoch key, then one alert history per subscription; ARGV: a new epoch (used only if
// none is set: a Redis that lost its data), then each subscription's since offset.
// -> {epoch, 1 if every since offset can be replayed without a gap, else 0}. An offset of 0
// ("replay everything there is") recovers whatever remains.
const redis::Script& recovery_check() {
  static const redis::Script script(R"lua(
local function after(a, b)  -- stream id a > b
  local am, as = string.match(a, '^(%d+)-(%d+)$')
  local bm, bs = string.match(b, '^(%d+)-?(%d*)$')
  if not am or not bm then return false end
  am, as, bm, bs = tonumber(am), tonumber(as), tonumber(bm), tonumber(bs ~= '' and bs or '0')
  return am > bm or (am == bm and as > bs)
end
redis.call('SET', KEYS[1], ARGV[1], 'NX')
local epoch = redis.call('GET', KEYS[1])
local recovered = 1
-- The client saw the alert at its since offset, so it was in the history; if the oldest entry
-- now is after it, that one and maybe others were trimmed away.
for i = 2, #KEYS do
  local oldest = redis.call('XRANGE', KEYS[i], '-', '+', 'COUNT', 1)[1]
  local everything = ARGV[i] == '0' or ARGV[i] == '0-0'
  if oldest and not everything and after(oldest[1], ARGV[i]) then recovered = 0 end
end
return {epoch, recovered}
)lua");
  return script;
}

// KEYS: tokens hash. ARGV: id, IssuedToken protobuf, changes channel.
const redis::Script& save_token() {
  static const redis::Script script(R"lua(
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PUBLISH', ARGV[3], ARGV[1])
return 'ok'
)lua");
  return script;
}

// KEYS: audit stream, audit head. ARGV: the head the entry follows ("" for the first),
// AuditEntry protobuf, the new head "<sequence> <hash>", the stream id "<sequence>-1" (so a
// reader finds the entries after a sequence with XRANGE). Appends only if the head is still
// the one the entry was chained to; else answers {'stale', head} and the node chains it again.
const redis::Script& append_audit() {
  static const redis::Script script(R"lua(
local head = redis.call('GET', KEYS[2]) or ''
if head ~= ARGV[1] then return {'stale', head} end
redis.call('XADD', KEYS[1], ARGV[4], 'pb', ARGV[2])
redis.call('SET', KEYS[2], ARGV[3])
return {'ok'}
)lua");
  return script;
}

// KEYS[1] the incident's delivery records; ARGV pairs of "<alert id> <responder id>" and the
// time in ms. A delivery already recorded keeps its first time (a replay, another node).
const redis::Script& record_deliveries() {
  static const redis::Script script(R"lua(
for i = 1, #ARGV, 2 do redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1]) end
return #ARGV / 2
)lua");
  return script;
}

}  // namespace puente::store::scripts
