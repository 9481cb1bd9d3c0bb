// The benchmark's first peer: what a team would otherwise pick for Puente's live fan-out.
// socket.io on Node.js, rooms = neighborhoods, @socket.io/redis-adapter on the bench's Redis
// (so several of these could share the rooms), and POST /pub/<room> emitting the body to the
// room as one "alert" event. A client joins its room with the connect packet's auth
// ({"room": "<slug>"}) and is told "joined" once it is in, so the load generator knows when
// its sockets are live.
//
//   node server.js --port 0 --redis 127.0.0.1:6380 --port-file /tmp/port
"use strict";

const http = require("node:http");
const fs = require("node:fs");
const { Server } = require("socket.io");
const { createAdapter } = require("@socket.io/redis-adapter");
const { createClient } = require("redis");

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

async function main() {
  const port = Number(option("port", "0"));
  const [redisHost, redisPort] = option("redis", "127.0.0.1:6379").split(":");
  const portFile = option("port-file", "");

  const url = `redis://${redisHost}:${redisPort}`;
  const pub = createClient({ url });
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);

  const server = http.createServer((req, res) => {
    const match = /^\/pub\/([^/?]+)$/.exec(req.url);
    if (req.method !== "POST" || !match) {
      res.writeHead(404).end();
      return;
    }
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      // The body is handed on as it came: one string, serialized once by socket.io per emit.
      io.to(decodeURIComponent(match[1])).emit("alert", Buffer.concat(chunks).toString("utf8"));
      res.writeHead(201, { "content-type": "text/plain" }).end("ok");
    });
  });
  server.keepAliveTimeout = 60_000;

  const io = new Server(server, { transports: ["websocket"], serveClient: false, adapter: createAdapter(pub, sub) });
  io.on("connection", (socket) => {
    const room = socket.handshake.auth && socket.handshake.auth.room;
    if (typeof room !== "string" || room === "") return socket.disconnect(true);
    socket.join(room);
    socket.emit("joined", room);
  });

  server.listen(port, "127.0.0.1", () => {
    const bound = server.address().port;
    if (portFile) fs.writeFileSync(portFile, `${bound}\n`);
    console.log(`socket.io peer listening on 127.0.0.1:${bound}, redis ${url}`);
  });
  const stop = () => {
    io.close();
    Promise.allSettled([pub.quit(), sub.quit()]).then(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
