// Media on incidents (docs/evidence.md): the observer card's Attach control, which sends a
// photo, video, recording or note in chunks and picks up after a dropped connection, and the
// board's media list and evidence export. Downloads go through fetch with the token in the
// Authorization header (never in a URL), then out of the page as a file.

import { ApiError, api } from './api.js';
import { token } from './session.js';
import { el } from './dom.js';
import { setText, t } from './i18n.js';

// Tries after a failed chunk before the page gives up and says so (1, 2, 4 ... 30 s apart).
const CHUNK_TRIES = 8;
// What the page shows per incident while an upload runs or after it ended; survives re-renders.
const uploads = new Map(); // incident id -> { key, values }

const KINDS = [
  { kind: 'PHOTO', accept: 'image/*', capture: 'environment' },
  { kind: 'VIDEO', accept: 'video/*', capture: 'environment' },
  { kind: 'AUDIO', accept: 'audio/*', capture: 'user' },
];

function statusOf(incidentId) {
  return document.querySelector(`.attach[data-incident="${CSS.escape(incidentId)}"] .attach-status`);
}

function say(incidentId, key, values = {}) {
  uploads.set(incidentId, { key, values });
  const node = statusOf(incidentId);
  if (node) setText(node, key, values);
}

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// One chunk: the raw bytes at `offset`. Answers the upload as the node holds it now.
async function putChunk(uploadId, offset, blob) {
  let response;
  try {
    response = await fetch(`/v1/uploads/${encodeURIComponent(uploadId)}`, {
      method: 'PUT',
      headers: {
        Authorization: `Bearer ${token()}`,
        'Content-Type': 'application/octet-stream',
        'Upload-Offset': String(offset),
        Accept: 'application/json',
      },
      body: blob,
    });
  } catch (e) {
    throw new ApiError(0, 'network', e.message);
  }
  const json = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, json.error?.code || `http_${response.status}`, json.error?.message);
  return json;
}

// Sends `file` (a File or Blob) to the incident as `kind`, chunk by chunk; after a failure it
// asks the node how far it got and goes on from there.
export async function uploadMedia(incidentId, kind, file, contentType = file.type) {
  const declared = await api('POST', `/v1/incidents/${encodeURIComponent(incidentId)}/media`, {
    kind, size: file.size, contentType: contentType || 'application/octet-stream',
  });
  const upload = declared.body;
  const chunk = Number(upload.chunkBytes);
  let offset = 0;
  let tries = 0;
  while (offset < file.size) {
    say(incidentId, 'media.sending', { percent: Math.floor((100 * offset) / file.size) });
    try {
      const answer = await putChunk(upload.id, offset, file.slice(offset, offset + chunk));
      offset = Number(answer.offset || 0);
      tries = 0;
      if (answer.media) return answer.media;
    } catch (e) {
      // Refused for good: the bytes, the quota, the size. Say why and stop.
      if (e.status >= 400 && e.status < 500 && e.status !== 409 && e.status !== 429) throw e;
      if (++tries > CHUNK_TRIES) throw e;
      say(incidentId, 'media.resuming');
      await wait(Math.min(30000, 1000 * 2 ** (tries - 1)));
      try {
        const progress = await api('GET', `/v1/uploads/${encodeURIComponent(upload.id)}`);
        offset = Number(progress.body.offset || 0);
      } catch { /* still away: try again */ }
    }
  }
  throw new ApiError(0, 'incomplete', 'the upload ended without a file');
}

async function send(incidentId, kind, file, contentType) {
  try {
    await uploadMedia(incidentId, kind, file, contentType);
    say(incidentId, 'media.sent');
  } catch (e) {
    say(incidentId, 'media.failed', { reason: e.message || e.code });
  }
}

// The observer card's control: a button per kind (the phone's camera or recorder, or a file),
// a note, and what the last upload did.
export function attachControl(incidentId) {
  const status = el('p', { class: 'attach-status', role: 'status' });
  const last = uploads.get(incidentId);
  if (last) setText(status, last.key, last.values);
  // An input, not a textarea: the observer page keeps what is typed in a card's textarea across
  // re-renders by position, and a second one would swap their words.
  const note = el('input', { type: 'text', class: 'attach-note-text', maxlength: 4000 });
  return el('details', { class: 'attach', dataset: { incident: incidentId } },
    el('summary', { dataset: { i18n: 'media.attach' } }, t('media.attach')),
    el('div', { class: 'attach-kinds' },
      KINDS.map(({ kind, accept, capture }) => el('label', { class: `attach-kind attach-${kind}` },
        el('span', { dataset: { i18n: `media.kind.${kind}` } }, t(`media.kind.${kind}`)),
        el('input', {
          type: 'file', accept, capture, dataset: { kind },
          onchange: (event) => {
            const file = event.target.files?.[0];
            if (file) send(incidentId, kind, file);
            event.target.value = '';
          },
        })))),
    el('label', { class: 'attach-note' },
      el('span', { dataset: { i18n: 'media.note' } }, t('media.note')), note),
    el('button', {
      type: 'button', class: 'attach-note-send', dataset: { i18n: 'media.sendNote' },
      onclick: () => {
        if (!note.value.trim()) return;
        send(incidentId, 'NOTE', new Blob([note.value], { type: 'text/plain' }), 'text/plain');
        note.value = '';
      },
    }, t('media.sendNote')),
    status);
}

// Fetches `path` with the token and hands the answer to the browser as a file named `name`.
async function download(path, name) {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${token()}` } });
  if (!response.ok) throw new ApiError(response.status, `http_${response.status}`);
  const url = URL.createObjectURL(await response.blob());
  const link = el('a', { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

// How often the board reads an incident's media again while it stays chosen (uploads send no
// board event).
const MEDIA_REFRESH_MS = 15000;

// Puts the media panel of `incidentId` at the end of `container` (the board's detail), reading
// the media again only when another incident is chosen or MEDIA_REFRESH_MS have passed.
export function showMedia(container, incidentId) {
  const current = container.querySelector(':scope > section.media');
  if (current && current.dataset.incident === incidentId && Date.now() - Number(current.dataset.read) < MEDIA_REFRESH_MS) return;
  const panel = mediaPanel(incidentId);
  panel.dataset.read = String(Date.now());
  if (current) current.replaceWith(panel);
  else container.append(panel);
}

// The board's panel for the chosen incident: its media (kind, size, SHA-256, who, when) with a
// download of each, and the evidence bundle's export.
export function mediaPanel(incidentId) {
  const list = el('ul', { class: 'media-list' });
  const status = el('p', { class: 'media-status', role: 'status' });
  const panel = el('section', { class: 'media', dataset: { incident: incidentId } },
    el('h3', { dataset: { i18n: 'media.title' } }, t('media.title')),
    list,
    el('button', {
      type: 'button', class: 'export-evidence', dataset: { i18n: 'media.export' },
      onclick: () => download(`/v1/incidents/${encodeURIComponent(incidentId)}/evidence-bundle`, `${incidentId}-evidence.zip`)
        .then(() => setText(status, 'media.exported'))
        .catch((e) => setText(status, 'media.failed', { reason: e.message || e.code })),
    }, t('media.export')),
    status);
  api('GET', `/v1/incidents/${encodeURIComponent(incidentId)}/media`).then(({ body }) => {
    const media = body.media || [];
    if (!media.length) list.replaceChildren(el('li', { class: 'media-none', dataset: { i18n: 'media.none' } }, t('media.none')));
    else list.replaceChildren(...media.map((m) => el('li', { class: 'media-item', dataset: { media: m.id, kind: m.kind } },
      el('span', { dataset: { i18n: `media.kind.${m.kind}` } }, t(`media.kind.${m.kind}`)),
      ` ${m.uploaderId} · ${Number(m.size).toLocaleString()} B · `,
      el('code', { class: 'sha' }, (m.sha256 || '').slice(0, 16)),
      el('button', { type: 'button', class: 'media-download', dataset: { i18n: 'media.download' },
        onclick: () => download(`/v1/media/${encodeURIComponent(m.id)}`, m.id) }, t('media.download')),
      m.hasSharedCopy
        ? el('button', { type: 'button', class: 'media-shared', dataset: { i18n: 'media.downloadShared' },
          onclick: () => download(`/v1/media/${encodeURIComponent(m.id)}/shared`, `${m.id}-shared`) }, t('media.downloadShared'))
        : null)));
  }).catch((e) => setText(status, 'media.failed', { reason: e.message || e.code }));
  return panel;
}
