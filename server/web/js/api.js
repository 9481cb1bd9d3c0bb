// HTTP calls to the node that served the page: JSON in and out (proto3 JSON, lowerCamelCase),
// the bearer token from the session, and errors as ApiError carrying the server's code.

import { token } from './session.js';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code);
    this.status = status;
    this.code = code;
  }
}

export async function api(method, path, body) {
  const headers = { Authorization: `Bearer ${token()}`, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-cache',
    });
  } catch (e) {
    throw new ApiError(0, 'network', e.message);
  }
  const text = await response.text();
  let json = {};
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    throw new ApiError(response.status, 'bad_answer', text.slice(0, 200));
  }
  if (!response.ok) {
    const error = json.error || {};
    throw new ApiError(response.status, error.code || 'http_' + response.status, error.message);
  }
  return { status: response.status, body: json };
}

export const get = (path) => api('GET', path).then((r) => r.body);
export const post = (path, body) => api('POST', path, body);
