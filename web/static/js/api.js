// api.js: calls Tolk's services with the Connect protocol over the HTTP
// face. Unary calls are POSTs of proto JSON; streams (imports, exports) use
// Connect's enveloped streaming body, sent whole.

const TOKEN_KEY = 'tolk.token';

// ApiError is a failed call: code is the Connect code ("unauthenticated",
// "invalid_argument", ...) or "unavailable" when the server could not be
// reached; message is the server's own message.
export class ApiError extends Error {
  constructor(code, message, httpStatus, details) {
    super(message);
    this.code = code;
    this.httpStatus = httpStatus;
    this.details = details || [];
  }
  // reason is the tolk reason of google.rpc.ErrorInfo, if the server sent one.
  get reason() {
    const info = this.details.find((d) => d.type === 'google.rpc.ErrorInfo');
    return info && info.debug ? info.debug.reason : '';
  }
}

export function token() { return sessionStorage.getItem(TOKEN_KEY) || ''; }
export function setToken(t) {
  if (t) sessionStorage.setItem(TOKEN_KEY, t); else sessionStorage.removeItem(TOKEN_KEY);
}

function headers(contentType) {
  const h = { 'Content-Type': contentType, 'Connect-Protocol-Version': '1' };
  const t = token();
  if (t) h.Authorization = 'Bearer ' + t;
  return h;
}

const httpCodes = { 400: 'invalid_argument', 401: 'unauthenticated', 403: 'permission_denied', 404: 'not_found',
  408: 'deadline_exceeded', 413: 'resource_exhausted', 429: 'resource_exhausted', 502: 'unavailable', 503: 'unavailable', 504: 'unavailable' };

function failure(status, text) {
  let j = null;
  try { j = JSON.parse(text); } catch { /* not JSON: a proxy's or the HTTP layer's page */ }
  if (j && j.code) return new ApiError(j.code, j.message || j.code, status, j.details);
  return new ApiError(httpCodes[status] || 'unknown', (text || '').trim() || `HTTP ${status}`, status, []);
}

function unreachable() {
  return new ApiError('unavailable', 'The server cannot be reached: it may be stopped or restarting.', 0, []);
}

// listeners get every ApiError, so that the app can send the user back to
// sign-in when a token expires or is revoked.
const listeners = [];
export function onError(fn) { listeners.push(fn); }
function report(err) { listeners.forEach((fn) => fn(err)); return err; }

// call sends one unary request: method is "Service/Method" of tolk.v1.
export async function call(method, body) {
  let resp;
  try {
    resp = await fetch('/tolk.v1.' + method, { method: 'POST', headers: headers('application/json'), body: JSON.stringify(body || {}), credentials: 'omit' });
  } catch {
    throw report(unreachable());
  }
  const text = await resp.text();
  if (!resp.ok) throw report(failure(resp.status, text));
  return JSON.parse(text);
}

// envelope returns the Connect stream frame of one JSON message.
function envelope(msg, flags = 0) {
  const data = new TextEncoder().encode(JSON.stringify(msg));
  const head = new Uint8Array(5);
  head[0] = flags;
  new DataView(head.buffer).setUint32(1, data.length);
  return [head, data];
}

// frames splits a Connect stream body into its messages; it throws the
// end-of-stream error, if any.
function frames(buf, status) {
  const out = [];
  const view = new DataView(buf);
  let at = 0;
  while (at + 5 <= buf.byteLength) {
    const flags = view.getUint8(at);
    const n = view.getUint32(at + 1);
    const json = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, at + 5, n)));
    at += 5 + n;
    if (flags & 2) {
      if (json.error) throw report(new ApiError(json.error.code || 'unknown', json.error.message || json.error.code, status, json.error.details));
    } else {
      out.push(json);
    }
  }
  return out;
}

// stream calls a client- or server-streaming method with the given
// request messages, sent as one body; onProgress(sent, total) follows the
// upload. It resolves with the answer's messages.
export function stream(method, messages, onProgress) {
  return new Promise((resolve, reject) => {
    const parts = messages.flatMap((m) => envelope(m));
    const body = new Blob(parts);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/tolk.v1.' + method);
    const h = headers('application/connect+json');
    delete h['Connect-Protocol-Version'];
    for (const [k, v] of Object.entries(h)) xhr.setRequestHeader(k, v);
    xhr.responseType = 'arraybuffer';
    if (onProgress) xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : body.size);
    xhr.onerror = () => reject(report(unreachable()));
    xhr.onload = () => {
      if (xhr.status !== 200) {
        reject(report(failure(xhr.status, new TextDecoder().decode(xhr.response || new ArrayBuffer(0)))));
        return;
      }
      try { resolve(frames(xhr.response, xhr.status)); } catch (e) { reject(e); }
    };
    xhr.send(body);
  });
}

// base64 returns the bytes of blob in base64 (proto JSON's bytes).
export function base64(blob) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).slice(String(r.result).indexOf(',') + 1));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(blob);
  });
}

// chunks returns the request messages of an import stream of file: the
// first carries first's fields, each carries up to 1 MiB of the file.
export async function chunks(file, first) {
  const size = 1 << 20;
  const out = [];
  for (let at = 0; at < file.size || at === 0; at += size) {
    out.push({ ...(at === 0 ? first : {}), chunk: await base64(file.slice(at, at + size)) });
    if (file.size === 0) break;
  }
  return out;
}

// bytesOf decodes the base64 chunks of an export stream into a Blob.
export function bytesOf(messages, type) {
  const parts = messages.map((m) => Uint8Array.from(atob(m.chunk || ''), (c) => c.charCodeAt(0)));
  return new Blob(parts, { type });
}

// download offers blob to the user as a file called name.
export function download(blob, name) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

// plain turns an error into words a translator understands, keeping the
// server's own message.
export function plain(err) {
  if (!(err instanceof ApiError)) return 'Something went wrong in the page: ' + err.message;
  switch (err.code) {
    case 'unavailable':
      return err.httpStatus === 0 ? err.message + ' Your work is kept; try again in a moment.' : 'The server is busy or shutting down: ' + err.message + ' Your work is kept; try again in a moment.';
    case 'unauthenticated': return 'Your access token is not accepted: ' + err.message;
    case 'permission_denied': return 'Your token may not do this: ' + err.message;
    case 'resource_exhausted':
      return err.httpStatus === 413 ? 'The file or text is too large for the server: ' + err.message + '. Split it into smaller parts.'
        : 'Too much at once: ' + err.message;
    case 'deadline_exceeded': return 'The server took too long: ' + err.message;
    default: return err.message;
  }
}
