#!/usr/bin/env python3
# What one report's script (open_incident.lua) costs Redis, alone and the same from run to run:
# a redis-server (append-only log on, as in fanout.sh) under Callgrind is sent 20 reports, zeroed,
# sent N more (default 100), and its profile dumped; then the profile's evalShaCommand is divided
# by the scripts run. fanout.sh's Redis profile mixes the reports' scripts with the presence
# scripts (more of them when observers fail to connect) and with time; this one does not: each
# report is 1 s after the one before on a made-up clock, so every prune takes exactly one.
# Arguments are the script's own names (read from the .lua files), sized as the bench's: one
# alert of 640 B, a 130 B head, a 193 B report, an idempotency key, a corroboration check.
#
#   tests/bench/aof/open_script_cost.py [LUA_DIR (server/store/lua)] [OUT_DIR] [N]
#   REDIS_EXTRA="--zset-max-listpack-entries 0" ...  # sorted sets as a network with >128 incidents
import os, random, re, socket, subprocess, sys, tempfile, time

here = os.path.dirname(os.path.abspath(__file__))
lua_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, '../../../server/store/lua')
out = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix='puente-script-cost.')
n = int(sys.argv[3]) if len(sys.argv) > 3 else 100
body = open(os.path.join(lua_dir, 'open_incident.lua')).read()
helpers = open(os.path.join(lua_dir, 'helpers.lua')).read()
keys_n = len(re.findall(r'^local \w+ = KEYS\[', body, re.M))
args_names = re.findall(r'^local (\w+) = ARGV\[', body, re.M)
key_names = re.findall(r'^local (\w+) = KEYS\[', body, re.M)
src = 'local named_keys, named_args = %d, %d\n' % (keys_n, len(args_names)) + helpers + body
os.makedirs(out, exist_ok=True)
port = 29000 + random.randint(0, 900)
rd = os.path.join(out, 'redis'); os.makedirs(rd, exist_ok=True)
proc = subprocess.Popen(['valgrind', '--tool=callgrind', '--callgrind-out-file=' + out + '/callgrind.out.%p',
                         'redis-server', '--port', str(port), '--bind', '127.0.0.1', '--dir', rd, '--save', '',
                         '--appendonly', 'yes', '--appendfsync', 'everysec', '--daemonize', 'no'] + os.environ.get('REDIS_EXTRA', '').split(),
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
for _ in range(600):
    try:
        s = socket.create_connection(('127.0.0.1', port)); break
    except OSError: time.sleep(0.1)
f = s.makefile('rb')
def cmd(*a):
    a = [x if isinstance(x, bytes) else str(x).encode() for x in a]
    s.sendall(b'*%d\r\n' % len(a) + b''.join(b'$%d\r\n%s\r\n' % (len(x), x) for x in a))
    return read()
def read():
    line = f.readline()
    t, rest = line[:1], line[1:-2]
    if t in b'+-:': return rest
    if t == b'$':
        l = int(rest)
        if l < 0: return None
        d = f.read(l + 2); return d[:-2]
    if t == b'*':
        l = int(rest); return [read() for _ in range(max(l, 0))]
sha = cmd('SCRIPT', 'LOAD', src)
p = '{p}'
rnd = random.Random(7)
t0 = 1796000000000
alert = bytes(rnd.getrandbits(8) for _ in range(640))
head = bytes(rnd.getrandbits(8) for _ in range(130))
report = bytes(rnd.getrandbits(8) for _ in range(193))
event = bytes(rnd.getrandbits(8) for _ in range(900))
def one(i):
    now = t0 + 1000 * i  # a report a second: the prune takes the one before, whatever the speed
    iid = 'inc-%06d-abcdefghij' % i
    keys = {'idempotency': p + 'idem:op/key-%d' % i, 'incident': p + 'incident:' + iid,
            'reports': p + 'incident:' + iid + ':reports', 'incidents': p + 'incidents',
            'open_incidents': p + 'incidents:open', 'report_log': p + 'log:reports',
            'places': p + 'incidents:near:1', 'incident_alerts': p + 'incident:' + iid + ':alerts',
            'alerted': p + 'incident:' + iid + ':alerted', 'reporters': p + 'incident:' + iid + ':reporters',
            'timers': p + 'timers', 'activity': p + 'incidents:activity', 'book': p + 'available',
            'book_version': p + 'available:version', 'corroborable': p + 'incidents:near',
            'rungs': p + 'rungs', 'unverified': p + 'unverified:hood-%d' % (i % 5)}
    args = {'id': iid, 'head': head, 'report': report, 'status': '1', 'created_ms': now, 'board': p + 'board',
            'event': event, 'idempotency_key': 'key-%d' % i, 'idempotency_ttl': 86400, 'history_max': 1000,
            'neighborhood': 'hood-%d' % (i % 5), 'report_id': 'rep-' + iid, 'lon': '%.6f' % (-118.5 + 0.01 * (i % 50)),
            'lat': '%.6f' % (34.0 + 0.01 * (i // 50)), 'kind': '1', 'reporter': 'op', 'confirmed_ms': '',
            'escalate_ms': now + 60000, 'now_ms': now, 'check_book': '1', 'expected_book': '',
            'near_meters': '300', 'near_since_ms': now - 500, 'prefix': p, 'prune_before_ms': now - 500,
            'places_prefix': p + 'incidents:near:', 'digest': 'abcdefabcdefabcd', 'rung_due_ms': now + 30000,
            'unverified_cap': '', 'unverified_since_ms': '', 'held_event': '', 'digest_hex': 'ab' * 16,
            'alert_count': 1}
    k = [keys[x] for x in key_names] + [p + 'alerts:hood-%d' % (i % 5)]
    a = [args[x] for x in args_names] + [p + 'live:hood-%d' % (i % 5), alert, 'hood-%d' % (i % 5), 'al-' + iid]
    r = cmd('EVALSHA', sha, len(k), *k, *a)
    assert isinstance(r, list) and r[0] == b'ok', r
for i in range(20): one(i)
subprocess.run(['callgrind_control', '--zero', str(proc.pid)], stdout=subprocess.DEVNULL)
for i in range(20, 20 + n): one(i)
subprocess.run(['callgrind_control', '--dump=phase', str(proc.pid)], stdout=subprocess.DEVNULL)
stats = cmd('INFO', 'commandstats').decode()
open(os.path.join(out, 'commandstats.txt'), 'w').write(stats)
cmd('SHUTDOWN', 'NOSAVE')
proc.wait()
# evalShaCommand's inclusive cost over the phase, and how many scripts and redis.calls ran.
phase = [f for f in os.listdir(out) if f.endswith('.1')][0]
tree = subprocess.run(['callgrind_annotate', '--inclusive=yes', '--auto=no', '--threshold=100', '--tree=caller',
                       os.path.join(out, phase)], capture_output=True, text=True).stdout
number = lambda s: int(s.replace(',', ''))
total = number(re.search(r'^\s*([0-9,]+) .*\*  \S*:evalShaCommand ', tree, re.M).group(1))
scripts = number(re.search(r'< \S*:evalShaCommand \(([0-9,]+)x\)', tree).group(1))
calls = number(re.search(r'< \S*:scriptCall \(([0-9,]+)x\)', tree).group(1))
print('open_incident.lua: %d scripts, %d instructions a script (evalShaCommand), %.1f redis.calls a script; '
      'profile %s' % (scripts, total // scripts, calls / scripts, os.path.join(out, phase)))
