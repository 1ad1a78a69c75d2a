// translate.js: the Translate view: a document's segments in a grid,
// edited like in a CAT tool and confirmed into a memory.
import { call, download, ApiError } from './api.js';
import { readDocument, FileError, plainText, xliff, tmx } from './formats.js';
import { esc, termCard, diffRanges, markRanges } from './render.js';

const $ = (id) => document.getElementById(id);
const DOC_KEY = 'tolk.doc';
const MEMORY_KEY = 'tolk.memory';
const statusName = { SEGMENT_STATUS_CONTEXT: 'context', SEGMENT_STATUS_EXACT: 'exact', SEGMENT_STATUS_FUZZY: 'fuzzy', SEGMENT_STATUS_NONE: 'none' };

let app;
let doc = null; // what was opened: {name, kind, text} or {name, kind, units}
let segs = []; // AlignedSegment of each row, with id
let work = { edits: {}, confirmed: {} }; // edits not lost on reload; confirmed targets
let rows = []; // the row element of each segment, once built
let cur = -1;

// workKey names the stored work of a document by a hash of its input.
function workKey(d) {
  const s = JSON.stringify(d.kind === 'text' ? d.text : d.units.map((u) => u.source));
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
  return 'tolk.work.' + h.toString(16);
}

function save() {
  if (!doc) return;
  try {
    localStorage.setItem(workKey(doc), JSON.stringify(work));
  } catch {
    app.status('This browser has no room left to keep unconfirmed edits; confirm them or download the translation.');
  }
}

let saveTimer = 0;
function saveSoon() { clearTimeout(saveTimer); saveTimer = setTimeout(save, 250); }

export function init(a) {
  app = a;
  $('tr-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = $('tr-text').value;
    if (!text.trim()) { app.notify('Paste a Dutch text or open a file first.'); return; }
    open({ name: 'pasted.txt', kind: 'text', text });
  });
  $('tr-sample').addEventListener('click', async () => {
    try {
      const r = await fetch('sample-article.txt');
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      $('tr-text').value = await r.text();
      $('tr-text').focus();
    } catch (e) {
      app.notify('The sample article could not be loaded: the server may be stopped or restarting (' + e.message + ').');
    }
  });
  $('tr-file').addEventListener('change', async () => {
    const f = $('tr-file').files[0];
    if (!f) return;
    try {
      const d = await readDocument(f);
      if (d.kind === 'text') $('tr-text').value = d.text;
      open(d);
    } catch (e) {
      app.notify(e instanceof FileError ? e.message : 'The file could not be read: ' + e.message);
    } finally {
      $('tr-file').value = '';
    }
  });
  // Leaving or reloading the page stores the last keystrokes at once.
  window.addEventListener('pagehide', save);
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') save(); });
  $('tr-memory').addEventListener('change', () => localStorage.setItem(MEMORY_KEY, $('tr-memory').value));
  document.addEventListener('tolk:memories', fillMemories);
  // Another token may write or not: draw the rows again.
  document.addEventListener('tolk:signedin', () => { if (segs.length) render(segs); });
  fillMemories();
  $('tr-download').addEventListener('click', exportDoc);
  const tbody = $('grid-body');
  tbody.addEventListener('focusin', onFocus);
  tbody.addEventListener('input', onInput);
  tbody.addEventListener('keydown', onKey);
  tbody.addEventListener('paste', onPaste);
  const card = $('termcard');
  for (const [ev, show] of [['mouseover', true], ['focusin', true], ['mouseout', false], ['focusout', false]]) {
    tbody.addEventListener(ev, (e) => {
      const t = e.target.closest?.('.term');
      if (!t) return;
      if (show) showCard(t); else card.hidden = true;
    });
  }
  document.addEventListener('keydown', (e) => { if (e.key === 'Escape') card.hidden = true; });
  // Restore the last document and its unconfirmed edits.
  try {
    const d = JSON.parse(localStorage.getItem(DOC_KEY) || 'null');
    if (d) {
      if (d.kind === 'text') $('tr-text').value = d.text;
      open(d, false);
    }
  } catch { localStorage.removeItem(DOC_KEY); }
}

function fillMemories() {
  const sel = $('tr-memory');
  const want = sel.value || localStorage.getItem(MEMORY_KEY) || 'seed';
  sel.innerHTML = app.memories.map((m) => `<option value="${esc(m.name)}">${esc(m.name)} (${Number(m.unitCount || 0).toLocaleString('en')} units)</option>`).join('');
  if (app.memories.some((m) => m.name === want)) sel.value = want;
}

const options = () => ({ offsetUnit: 'OFFSET_UNIT_UTF16', maxAlternatives: 8 });

// open translates d and shows it, with the stored edits of the same
// document, putting the focus in the first unconfirmed segment when focus
// is set. On failure d stays in the text box and the store, and the
// message offers to try again.
async function open(d, focus = true) {
  clearTimeout(saveTimer);
  save(); // the open document's last keystrokes, under its own key
  doc = d;
  try { localStorage.setItem(DOC_KEY, JSON.stringify(d)); } catch { /* too large to keep: edits still are */ }
  try { work = JSON.parse(localStorage.getItem(workKey(d)) || 'null') || { edits: {}, confirmed: {} }; } catch { work = { edits: {}, confirmed: {} }; }
  app.status('Translating…');
  let got;
  try {
    if (d.kind === 'text') {
      const r = await call('TranslationService/Translate', { text: d.text, options: options() });
      got = (r.segments || []).map((s, i) => ({ ...s, id: String(i + 1) }));
    } else {
      const q = d.units.map((u, i) => ({ id: u.id, text: u.source, prev: i ? d.units[i - 1].source : '', next: i + 1 < d.units.length ? d.units[i + 1].source : '' }));
      const r = await call('MemoryService/LookupSegments', { segments: q, options: options() });
      got = (r.results || []).map((x, i) => {
        const s = { ...x.segment, id: x.id };
        if (d.units[i].target) s.fileTarget = d.units[i].target;
        return s;
      });
    }
  } catch (e) {
    app.status('');
    app.notify(tooLarge(e) || e, () => open(d, focus));
    return;
  }
  render(got, focus);
}

function tooLarge(e) {
  if (!(e instanceof ApiError) || e.code !== 'resource_exhausted') return '';
  return 'This document is too long to translate in one go. ' + e.message + '. Your text is kept: split it into parts and translate each.';
}

// render shows the segments: the rows up to the first unconfirmed one and
// a screenful more at once, so that the translator can start, then the
// rest in the background, a chunk a task, without blocking the keyboard.
// Each row is built once; an edit updates its own row only.
function render(got, focus = false) {
  const t0 = performance.now();
  const gen = ++renderGen;
  segs = got;
  rows = new Array(segs.length);
  built = 0;
  $('grid-body').innerHTML = '';
  $('tr-doc').hidden = false;
  delete document.body.dataset.fullMs;
  summary();
  cur = -1;
  const first = segs.findIndex((s, i) => !isConfirmed(i));
  buildTo(Math.max(first, 0) + 60);
  if (segs.length) focusRow(first < 0 ? 0 : first, focus);
  requestAnimationFrame(() => setTimeout(() => {
    if (gen !== renderGen) return;
    const ms = performance.now() - t0;
    document.body.dataset.renderMs = ms.toFixed(0);
    document.body.dataset.segments = String(segs.length);
    app.status(`${segs.length} segment${segs.length === 1 ? '' : 's'} ready in ${ms.toFixed(0)} ms.`);
    const more = () => {
      if (gen !== renderGen) return;
      buildTo(built + 200);
      if (built < segs.length) setTimeout(more, 0);
      else document.body.dataset.fullMs = (performance.now() - t0).toFixed(0);
    };
    more();
  }));
}

let renderGen = 0;
let built = 0; // rows[0:built] are in the page

// buildTo adds the rows up to n (exclusive) that are not built yet.
function buildTo(n) {
  n = Math.min(n, segs.length);
  if (n <= built) return;
  const body = $('grid-body');
  const html = [];
  for (let i = built; i < n; i++) html.push(rowHTML(segs[i], i));
  body.insertAdjacentHTML('beforeend', html.join(''));
  for (let i = built; i < n; i++) rows[i] = body.children[i];
  built = n;
}

function summary() {
  const n = segs.length;
  const c = segs.filter((s, i) => isConfirmed(i)).length;
  const by = {};
  segs.forEach((s) => { const k = statusName[s.status] || 'none'; by[k] = (by[k] || 0) + 1; });
  $('tr-summary').textContent = `${doc.name}: ${n} segment${n === 1 ? '' : 's'}, ${c} confirmed · ` + ['context', 'exact', 'fuzzy', 'none'].filter((k) => by[k]).map((k) => `${by[k]} ${k}`).join(', ');
}

const targetOf = (i) => (i in work.edits ? work.edits[i] : segs[i].fileTarget ?? segs[i].target ?? '');
const isConfirmed = (i) => i in work.confirmed && work.confirmed[i] === targetOf(i);

function rowHTML(s, i) {
  const st = statusName[s.status] || 'none';
  const score = s.best ? s.best.score : '';
  const cls = ['row', st, isConfirmed(i) ? 'confirmed' : '', i in work.edits ? 'edited' : ''].filter(Boolean).join(' ');
  const editable = app.canWrite ? 'contenteditable="plaintext-only"' : 'contenteditable="false" aria-readonly="true"';
  return `<div class="${cls}" role="row" data-i="${i}"><div role="rowheader" class="num">${esc(s.id)}<span class="mark" aria-label="${isConfirmed(i) ? 'confirmed' : ''}">${isConfirmed(i) ? '✓' : ''}</span></div>` +
    `<div role="cell" class="src" lang="nl">${sourceHTML(s)}</div>` +
    `<div role="cell" class="tgt"><div class="target" role="textbox" aria-multiline="true" aria-label="English of segment ${esc(s.id)}" lang="en" spellcheck="true" ${editable}>${esc(targetOf(i))}</div></div>` +
    `<div role="cell" class="score"><span class="badge ${st}" title="${st} match">${score === '' ? '—' : score}</span><span class="vh"> ${st}</span></div>` +
    `<div role="cell" class="flags">${flagsHTML(i)}</div></div>`;
}

// sourceHTML renders a segment's Dutch with the words that differ from its
// match marked and its glossary terms underlined and focusable.
function sourceHTML(s) {
  const text = s.source;
  const base = s.start || 0;
  const ins = diffRanges(s.diff);
  let out = '';
  let at = 0;
  (s.terms || []).forEach((t, k) => {
    const a = t.start - base;
    const b = t.end - base;
    if (a < at || b > text.length || a >= b) return;
    out += markRanges(text, at, a, ins);
    const cls = ['term', t.status === 'TERM_STATUS_FORBIDDEN' ? 'forbidden' : '', t.expired ? 'expired' : ''].filter(Boolean).join(' ');
    out += `<span class="${cls}" tabindex="0" data-t="${k}" aria-describedby="termcard">${markRanges(text, a, b, ins)}</span>`;
    at = b;
  });
  return out + markRanges(text, at, text.length, ins);
}

// flagsHTML says what the terminology and code checks find in row i's
// English: the server's checks of the draft, or for an edit the same
// checks repeated on the edited text.
function flagsHTML(i) {
  const s = segs[i];
  const t = targetOf(i);
  const out = [];
  if (s.skipped) out.push(`<span class="flag warn">not looked up: ${esc(s.skipped)}</span>`);
  if (t) {
    const edited = i in work.edits;
    for (const h of s.terms || []) {
      const check = edited || s.fileTarget ? localTermCheck(h, t) : h.check;
      if (check === 'TERM_CHECK_MISSING') out.push(`<span class="flag warn">term missing: ${esc(h.target || h.term)}</span>`);
      if (check === 'TERM_CHECK_FORBIDDEN') out.push(`<span class="flag bad">forbidden term for ${esc(h.text)}</span>`);
    }
    const cc = edited || s.fileTarget ? localCodeCheck(s.source, t) : s.codeCheck;
    if (cc && cc.missing) out.push(`<span class="flag warn">${cc.missing} code(s) missing</span>`);
    if (cc && cc.extra) out.push(`<span class="flag warn">${cc.extra} extra code(s)</span>`);
  }
  return out.join(' ');
}

function localTermCheck(h, t) {
  const lower = t.toLocaleLowerCase('en');
  const has = (x) => x && lower.includes(x.toLocaleLowerCase('en'));
  const targets = h.targets && h.targets.length ? h.targets : [{ text: h.target, status: h.status }];
  if (targets.some((x) => x.status === 'TERM_STATUS_FORBIDDEN' && has(x.text))) return 'TERM_CHECK_FORBIDDEN';
  return targets.some((x) => x.status !== 'TERM_STATUS_FORBIDDEN' && has(x.text)) ? 'TERM_CHECK_OK' : 'TERM_CHECK_MISSING';
}

// localCodeCheck counts inline codes (U+E000 and on) as the server does.
function localCodeCheck(src, t) {
  const codes = (s) => { const m = {}; for (const ch of s) { const c = ch.codePointAt(0); if (c >= 0xe000 && c <= 0xf8ff) m[c] = (m[c] || 0) + 1; } return m; };
  const a = codes(src);
  const b = codes(t);
  let missing = 0;
  let extra = 0;
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const d = (a[k] || 0) - (b[k] || 0);
    if (d > 0) missing += d; else extra -= d;
  }
  return { missing, extra };
}

function targetEl(i) { return rows[i].querySelector('.target'); }

function focusRow(i, focus = true) {
  if (i < 0 || i >= rows.length) return;
  buildTo(i + 30);
  if (cur >= 0 && rows[cur]) rows[cur].classList.remove('current');
  cur = i;
  rows[i].classList.add('current');
  showDetails(i);
  if (focus) {
    const el = targetEl(i);
    el.focus();
    el.scrollIntoView({ block: 'nearest' });
  }
}

function onFocus(e) {
  const tr = e.target.closest('.row');
  if (tr && Number(tr.dataset.i) !== cur) focusRow(Number(tr.dataset.i), false);
}

function updateRow(i) {
  const tr = rows[i];
  const conf = isConfirmed(i);
  tr.classList.toggle('confirmed', conf);
  tr.classList.toggle('edited', i in work.edits && !conf);
  const mark = tr.querySelector('.mark');
  mark.textContent = conf ? '✓' : '';
  mark.setAttribute('aria-label', conf ? 'confirmed' : '');
  tr.querySelector('.flags').innerHTML = flagsHTML(i);
}

function onInput(e) {
  const el = e.target.closest('.target');
  if (!el) return;
  const i = Number(el.closest('.row').dataset.i);
  work.edits[i] = el.innerText.replace(/\n$/, '');
  updateRow(i);
  saveSoon();
}

// onPaste keeps pasted text plain (no markup from other pages).
function onPaste(e) {
  if (!e.target.closest('.target')) return;
  e.preventDefault();
  document.execCommand('insertText', false, e.clipboardData.getData('text/plain'));
}

function onKey(e) {
  const el = e.target.closest('.target');
  if (!el) return;
  const i = Number(el.closest('.row').dataset.i);
  const mod = e.ctrlKey || e.metaKey;
  if (mod && e.key === 'Enter') { e.preventDefault(); confirm(i); return; }
  if (mod && e.key === 'ArrowDown') { e.preventDefault(); focusRow(Math.min(i + 1, rows.length - 1)); return; }
  if (mod && e.key === 'ArrowUp') { e.preventDefault(); focusRow(Math.max(i - 1, 0)); return; }
  if ((mod || e.altKey) && /^[1-9]$/.test(e.key)) { e.preventDefault(); useMatch(i, Number(e.key)); return; }
  if (mod && (e.key === 'k' || e.key === 'K')) { e.preventDefault(); concordanceOfSelection(el); }
}

// matches lists what Ctrl+N inserts: the best match, then the others.
function matches(i) {
  const s = segs[i];
  return [s.best, ...(s.alternatives || [])].filter(Boolean);
}

function useMatch(i, n) {
  if (!app.canWrite) return;
  const m = matches(i)[n - 1];
  if (!m) { app.status(`Segment ${segs[i].id} has no match ${n}.`); return; }
  const el = targetEl(i);
  el.textContent = m.adaptedTarget || m.target;
  work.edits[i] = el.textContent;
  updateRow(i);
  saveSoon();
  el.focus();
  app.status(`Match ${n} inserted.`);
}

function concordanceOfSelection(el) {
  const sel = window.getSelection();
  const words = sel ? sel.toString().trim() : '';
  if (!words) { app.status('Select some words first, then press Ctrl+K.'); return; }
  const inTarget = sel.anchorNode && el.contains(sel.anchorNode);
  document.dispatchEvent(new CustomEvent('tolk:concordance', { detail: { query: words, target: inTarget } }));
}

// confirm stores row i's English in the chosen memory and moves on to the
// next unconfirmed segment; on failure the edit stays and the message
// offers to try again.
async function confirm(i) {
  if (!app.canWrite) return;
  const target = targetOf(i).trim();
  if (!target) { app.status('Type the English first.'); return; }
  save(); // the edit is kept whatever the answer
  const s = segs[i];
  const memory = $('tr-memory').value;
  const seg = { source: s.source, target, prevSource: i ? segs[i - 1].source : '', nextSource: i + 1 < segs.length ? segs[i + 1].source : '' };
  if (s.best) { seg.originUnitId = s.best.unitId; seg.originMemory = s.best.memory; }
  try {
    await call('TranslationService/ConfirmSegments', { memory, segments: [seg] });
  } catch (e) {
    app.notify(e, () => confirm(i));
    return;
  }
  work.edits[i] = target;
  work.confirmed[i] = target;
  save();
  updateRow(i);
  summary();
  app.status(`Segment ${s.id} confirmed into ${memory}.`);
  for (let k = 1; k <= rows.length; k++) {
    const j = (i + k) % rows.length;
    if (!isConfirmed(j)) { focusRow(j); return; }
  }
  app.status(`Segment ${s.id} confirmed into ${memory}. Every segment is confirmed.`);
}

function showDetails(i) {
  const s = segs[i];
  const ms = matches(i);
  let h = `<p>Segment ${esc(s.id)}: <span class="badge ${statusName[s.status] || 'none'}">${s.best ? s.best.score : '—'}</span> ${esc(statusName[s.status] || 'no')} match</p>`;
  if (s.best) {
    h += '<h4>Stored match</h4><p class="match" lang="nl">' + (s.diff || []).map((op) =>
      op.kind === 'KIND_DELETE' ? `<del>${esc(op.text)}</del>` : op.kind === 'KIND_INSERT' ? `<ins>${esc(op.text)}</ins>` : esc(op.text)).join('') + '</p>';
    h += `<p class="small">Struck through: in the stored Dutch only; marked: in this segment only. From ${esc(s.best.memory)}, unit ${esc(String(s.best.unitId))}${s.best.changedBy ? ', by ' + esc(s.best.changedBy) : ''}.</p>`;
  }
  if (ms.length) {
    h += '<h4>Matches</h4><ol class="alts">' + ms.map((m, k) => `<li><span class="badge ${m.type === 'MATCH_TYPE_FUZZY' ? 'fuzzy' : 'exact'}">${m.score}</span> <span lang="en">${esc(m.adaptedTarget || m.target)}</span>` +
      (app.canWrite ? ` <button type="button" data-use="${k + 1}">Use (Ctrl+${k + 1})</button>` : '') + '</li>').join('') + '</ol>';
  }
  if ((s.terms || []).length) {
    h += '<h4>Terms</h4><ul class="terms">' + s.terms.map((t) => `<li><span lang="nl">${esc(t.text)}</span> → <strong lang="en">${esc(t.target)}</strong>${t.status === 'TERM_STATUS_FORBIDDEN' ? ' <span class="flag bad">forbidden</span>' : ''}${t.expired ? ' <span class="flag warn">expired</span>' : ''}</li>`).join('') + '</ul>';
  }
  const body = $('details-body');
  body.innerHTML = h;
  body.querySelectorAll('[data-use]').forEach((b) => b.addEventListener('click', () => useMatch(i, Number(b.dataset.use))));
}

function showCard(el) {
  const i = Number(el.closest('.row').dataset.i);
  const hit = segs[i].terms[Number(el.dataset.t)];
  const card = $('termcard');
  card.innerHTML = termCard(hit);
  card.hidden = false;
  const r = el.getBoundingClientRect();
  const top = r.bottom + window.scrollY + 4;
  const left = Math.min(r.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - card.offsetWidth - 8);
  card.style.top = top + 'px';
  card.style.left = Math.max(0, left) + 'px';
}

function exportDoc() {
  const kind = $('tr-export').value;
  const base = doc.name.replace(/\.[^.]+$/, '');
  if (kind === 'txt') download(new Blob([plainText(doc, segs, targetOf)], { type: 'text/plain;charset=utf-8' }), base + '.en.txt');
  if (kind === 'xliff') download(new Blob([xliff(doc, segs, targetOf, isConfirmed)], { type: 'application/xliff+xml' }), base + '.xlf');
  if (kind === 'tmx') download(new Blob([tmx(doc, segs, targetOf)], { type: 'application/x-tmx+xml' }), base + '.tmx');
}

export function shown() {
  if (cur >= 0 && rows[cur]) targetEl(cur).focus();
}
