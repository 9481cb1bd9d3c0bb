// A tile server "the network runs", for the tile tests: GET /{z}/{x}/{y}.png answers a solid
// tile (tileColor: a checkerboard), anything else 404. Listens on a free loopback port and
// writes it to the file named by its one argument, for browser_test.cpp to read.
//
//   node tile_server.mjs /tmp/dir/port

import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';

import { solidPng } from './png.mjs';
import { tileColor } from './tiles.mjs';

const portFile = process.argv[2];
if (!portFile) throw new Error('usage: node tile_server.mjs PORT_FILE');

const server = createServer((request, response) => {
  const match = /^\/(\d+)\/(\d+)\/(\d+)\.png$/.exec(request.url);
  if (request.method !== 'GET' || !match) {
    response.writeHead(404).end();
    return;
  }
  const [z, x, y] = match.slice(1).map(Number);
  response.writeHead(200, { 'Content-Type': 'image/png', 'Cache-Control': 'no-store' });
  response.end(solidPng(tileColor(z, x, y)));
});
server.listen(0, '127.0.0.1', () => writeFileSync(portFile, `${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
