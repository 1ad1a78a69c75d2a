// concordance.js: units holding words or a phrase, on the Dutch or the
// English side, a page at a time, the hits highlighted.
import { call } from './api.js';
import { esc } from './render.js';

const $ = (id) => document.getElementById(id);
const PAGE = 20;
let app;
let pages = ['']; // page tokens of the pages seen, for going back
let page = 0;

export function init(a) {
  app = a;
  $('conc-form').addEventListener('submit', (ev) => { ev.preventDefault(); pages = ['']; page = 0; search(); });
  $('conc-next').addEventListener('click', () => { page++; search(); });
  $('conc-prev').addEventListener('click', () => { page--; search(); });
  document.addEventListener('tolk:memories', fill);
  document.addEventListener('tolk:concordance', (e) => {
    $('conc-q').value = e.detail.query;
    $('conc-side').value = e.detail.target ? 'target' : 'source';
    app.show('concordance');
    pages = ['']; page = 0;
    search();
  });
  fill();
}

function fill() {
  const sel = $('conc-memory');
  const want = sel.value;
  sel.innerHTML = '<option value="">all memories</option>' + app.memories.map((m) => `<option value="${esc(m.name)}">${esc(m.name)}</option>`).join('');
  sel.value = want;
}

export function shown() { $('conc-q').focus(); }

// highlight marks in text every occurrence of the query's words (or of
// the phrase), ignoring case and accents.
function highlight(text, query, phrase) {
  const fold = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase('nl');
  const words = (phrase ? [query] : query.split(/\s+/)).map((w) => fold(w.trim())).filter(Boolean);
  // Fold character by character, so that positions in the folded text map
  // back to the original.
  const map = [];
  let f = '';
  for (let i = 0; i < text.length; i++) { const c = fold(text[i]); for (let k = 0; k < c.length; k++) map.push(i); f += c; }
  map.push(text.length);
  const ranges = [];
  for (const w of words) {
    for (let at = f.indexOf(w); at >= 0; at = f.indexOf(w, at + w.length)) ranges.push([map[at], map[at + w.length]]);
  }
  ranges.sort((x, y) => x[0] - y[0]);
  // Words next to each other are one hit.
  const merged = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] >= last[1] && /^\s*$/.test(text.slice(last[1], r[0]))) last[1] = Math.max(last[1], r[1]);
    else if (!last || r[0] >= last[1]) merged.push([...r]);
  }
  let out = '';
  let at = 0;
  for (const [a, b] of merged) {
    out += esc(text.slice(at, a)) + `<mark>${esc(text.slice(a, b))}</mark>`;
    at = b;
  }
  return out + esc(text.slice(at));
}

async function search() {
  const query = $('conc-q').value.trim();
  if (!query) return;
  const target = $('conc-side').value === 'target';
  const phrase = $('conc-phrase').checked;
  const mem = $('conc-memory').value;
  let r;
  try {
    r = await call('MemoryService/Concordance', { query, searchTarget: target, phrase, pageSize: PAGE, pageToken: pages[page], memories: mem ? [mem] : [] });
  } catch (e) {
    app.notify(e, search);
    return;
  }
  const units = r.units || [];
  pages[page + 1] = r.nextPageToken || '';
  const tbody = $('conc-table').tBodies[0];
  tbody.innerHTML = units.map((u) => `<tr><td lang="nl">${target ? esc(u.source) : highlight(u.source, query, phrase)}</td><td lang="en">${target ? highlight(u.target, query, phrase) : esc(u.target)}</td><td>${esc(u.memory)}</td></tr>`).join('');
  $('conc-table').hidden = !units.length;
  const total = r.totalSize || units.length;
  $('conc-count').textContent = units.length ? `${total} unit${total === 1 ? '' : 's'} found; page ${page + 1}.` : `No unit holds “${query}”.`;
  $('conc-prev').disabled = page === 0;
  $('conc-next').disabled = !r.nextPageToken;
}
