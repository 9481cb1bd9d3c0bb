// The observer app's service worker: it shows the alerts that come by Web Push while the page is
// closed or the phone is locked, and lets a responder answer from the notification. Served at
// the root so its scope is the whole site (/observer.html registers it); no import, so every
// browser with Web Push runs it as a classic script.
//
// A push's plaintext is one JSON object the server writes in the responder's language (docs/push.md,
// "the payload"): title, body, lang, tag (one per incident: a newer alert replaces the older),
// urgent, url, and for an alert its ids, the actions and an ack capability. The capability lets
// this worker say "shown" and record an answer for that one alert, as that one responder, for a
// short while. The worker never holds a bearer token: the signed-in page keeps that.

// Where a notification without a usable url takes the responder.
const HOME = '/observer.html';
// Three long buzzes for an alert that wants someone on the street now (where the phone vibrates
// for notifications at all).
const URGENT_VIBRATION = [400, 150, 400, 150, 400];

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => event.waitUntil(onPush(event)));
self.addEventListener('notificationclick', (event) => event.waitUntil(onNotificationClick(event)));

// The push's JSON, or null when it has none or is not ours to read.
function payloadOf(event) {
  try {
    const push = event.data ? event.data.json() : null;
    return push && push.v === 1 && typeof push.title === 'string' ? push : null;
  } catch {
    return null;
  }
}

// Only a path on this site, never another origin: a push is from our server, but a url is
// opened in the responder's browser, so it is checked anyway.
function pageUrl(url) {
  try {
    const resolved = new URL(url || HOME, self.location.origin);
    return resolved.origin === self.location.origin ? resolved.href : new URL(HOME, self.location.origin).href;
  } catch {
    return new URL(HOME, self.location.origin).href;
  }
}

async function onPush(event) {
  const push = payloadOf(event);
  // The browser counts on every push showing something (userVisibleOnly); one we cannot read
  // still opens the alerts page when tapped.
  if (!push) return self.registration.showNotification('Puente', { tag: 'puente', data: { url: pageUrl(HOME) } });
  const urgent = Boolean(push.urgent);
  const options = {
    body: push.body || '',
    lang: push.lang || '',
    icon: '/icons/icon-192.png',
    badge: '/icons/icon-192.png',
    data: {
      kind: push.kind,
      url: pageUrl(push.url),
      alertId: push.alert?.id || '',
      incidentId: push.alert?.incidentId || '',
      capability: push.capability || '',
      actions: (push.actions || []).map((a) => a.action),
    },
    actions: (push.actions || []).map((a) => ({ action: String(a.action), title: String(a.title) })),
    requireInteraction: urgent,
    silent: false,
  };
  if (urgent) options.vibrate = URGENT_VIBRATION;
  // A newer alert of the same incident replaces the older one, and buzzes again (renotify needs a tag).
  if (push.tag) Object.assign(options, { tag: push.tag, renotify: true });
  if (push.alert?.sentAtMs) options.timestamp = push.alert.sentAtMs;
  await self.registration.showNotification(push.title, options);
  if (push.kind === 'alert' && push.capability && push.alert?.id) await tellServer('/v1/push/shown', push.capability, { alertId: push.alert.id });
}

// A POST with the push's capability instead of a bearer token. True when the server took it.
async function tellServer(path, capability, body) {
  try {
    const response = await fetch(path, {
      method: 'POST',
      headers: { Authorization: `Capability ${capability}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
      cache: 'no-store',
    });
    return response.ok;
  } catch {
    return false; // offline: the alert was shown all the same
  }
}

async function onNotificationClick(event) {
  const notification = event.notification;
  const data = notification.data || {};
  notification.close();
  // A button ("On my way", "Can't go"): the answer is recorded without opening the page. If it
  // cannot be (offline, the capability expired), the page opens at the incident to answer there.
  if (event.action && (data.actions || []).includes(event.action) && data.capability) {
    const answer = {
      alertId: data.alertId,
      incidentId: data.incidentId,
      state: event.action,
      idempotencyKey: `${data.alertId}:${event.action}`,
    };
    if (await tellServer('/v1/acks', data.capability, answer)) return;
  }
  await openAt(data.url || pageUrl(HOME));
}

// An alerts page already open is brought forward and shown the incident; else one is opened.
async function openAt(url) {
  const target = new URL(url);
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = windows.find((c) => new URL(c.url).pathname === target.pathname);
  if (open) {
    open.postMessage({ open: target.hash });
    // Allowed from a tap on the notification; refused (and of no matter) otherwise.
    await open.focus().catch(() => {});
    return;
  }
  await self.clients.openWindow(url);
}
