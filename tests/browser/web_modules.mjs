// The pages' own modules (server/web/js/*.js) loaded in Node as the browser loads them, as ES
// modules: that folder has no package.json to say so, and Node would take a .js as CommonJS.
// Only modules that touch no DOM can run here: kinds.js (proto_names.test.mjs) and board_state.js
// (board_state.test.mjs).

import { register } from 'node:module';

const hooks = `
export async function load(url, context, next) {
  if (url.startsWith('file:') && url.includes('/server/web/js/')) return next(url, { ...context, format: 'module' });
  return next(url, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);

const JS = new URL('../../server/web/js/', import.meta.url);

// The module server/web/js/<name>.js.
export const webModule = (name) => import(new URL(`${name}.js`, JS).href);
