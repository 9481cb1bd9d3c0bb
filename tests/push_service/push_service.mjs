// A Web Push service of the tests' own, on loopback: what fcm.googleapis.com is to a real
// network, with every check a push service makes done by an implementation independent of
// Puente's C++ (Node's crypto, and http_ece for RFC 8291/8188 decryption).
//
//   node push_service.mjs --cert C --key K --ports-file F [--endpoint-host localhost]
//
// Serves HTTPS (certificate C, key K) on a free loopback port for the pushes, and plain HTTP
// on another for the test's admin calls; writes "<push port> <admin port>\n" to F once both
// listen. Subscription endpoints are https://<endpoint-host>:<push port>/push/<id>.
//
// Admin (JSON):
//   POST /subscriptions                 -> {id, endpoint, p256dh, auth}: a fresh P-256 key and
//                                          16-byte auth secret (base64url), as a browser makes
//   PUT  /subscriptions/<id>/answer     {status, headers, delayMs}: how to answer its next
//                                          pushes (default 201 at once); e.g. 410, 429 +
//                                          Retry-After, 500, 302; delayMs: a slow service (the
//                                          push is recorded when it arrives, answered then)
//   GET  /received                      -> every push received, in order (below)
//   GET  /summary                       -> {received, decrypted, failed}: counts, for the bench
//   DELETE /received                    forgets them
//   POST /close-connections             closes every open push connection, as a service closes
//                                          idle ones (each push records its connection's number)
//
// Each push is checked like a push service would, and the checks' findings are recorded (a push
// failing one is answered 400 with them): Content-Encoding aes128gcm, TTL digits, Urgency and
// Topic valid if present, the VAPID Authorization (`vapid t=<jwt>, k=<key>`: ES256 signature
// verified with k, header {"typ":"JWT","alg":"ES256"}, aud = this service's origin, exp in the
// future and at most 24 h ahead, sub "mailto:" or "https:"), and the body decrypted with the
// subscription's private key and auth secret.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import ece from 'http_ece';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []));
for (const required of ['cert', 'key', 'ports-file'])
  if (!args[required]) throw new Error(`push_service.mjs: --${required} is required`);
const endpointHost = args['endpoint-host'] ?? 'localhost';

const subscriptions = new Map();  // id -> {ecdh, auth, answer}
let received = [];
let decrypted = 0;
let failed = 0;
let pushPort = 0;

const b64url = (buffer) => Buffer.from(buffer).toString('base64url');

function readBody(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function answerJson(response, status, value) {
  const body = JSON.stringify(value);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

// The VAPID header's findings: {header, claims, verified, key, errors}.
function checkVapid(authorization) {
  const errors = [];
  const match = /^vapid t=([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+), k=([A-Za-z0-9_-]+)$/.exec(authorization ?? '');
  if (!match) return { errors: ['Authorization is not "vapid t=<jwt>, k=<key>"'] };
  const [, jwt, k] = match;
  const [headerPart, claimsPart, signaturePart] = jwt.split('.');
  const result = { key: k, verified: false, errors };
  try {
    result.header = JSON.parse(Buffer.from(headerPart, 'base64url').toString());
    result.claims = JSON.parse(Buffer.from(claimsPart, 'base64url').toString());
  } catch {
    errors.push('the JWT header or claims are not JSON');
    return result;
  }
  const point = Buffer.from(k, 'base64url');
  if (point.length !== 65 || point[0] !== 4) {
    errors.push('k is not an uncompressed P-256 point');
    return result;
  }
  const publicKey = crypto.createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: b64url(point.subarray(1, 33)), y: b64url(point.subarray(33, 65)) },
    format: 'jwk',
  });
  // ES256 signatures are r || s (IEEE P1363), not DER.
  result.verified = crypto.verify('sha256', Buffer.from(`${headerPart}.${claimsPart}`),
                                  { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signaturePart, 'base64url'));
  if (!result.verified) errors.push('the JWT signature does not verify with k');
  if (result.header.typ !== 'JWT' || result.header.alg !== 'ES256') errors.push('the JWT header is not {"typ":"JWT","alg":"ES256"}');
  const origin = `https://${endpointHost}:${pushPort}`;
  if (result.claims.aud !== origin) errors.push(`aud is ${result.claims.aud}, not ${origin}`);
  const now = Math.floor(Date.now() / 1000);
  if (!Number.isInteger(result.claims.exp) || result.claims.exp <= now) errors.push('exp is missing or past');
  else if (result.claims.exp > now + 24 * 3600) errors.push('exp is more than 24 hours ahead');
  if (!/^(mailto:.+|https:\/\/.+)$/.test(result.claims.sub ?? '')) errors.push('sub is not a mailto: or https: contact');
  return result;
}

async function onPush(request, response, id) {
  const body = await readBody(request);
  const subscription = subscriptions.get(id);
  const entry = {
    subscription: id,
    method: request.method,
    ttl: request.headers.ttl ?? null,
    urgency: request.headers.urgency ?? null,
    topic: request.headers.topic ?? null,
    contentEncoding: request.headers['content-encoding'] ?? null,
    contentType: request.headers['content-type'] ?? null,
    bodyBytes: body.length,
    sni: request.socket.servername ?? null,  // the TLS server name the sender asked for
    connection: request.socket.connectionNumber,  // 1, 2, ...: which TLS connection carried it
    errors: [],
  };
  received.push(entry);
  if (!subscription) {
    entry.errors.push('no such subscription');
    entry.answered = 404;
    failed++;
    return answerJson(response, 404, { errors: entry.errors });
  }
  if (request.method !== 'POST') entry.errors.push(`method ${request.method}, not POST`);
  if (entry.contentEncoding !== 'aes128gcm') entry.errors.push('Content-Encoding is not aes128gcm');
  if (!/^\d+$/.test(entry.ttl ?? '')) entry.errors.push('TTL is missing or not a number of seconds');
  if (entry.urgency !== null && !['very-low', 'low', 'normal', 'high'].includes(entry.urgency)) entry.errors.push('Urgency is not one of RFC 8030\'s');
  if (entry.topic !== null && !/^[A-Za-z0-9_-]{1,32}$/.test(entry.topic)) entry.errors.push('Topic is not 1-32 base64url characters');
  if (body.length > 4096) entry.errors.push(`the body is ${body.length} bytes, more than 4096`);

  const vapid = checkVapid(request.headers.authorization);
  entry.jwt = { header: vapid.header ?? null, claims: vapid.claims ?? null, verified: vapid.verified ?? false };
  entry.vapidKey = vapid.key ?? null;
  entry.errors.push(...vapid.errors);

  try {
    const plaintext = ece.decrypt(body, { version: 'aes128gcm', privateKey: subscription.ecdh, authSecret: subscription.auth });
    entry.payload = plaintext.toString('base64');
  } catch (error) {
    entry.errors.push(`decryption failed: ${error.message}`);
  }

  if (entry.errors.length > 0) {
    failed++;
    entry.answered = 400;
    console.error(`push to ${id} refused: ${entry.errors.join('; ')}`);
    return answerJson(response, 400, { errors: entry.errors });
  }
  decrypted++;
  const { status, headers, delayMs } = subscription.answer;
  entry.answered = status;
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  response.writeHead(status, { location: `/message/${received.length}`, ...headers, 'content-length': 0 });
  response.end();
}

async function onAdmin(request, response) {
  const url = new URL(request.url, 'http://admin');
  const answerPath = /^\/subscriptions\/([^/]+)\/answer$/.exec(url.pathname);
  if (request.method === 'POST' && url.pathname === '/subscriptions') {
    await readBody(request);
    const id = crypto.randomBytes(12).toString('base64url');
    const ecdh = crypto.createECDH('prime256v1');
    ecdh.generateKeys();
    const auth = crypto.randomBytes(16);
    subscriptions.set(id, { ecdh, auth, answer: { status: 201, headers: {} } });
    return answerJson(response, 201, {
      id,
      endpoint: `https://${endpointHost}:${pushPort}/push/${id}`,
      p256dh: b64url(ecdh.getPublicKey()),
      auth: b64url(auth),
    });
  }
  if (request.method === 'PUT' && answerPath) {
    const subscription = subscriptions.get(answerPath[1]);
    const body = JSON.parse((await readBody(request)).toString() || '{}');
    if (!subscription || !Number.isInteger(body.status)) return answerJson(response, 400, { error: 'no such subscription, or no status' });
    subscription.answer = { status: body.status, headers: body.headers ?? {}, delayMs: Number(body.delayMs ?? 0) };
    return answerJson(response, 200, subscription.answer);
  }
  if (request.method === 'GET' && url.pathname === '/received') return answerJson(response, 200, received);
  if (request.method === 'GET' && url.pathname === '/summary') return answerJson(response, 200, { received: received.length, decrypted, failed });
  if (request.method === 'POST' && url.pathname === '/close-connections') {
    const closed = openConnections.size;
    for (const socket of openConnections) socket.destroy();
    return answerJson(response, 200, { closed });
  }
  if (request.method === 'DELETE' && url.pathname === '/received') {
    received = [];
    decrypted = failed = 0;
    return answerJson(response, 200, {});
  }
  answerJson(response, 404, { error: 'no such admin route' });
}

const pushServer = https.createServer({ cert: fs.readFileSync(args.cert), key: fs.readFileSync(args.key) }, (request, response) => {
  const path = /^\/push\/([^/?]+)$/.exec(new URL(request.url, 'https://push').pathname);
  if (!path) return answerJson(response, 404, { error: 'not a push endpoint' });
  onPush(request, response, path[1]).catch((error) => answerJson(response, 500, { error: error.message }));
});
let connections = 0;
const openConnections = new Set();
pushServer.on('secureConnection', (socket) => {
  socket.connectionNumber = ++connections;
  openConnections.add(socket);
  socket.on('close', () => openConnections.delete(socket));
});
const adminServer = http.createServer((request, response) => {
  onAdmin(request, response).catch((error) => answerJson(response, 500, { error: error.message }));
});

const listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
pushPort = await listen(pushServer);
const adminPort = await listen(adminServer);
// Written whole, then renamed: the test reads the file once it ends with a newline.
fs.writeFileSync(`${args['ports-file']}.tmp`, `${pushPort} ${adminPort}\n`);
fs.renameSync(`${args['ports-file']}.tmp`, args['ports-file']);
console.log(`push service: pushes on https://${endpointHost}:${pushPort}, admin on http://127.0.0.1:${adminPort}`);
