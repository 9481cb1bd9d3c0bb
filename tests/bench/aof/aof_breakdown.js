#!/usr/bin/env node
// Where the bytes of a Redis append-only log go (`tests/bench/fanout.sh --aof-bytes`, issue 22): reads the
// RESP commands of an AOF file from a byte offset on, and sums each command's bytes (as the log
// holds them, framing included) by command and key shape, the ids in keys folded into
// placeholders. Prints one line per shape, largest first, and per report when told how many.
//
//   node aof_breakdown.js FILE OFFSET REPORTS PREFIX
//
// With PUENTE_AOF_SHOW=N in the environment it also prints the N-th transaction (MULTI ... EXEC)
// that writes the report log (one report's open), command by command with its bytes, each
// argument cut to 40 characters: `PUENTE_AOF_SHOW=500 tests/bench/fanout.sh --aof-bytes`.
'use strict';
const fs = require('fs');

const [file, offsetText, reportsText, prefix = 'puente:'] = process.argv.slice(2);
const data = fs.readFileSync(file).subarray(Number(offsetText) || 0);
const reports = Number(reportsText) || 1;

// One RESP array of bulk strings at `at`: {args, end}.
function command(at) {
  const line = (from) => {
    const stop = data.indexOf('\r\n', from);
    if (stop < 0) throw new Error(`truncated at ${from}`);
    return {text: data.toString('latin1', from, stop), next: stop + 2};
  };
  let head = line(at);
  if (head.text[0] !== '*') throw new Error(`not an array at ${at}: ${head.text.slice(0, 20)}`);
  const count = Number(head.text.slice(1));
  const args = [];
  let next = head.next;
  for (let i = 0; i < count; i++) {
    const size = line(next);
    const length = Number(size.text.slice(1));
    args.push(data.subarray(size.next, size.next + length));
    next = size.next + length + 2;
  }
  return {args, end: next};
}

// A key's shape: the prefix dropped, ids and numbers folded.
function shape(key) {
  let k = key.startsWith(prefix) ? key.slice(prefix.length) : key;
  k = k.replace(/^incident:[^:]+/, 'incident:{id}')
      .replace(/^(alerts|live|unverified|idem|push|sms-[a-z]+|media|upload|blob):.*/, '$1:{..}')
      .replace(/^incidents:near:\d+$/, 'incidents:near:{kind}');
  return k;
}

const show = Number(process.env.PUENTE_AOF_SHOW) || 0;
let transaction = [], reportsSeen = 0;
function shown(args, size) {
  const text = args.map((a) => {
    const s = a.toString('latin1').replace(/[^\x20-\x7e]/g, '.');
    return s.length > 40 ? `${s.slice(0, 40)}...(${s.length})` : s;
  });
  return `${String(size).padStart(5)} B  ${text.join(' ')}`;
}

const totals = new Map();
let at = 0, bytes = 0, commands = 0;
while (at < data.length) {
  const {args, end} = command(at);
  if (show) {
    const first = args[0].toString('latin1').toUpperCase();
    if (first === 'MULTI') transaction = [];
    transaction.push(shown(args, end - at));
    if (first === 'XADD' && args[1].toString('latin1') === `${prefix}log:reports`) reportsSeen += 1;
    if (first === 'EXEC' && reportsSeen === show && transaction.length) {
      const total = transaction.reduce((sum, line) => sum + Number(line.slice(0, 5)), 0);
      console.log(`one report's transaction (the ${show}th), ${total} B:\n${transaction.join('\n')}`);
      transaction = [];
      reportsSeen += 1;  // printed once
    }
  }
  const name = args[0].toString('latin1').toUpperCase();
  const key = ['MULTI', 'EXEC', 'SELECT'].includes(name) || args.length < 2 ? '' : shape(args[1].toString('latin1'));
  const what = key ? `${name} ${key}` : name;
  const t = totals.get(what) || {bytes: 0, count: 0};
  t.bytes += end - at;
  t.count += 1;
  totals.set(what, t);
  bytes += end - at;
  commands += 1;
  at = end;
}

const rows = [...totals.entries()].sort((a, b) => b[1].bytes - a[1].bytes);
console.log(`${bytes} bytes in ${commands} commands for ${reports} reports: ${(bytes / reports).toFixed(0)} B per report`);
console.log('| command and key | B per report | commands per report |');
console.log('| --- | --- | --- |');
for (const [what, t] of rows)
  console.log(`| ${what} | ${(t.bytes / reports).toFixed(1)} | ${(t.count / reports).toFixed(2)} |`);
