// glossary.js: find concepts by the start of a term or its approximate
// spelling, view one, and (with write scope) add, edit or delete it.
import { call } from './api.js';
import { esc, termStatus } from './render.js';

const $ = (id) => document.getElementById(id);
const STATUSES = ['TERM_STATUS_PREFERRED', 'TERM_STATUS_ADMITTED', 'TERM_STATUS_DEPRECATED', 'TERM_STATUS_FORBIDDEN'];
let app;
let next = '';
let found = [];

export function init(a) {
  app = a;
  $('gl-form').addEventListener('submit', (ev) => { ev.preventDefault(); search(false); });
  $('gl-more').addEventListener('click', () => search(true));
  $('gl-new').addEventListener('click', () => edit({ terms: [{ language: 'nl', text: '', status: 'TERM_STATUS_PREFERRED' }, { language: 'en', text: '', status: 'TERM_STATUS_PREFERRED' }] }));
  $('gl-results').addEventListener('click', (e) => {
    const b = e.target.closest('button[data-k]');
    if (b) view(found[Number(b.dataset.k)]);
  });
}

export function shown() { $('gl-q').focus(); }

async function search(more) {
  const q = $('gl-q').value.trim();
  let r;
  try {
    r = q
      ? await call('GlossaryService/SearchTerms', { query: q, fuzzy: $('gl-fuzzy').checked, limit: 50, pageToken: more ? next : '' })
      : await call('GlossaryService/ListConcepts', { pageSize: 50, pageToken: more ? next : '' });
  } catch (e) {
    app.notify(e, () => search(more));
    return;
  }
  const cs = r.concepts || [];
  next = r.nextPageToken || '';
  if (!more) found = [];
  const start = found.length;
  found.push(...cs);
  const html = cs.map((c, k) => `<li><button type="button" data-k="${start + k}">${conceptLine(c)}</button></li>`).join('');
  if (more) $('gl-results').insertAdjacentHTML('beforeend', html); else $('gl-results').innerHTML = html || '<li>No concept found.</li>';
  $('gl-more').hidden = !next;
  app.status(`${found.length} concept${found.length === 1 ? '' : 's'} shown.`);
}

function conceptLine(c) {
  const nl = (c.terms || []).filter((t) => t.language.startsWith('nl'));
  const en = (c.terms || []).filter((t) => t.language.startsWith('en'));
  const term = (t) => `<span class="${t.status === 'TERM_STATUS_FORBIDDEN' ? 'forbidden' : ''}">${esc(t.text)}</span>`;
  return `<span lang="nl">${nl.map(term).join(', ')}</span> → <span lang="en">${en.map(term).join(', ')}</span> <span class="small">${esc(c.glossary)}</span>`;
}

function view(c) {
  let h = `<p><strong>${esc(c.id)}</strong> in glossary ${esc(c.glossary)}${c.subject ? ', subject ' + esc(c.subject) : ''}</p>`;
  if (c.definition) h += `<p>${esc(c.definition)}</p>`;
  if (c.validUntil) h += `<p>Valid until ${esc(c.validUntil.slice(0, 10))}</p>`;
  h += '<table class="list"><thead><tr><th scope="col">Language</th><th scope="col">Term</th><th scope="col">Status</th></tr></thead><tbody>' +
    (c.terms || []).map((t) => `<tr class="${t.status === 'TERM_STATUS_FORBIDDEN' ? 'forbidden' : ''}"><td>${esc(t.language)}</td><td lang="${esc(t.language)}">${esc(t.text)}</td><td>${esc(termStatus(t.status))}${t.status === 'TERM_STATUS_FORBIDDEN' ? ' — do not use' : ''}</td></tr>`).join('') + '</tbody></table>';
  if (app.canWrite) h += '<p><button type="button" id="gl-edit">Edit</button> <button type="button" id="gl-delete">Delete</button></p>';
  $('gl-detail').innerHTML = h;
  if (app.canWrite) {
    $('gl-edit').addEventListener('click', () => edit(c));
    $('gl-delete').addEventListener('click', () => remove(c));
  }
}

function termRow(t, k) {
  return `<fieldset class="termrow"><legend>Term ${k + 1}</legend>
    <label for="gt-lang-${k}">Language</label><select id="gt-lang-${k}" data-f="language"><option value="nl"${t.language.startsWith('nl') ? ' selected' : ''}>Dutch</option><option value="en"${t.language.startsWith('en') ? ' selected' : ''}>English</option></select>
    <label for="gt-text-${k}">Text</label><input id="gt-text-${k}" data-f="text" value="${esc(t.text)}">
    <label for="gt-status-${k}">Status</label><select id="gt-status-${k}" data-f="status">${STATUSES.map((s) => `<option value="${s}"${s === t.status ? ' selected' : ''}>${termStatus(s)}</option>`).join('')}</select></fieldset>`;
}

// edit shows the form of concept c (a new one without id).
function edit(c) {
  const terms = (c.terms || []).map((t) => ({ ...t }));
  const draw = () => {
    $('gl-detail').innerHTML = `<form id="gl-edit-form">
      <p>${c.id ? 'Editing ' + esc(c.id) : 'New concept'}</p>
      <label for="ge-glossary">Glossary (empty: main)</label><input id="ge-glossary" value="${esc(c.glossary || '')}" ${c.id ? 'readonly' : ''}>
      <label for="ge-subject">Subject</label><input id="ge-subject" value="${esc(c.subject || '')}">
      <label for="ge-definition">Definition</label><input id="ge-definition" value="${esc(c.definition || '')}">
      ${terms.map(termRow).join('')}
      <p><button type="button" id="ge-add">Add a term</button> <button type="submit">Save concept</button> <button type="button" id="ge-cancel">Cancel</button></p></form>`;
    $('ge-add').addEventListener('click', () => { read(); terms.push({ language: 'en', text: '', status: 'TERM_STATUS_ADMITTED' }); draw(); });
    $('ge-cancel').addEventListener('click', () => (c.id ? view(c) : ($('gl-detail').innerHTML = '<p>Choose a concept.</p>')));
    $('gl-edit-form').addEventListener('submit', (ev) => { ev.preventDefault(); read(); saveConcept(c, terms); });
    $('ge-subject').focus();
  };
  const read = () => {
    $('gl-detail').querySelectorAll('.termrow').forEach((fs, k) => {
      fs.querySelectorAll('[data-f]').forEach((el) => { terms[k][el.dataset.f] = el.value; });
    });
  };
  draw();
}

async function saveConcept(c, terms) {
  const concept = { ...c, subject: $('ge-subject').value, definition: $('ge-definition').value, terms: terms.filter((t) => t.text.trim()) };
  delete concept.changeTime;
  const glossary = $('ge-glossary').value.trim();
  let r;
  try {
    r = await call('GlossaryService/UpsertTerms', glossary ? { concepts: [concept], glossary } : { concepts: [concept] });
  } catch (e) {
    app.notify(e, () => saveConcept(c, terms));
    return;
  }
  const id = (r.conceptIds || [])[0];
  app.status(`Concept ${id} saved.`);
  try {
    const got = await call('GlossaryService/GetConcept', { conceptId: id });
    view(got.concept);
  } catch (e) { app.notify(e); }
}

async function remove(c) {
  if (!(await app.ask(`Delete concept ${c.id} and its terms?`, 'Delete concept'))) return;
  try {
    await call('GlossaryService/DeleteTerm', { conceptId: c.id });
  } catch (e) {
    app.notify(e);
    return;
  }
  $('gl-detail').innerHTML = `<p>Concept ${esc(c.id)} deleted.</p>`;
  search(false);
}
