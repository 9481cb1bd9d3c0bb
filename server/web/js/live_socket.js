// The page's live line: the WebSocket of DESIGN.md "Contracts".
//
// Its first message is a hello carrying the token (never the URL). Per neighborhood it keeps
// the offset of the last alert it handed on (or, before the first, the time it asked to start
// from), and the history epoch of the last welcome; when the line drops it reconnects by itself
// (0.5 s, doubling to 15 s; at once when the browser is back online or the tab visible again)
// and asks for what came after those offsets (sinceOffset), or from that time on (sinceTimeMs).
//
// Alerts are handed on as they come: the server sends each one once, in order, on a line and
// across reconnects (it replays after the offset it is given, holds live alerts meanwhile and
// drops what it already sent: server/core/stream_recovery.hpp), and a dropped line's handlers
// are gone before the next line opens, so nothing of it arrives late. What only the page can
// do stays here: remember where it is (the server keeps nothing of a closed line), and reload
// when a welcome says recovered false after alerts were shown (the history did not reach
// back: 'reload' tells the page to fetch what it shows over HTTP). A ping every 25 s finds a
// line that died silently.
//
// Events: 'state' (detail: 'connecting' | 'online' | 'reconnecting' | 'offline' | 'refused',
// the token refused: no network wait will help, issue 20),
// 'welcome' (detail: the Welcome), 'alert' (detail: an Alert), 'incident' (detail: an
// IncidentEvent), 'reload', 'denied' (detail: the ErrorBody; the token was refused).

import { token } from './session.js';

const PING_EVERY_MS = 25000;
const PONG_WAIT_MS = 10000;
const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 15000;
const REFUSED_TOKEN = new Set(['bad_token', 'missing_token', 'forbidden']);

export class LiveSocket extends EventTarget {
  // board: a dispatcher's board events. recentMs: on the first welcome, ask again for the
  // alerts of the last recentMs of each granted neighborhood (an observer opening the page
  // sees what is going on).
  constructor({ board = false, recentMs = 0 } = {}) {
    super();
    this.board = board;
    this.recentMs = recentMs;
    this.neighborhoods = null; // learned from the first welcome
    this.offsets = new Map(); // slug -> offset of the last alert handed on
    this.sinceTimes = new Map(); // slug -> Unix ms asked from, until an alert of it comes
    this.epoch = '';
    this.delivered = 0;
    this.state = 'connecting';
    this.ws = null;
    this.backoff = BACKOFF_MIN_MS;
    this.retry = null;
    this.stopped = false;
  }

  start() {
    addEventListener('offline', () => this.drop('offline'));
    addEventListener('online', () => this.reconnectNow());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible' && this.state !== 'online') this.reconnectNow();
    });
    this.connect();
  }

  stop() {
    this.stopped = true;
    this.drop('offline');
  }

  setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.dispatchEvent(new CustomEvent('state', { detail: state }));
  }

  connect() {
    clearTimeout(this.retry);
    this.retry = null;
    if (this.stopped || this.ws) return;
    if (!navigator.onLine) return this.setState('offline');
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/v1/ws`);
    this.ws = ws;
    ws.onopen = () => ws.send(JSON.stringify({ hello: this.hello() }));
    ws.onmessage = (event) => this.receive(JSON.parse(event.data));
    ws.onclose = () => {
      if (this.ws === ws) this.lineDown();
    };
  }

  hello() {
    // An offset when the page has one (the server refuses both): it says exactly what was seen.
    // sinceTimeMs only when there is a time: a server older than it refuses the unknown key.
    const subscriptions = (this.neighborhoods || []).map((neighborhood) => {
      const sinceOffset = this.offsets.get(neighborhood) || '';
      const subscription = { neighborhood, sinceOffset, epoch: this.epoch };
      const since = this.sinceTimes.get(neighborhood);
      if (!subscription.sinceOffset && since) subscription.sinceTimeMs = since;
      return subscription;
    });
    return { token: token(), board: this.board, subscriptions };
  }

  receive(message) {
    if (message.welcome) return this.welcomed(message.welcome);
    if (message.alert) return this.alert(message.alert);
    if (message.incident) return this.emit('incident', message.incident);
    if (message.pong) return clearTimeout(this.pongWait);
    if (message.error) {
      if (this.state !== 'online' && REFUSED_TOKEN.has(message.error.code)) {
        this.stopped = true;
        this.refused = true;
        this.emit('denied', message.error);
        this.drop('refused');
      }
    }
  }

  welcomed(welcome) {
    this.backoff = BACKOFF_MIN_MS;
    const first = this.neighborhoods === null;
    this.neighborhoods = (welcome.subscriptions || []).map((s) => s.neighborhood);
    this.epoch = welcome.epoch || '';
    if (first && this.recentMs && this.neighborhoods.length) {
      // The hello named no neighborhoods (the roster's were granted): ask again, this time
      // from recentMs ago (a time, not an offset: the server finds the first alert at or after
      // it). Alerts met on this line meanwhile keep their own offsets.
      const since = Date.now() - this.recentMs;
      for (const slug of this.neighborhoods) this.sinceTimes.set(slug, since);
      return this.drop('connecting', true);
    }
    this.setState('online');
    this.emit('welcome', welcome);
    // proto3 JSON leaves out a false: no `recovered` means false.
    if (!welcome.recovered && this.delivered > 0) this.emit('reload');
    this.schedulePing();
  }

  alert(alert) {
    if (alert.offset) this.offsets.set(alert.neighborhood, alert.offset);
    this.delivered++;
    this.emit('alert', alert);
  }

  schedulePing() {
    clearInterval(this.pinger);
    this.pinger = setInterval(() => {
      if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;
      this.ws.send(JSON.stringify({ ping: {} }));
      clearTimeout(this.pongWait);
      this.pongWait = setTimeout(() => this.drop('reconnecting'), PONG_WAIT_MS);
    }, PING_EVERY_MS);
  }

  // Lets go of the current socket without waiting for its close handshake (a dead network may
  // never finish one), then reconnects (at once with `now`) unless offline or stopped.
  drop(state, now = false) {
    const ws = this.ws;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = null;
      try {
        ws.close();
      } catch {
        // already closed
      }
    }
    this.ws = null;
    this.lineDown(state, now);
  }

  lineDown(state = 'reconnecting', now = false) {
    this.ws = null;
    clearInterval(this.pinger);
    clearTimeout(this.pongWait);
    if (this.stopped) return this.setState(this.refused ? 'refused' : 'offline');
    if (!navigator.onLine) return this.setState('offline');
    this.setState(state);
    if (now) return this.connect();
    clearTimeout(this.retry);
    const wait = this.backoff * (0.75 + Math.random() / 2);
    this.backoff = Math.min(this.backoff * 2, BACKOFF_MAX_MS);
    this.retry = setTimeout(() => this.connect(), wait);
  }

  reconnectNow() {
    if (this.stopped || this.ws) return;
    this.backoff = BACKOFF_MIN_MS;
    this.connect();
  }

  emit(name, detail) {
    this.dispatchEvent(new CustomEvent(name, { detail }));
  }
}
