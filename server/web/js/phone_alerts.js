// "Get alerts on this phone" and "My phones", on the observer page: alerts by Web Push, so a
// phone in a pocket, locked, with the page closed, still gets them (docs/push.md).
//
// Turning alerts on: notification permission (asked on the tap, as browsers require), the
// network's key (GET /v1/push/key: a 404 push_not_configured means this network has no Web
// Push), pushManager.subscribe with it, the subscription handed to the server
// (POST /v1/me/push-subscriptions, named after the phone), and the sign-in traded for a device
// token so this phone stays signed in (session.js). iPhone and iPad give Web Push only to a web
// app added to the Home Screen: there the page first says how. Each opening of the page on a
// phone that gets alerts hands its subscription over again: the server counts that as the phone
// heard from (a phone silent for days is nudged, then dropped).
//
// "My phones" lists the responder's phones (GET /v1/me/push-subscriptions; one not heard from
// lately is marked), each with "remove" (DELETE). Removing this phone, or signing out, also
// ends its subscription in the browser.

import { ApiError, api, get, post } from './api.js';
import { $, el, show } from './dom.js';
import { day } from './kinds.js';
import { currentLanguage, onLanguageChange, setText, t } from './i18n.js';
import { deviceToken, keepDeviceToken, onSignOut } from './session.js';

const supported = () => 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
// iPadOS calls itself a Mac; a Mac has no touch screen.
const onAppleMobile = () =>
  /iPhone|iPad|iPod/.test(navigator.userAgent) || (/Macintosh/.test(navigator.userAgent) && navigator.maxTouchPoints > 1);
const installed = () => navigator.standalone === true || matchMedia('(display-mode: standalone)').matches;

let registration = null; // the service worker's, once active
let phones = []; // the responder's PushSubscriptions, as last listed
let thisPhone = ''; // the id of this phone's, when it is among them

// The service worker at the root (sw.js): registered on every opening, so the page can be
// installed and pushes have somewhere to go. Null where there is none.
export async function registerWorker() {
  if (!('serviceWorker' in navigator)) return null;
  try {
    await navigator.serviceWorker.register('/sw.js');
    registration = await navigator.serviceWorker.ready;
  } catch {
    registration = null;
  }
  return registration;
}

// The applicationServerKey, from base64url text to bytes.
function keyBytes(base64url) {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '=')), (c) => c.charCodeAt(0));
}

const sameBytes = (a, b) => a && b && a.byteLength === b.byteLength && new Uint8Array(a).every((x, i) => x === b[i]);

function guessedLabel() {
  const ua = navigator.userAgent;
  for (const name of ['iPhone', 'iPad', 'Android']) if (ua.includes(name)) return t('phones.defaultLabel', { name });
  return t('phones.defaultLabelOther');
}

function say(state, key, values) {
  $('#phone-alerts').dataset.state = state;
  setText($('#push-state'), key, values);
  show($('#install-guide'), state === 'install');
  const canTurnOn = ['off', 'failed'].includes(state);
  show($('#push-enable'), canTurnOn);
  show($('#device-label-field'), canTurnOn);
  $('#push-enable').disabled = false;
}

// What the server's refusal means to the responder.
function failure(e) {
  if (e instanceof ApiError && e.code === 'too_many_phones') return ['failed', 'phones.tooMany'];
  if (e instanceof ApiError && ['endpoint_not_allowed', 'bad_endpoint'].includes(e.code)) return ['failed', 'phones.serviceNotAllowed'];
  return ['failed', 'phones.failed', { reason: e.message || String(e) }];
}

async function handOver(subscription, device) {
  const { endpoint, keys } = subscription.toJSON();
  const { body } = await post('/v1/me/push-subscriptions', { endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth }, device });
  return body;
}

// The tap on "Get alerts on this phone".
async function turnOn() {
  if (onAppleMobile() && !installed()) return say('install', 'phones.install');
  if (!supported() || !registration) return say('unsupported', 'phones.unsupported');
  $('#push-enable').disabled = true;
  setText($('#push-state'), 'phones.working');
  try {
    const permission = await Notification.requestPermission();
    if (permission !== 'granted') return say('denied', 'phones.denied');
    const publicKey = await networkKey();
    if (publicKey === null) return say('not-configured', 'phones.notConfigured');
    const key = keyBytes(publicKey);
    let subscription = await registration.pushManager.getSubscription();
    // Made with another key (the network's key was rotated): the push service would refuse ours.
    if (subscription && !sameBytes(subscription.options?.applicationServerKey, key)) {
      await subscription.unsubscribe();
      subscription = null;
    }
    subscription ||= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
    const device = $('#device-label').value.trim().slice(0, 64) || guessedLabel();
    thisPhone = (await handOver(subscription, device)).id;
    if (!deviceToken()) {
      const { body } = await post('/v1/me/device-tokens', { note: device });
      keepDeviceToken({ id: body.id, token: body.token });
    }
    say('on', 'phones.on');
  } catch (e) {
    say(...failure(e));
  }
  await listPhones();
}

async function listPhones() {
  try {
    phones = (await get('/v1/me/push-subscriptions')).subscriptions || [];
  } catch {
    return; // offline: the list as it was
  }
  renderPhones();
}

async function remove(phone) {
  try {
    await api('DELETE', `/v1/me/push-subscriptions/${encodeURIComponent(phone.id)}`);
  } catch (e) {
    if (e.code !== 'unknown_push_subscription') return say(...failure(e));
  }
  if (phone.id === thisPhone) {
    await (await registration?.pushManager.getSubscription())?.unsubscribe();
    thisPhone = '';
    say('off', 'phones.off');
  }
  await listPhones();
}

function renderPhones() {
  const language = currentLanguage();
  $('#phone-list').replaceChildren(
    ...phones.map((phone) =>
      el('li', { class: `phone${phone.stale ? ' stale' : ''}`, dataset: { phone: phone.id, stale: String(Boolean(phone.stale)), thisPhone: String(phone.id === thisPhone) } },
        el('strong', {}, phone.device || ''),
        phone.id === thisPhone ? el('span', { class: 'this-phone' }, t('phones.thisOne')) : null,
        el('span', { class: 'meta' },
          [t('phones.added', { date: day(phone.createdAt, language) }), phone.lastContactAt ? t('phones.lastContact', { date: day(phone.lastContactAt, language) }) : null]
            .filter(Boolean)
            .join(' · ')),
        phone.stale ? el('span', { class: 'stale-note' }, t('phones.stale')) : null,
        el('button', { type: 'button', class: 'quiet remove', onclick: () => remove(phone) }, t('phones.remove'))),
    ),
  );
  show($('#no-phones'), phones.length === 0);
}

// The network's applicationServerKey (GET /v1/push/key), or null when it has no Web Push;
// throws when the server cannot say (offline).
async function networkKey() {
  try {
    return (await get('/v1/push/key')).publicKey;
  } catch (e) {
    if (e.code === 'push_not_configured') return null;
    throw e;
  }
}

// Where this phone stands, on opening the page. A network without Web Push is said first: then
// nothing else here matters.
async function standing() {
  await listPhones();
  if ((await networkKey().catch(() => '')) === null) return say('not-configured', 'phones.notConfigured');
  if (onAppleMobile() && !installed()) return say('install', 'phones.install');
  if (!supported() || !registration) return say('unsupported', 'phones.unsupported');
  if (Notification.permission === 'denied') return say('denied', 'phones.denied');
  const subscription = await registration.pushManager.getSubscription();
  const mine = subscription && phones.find((p) => p.endpoint === subscription.endpoint);
  if (!mine) return say('off', 'phones.off');
  thisPhone = mine.id;
  say('on', 'phones.on');
  renderPhones();
  // Heard from: the app was opened on this phone.
  await handOver(subscription, mine.device).catch(() => {});
}

// Wires the section (#phone-alerts in observer.html) once the responder is signed in.
export function startPhoneAlerts() {
  $('#device-label').value = guessedLabel();
  $('#push-enable').addEventListener('click', turnOn);
  onLanguageChange(renderPhones);
  // Signing out takes this phone off the alerts: whoever holds it next gets none.
  onSignOut(async () => {
    const subscription = await registration?.pushManager.getSubscription();
    const mine = subscription && phones.find((p) => p.endpoint === subscription.endpoint);
    if (mine) await api('DELETE', `/v1/me/push-subscriptions/${encodeURIComponent(mine.id)}`).catch(() => {});
    await subscription?.unsubscribe();
  });
  registerWorker().then(standing);
}
