// memories.js: memories with their sizes, create and delete, imports of
// TMX, XLIFF and termbases with a progress bar, exports.
//
// Imports use the client-streaming RPCs (ImportTmx, ImportGlossary) as one
// Connect streaming body: a browser cannot stream a request body over
// HTTP/1.1, and the bidirectional ImportTmxStream needs HTTP/2 end to end,
// so the file is sent whole (bounded by the server's message limit) and
// the bar shows the upload; the answer gives the counts.
import { call, stream, chunks, bytesOf, download } from './api.js';
import { esc } from './render.js';

const $ = (id) => document.getElementById(id);
let app;

export function init(a) {
  app = a;
  document.addEventListener('tolk:memories', draw);
  document.addEventListener('tolk:signedin', draw);
  $('mem-table').addEventListener('click', onAction);
  $('mem-create').addEventListener('submit', create);
  $('imp-form').addEventListener('submit', importTM);
  $('gimp-form').addEventListener('submit', importGlossary);
  $('gexp-form').addEventListener('submit', exportGlossary);
  draw();
}

export async function shown() {
  try { await app.refreshMemories(); } catch (e) { app.notify(e, shown); }
  try {
    const r = await call('GlossaryService/ListGlossaries', { pageSize: 1000 });
    $('gexp-glossary').innerHTML = '<option value="">all glossaries</option>' + (r.glossaries || []).map((g) => `<option value="${esc(g.name)}">${esc(g.name)} (${g.concepts || 0} concepts)</option>`).join('');
  } catch (e) { app.notify(e); }
}

function draw() {
  $('mem-table').tBodies[0].innerHTML = app.memories.map((m) => `<tr><th scope="row">${esc(m.name)}</th><td class="num" data-units="${esc(m.name)}">${Number(m.unitCount || 0).toLocaleString('en')}</td>` +
    `<td>${esc(m.sourceLanguage)} → ${esc(m.targetLanguage)}</td><td>${esc(m.description)}</td>` +
    `<td><button type="button" data-export="${esc(m.name)}">Export TMX</button>` +
    (app.canWrite ? ` <button type="button" data-delete="${esc(m.name)}">Delete</button>` : '') + '</td></tr>').join('');
  const sel = $('imp-memory');
  const want = sel.value;
  sel.innerHTML = app.memories.map((m) => `<option value="${esc(m.name)}">${esc(m.name)}</option>`).join('');
  if (want) sel.value = want;
}

async function onAction(e) {
  const b = e.target.closest('button');
  if (!b) return;
  if (b.dataset.export) {
    try {
      const msgs = await stream('MemoryService/ExportTmx', [{ memory: b.dataset.export }]);
      download(bytesOf(msgs, 'application/x-tmx+xml'), b.dataset.export + '.tmx');
    } catch (err) { app.notify(err); }
  }
  if (b.dataset.delete) {
    const name = b.dataset.delete;
    if (!(await app.ask(`Delete memory ${name} and all its units?`, 'Delete memory'))) return;
    try {
      await call('MemoryService/DeleteMemory', { name });
      app.status(`Memory ${name} deleted.`);
      await app.refreshMemories();
    } catch (err) { app.notify(err); }
  }
}

async function create(ev) {
  ev.preventDefault();
  const name = $('mem-name').value.trim();
  try {
    await call('MemoryService/CreateMemory', { memory: { name, description: $('mem-desc').value, sourceLanguage: 'nl', targetLanguage: 'en' } });
    $('mem-name').value = '';
    $('mem-desc').value = '';
    app.status(`Memory ${name} created.`);
    await app.refreshMemories();
  } catch (err) { app.notify(err); }
}

// withProgress runs an import of file, showing the upload in the bar.
async function withProgress(file, method, first, done) {
  const bar = $('imp-bar');
  $('imp-progress').hidden = false;
  $('imp-result').textContent = '';
  bar.value = 0;
  $('imp-label').textContent = `Sending ${file.name}`;
  try {
    const msgs = await stream(method, await chunks(file, first), (sent, total) => {
      bar.value = total ? Math.round((100 * sent) / total) : 0;
      if (sent >= total) $('imp-label').textContent = `Sent ${file.name}; the server is storing it…`;
    });
    bar.value = 100;
    $('imp-label').textContent = `Imported ${file.name}`;
    $('imp-result').textContent = await done(msgs[0] || {});
  } catch (err) {
    $('imp-label').textContent = `Import of ${file.name} stopped`;
    app.notify(err, () => withProgress(file, method, first, done));
  }
}

function importTM(ev) {
  ev.preventDefault();
  const file = $('imp-file').files[0];
  const memory = $('imp-memory').value;
  withProgress(file, 'MemoryService/ImportTmx', { memory }, async (r) => {
    const mems = await app.refreshMemories();
    const m = mems.find((x) => x.name === memory);
    return `${file.name}: ${Number(r.added || 0)} added, ${Number(r.updated || 0)} updated, ${Number(r.skipped || 0)} skipped; ${memory} now holds ${Number(m ? m.unitCount : 0).toLocaleString('en')} units.`;
  });
}

const glossaryFormats = { tbx: 'GLOSSARY_FORMAT_TBX', csv: 'GLOSSARY_FORMAT_CSV', tsv: 'GLOSSARY_FORMAT_TSV', jsonl: 'GLOSSARY_FORMAT_JSONL' };

function importGlossary(ev) {
  ev.preventDefault();
  const file = $('gimp-file').files[0];
  const format = glossaryFormats[file.name.split('.').pop().toLowerCase()];
  if (!format) { app.notify(`${file.name} is not a termbase Tolk reads: use TBX, CSV, TSV or JSONL.`); return; }
  const glossary = $('gimp-glossary').value.trim();
  withProgress(file, 'GlossaryService/ImportGlossary', glossary ? { format, glossary } : { format }, async (r) =>
    `${file.name}: ${Number(r.concepts || 0)} concepts, ${Number(r.terms || 0)} terms into ${glossary || 'main'}; ${Number(r.skipped || 0)} skipped.`);
}

async function exportGlossary(ev) {
  ev.preventDefault();
  const format = $('gexp-format').value;
  const glossary = $('gexp-glossary').value;
  const ext = { GLOSSARY_FORMAT_TBX: 'tbx', GLOSSARY_FORMAT_TBX2: 'tbx', GLOSSARY_FORMAT_CSV: 'csv', GLOSSARY_FORMAT_TSV: 'tsv', GLOSSARY_FORMAT_JSONL: 'jsonl' }[format];
  try {
    const msgs = await stream('GlossaryService/ExportGlossary', [{ format, glossary }]);
    download(bytesOf(msgs, 'application/octet-stream'), (glossary || 'glossary') + '.' + ext);
  } catch (err) { app.notify(err); }
}
