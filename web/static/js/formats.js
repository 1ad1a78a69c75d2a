// formats.js: reading the files a translator opens (text, XLIFF 1.2 and
// 2.x) and writing the translated document (plain text, XLIFF 2.1, TMX).
import { esc } from './render.js';

export class FileError extends Error {}

// readDocument returns {name, kind, text} for a .txt file or {name, kind,
// units:[{id, source, target}]} for an XLIFF file. It throws a FileError
// saying what is wrong with anything else.
export async function readDocument(file) {
  const name = file.name;
  const lower = name.toLowerCase();
  const bytes = new Uint8Array(await file.arrayBuffer());
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new FileError(`${name} is not a text file in UTF-8 (it may be a Word or PDF file): save it as plain text (.txt) or XLIFF and open it again.`);
  }
  if (text.includes('\u0000')) {
    throw new FileError(`${name} is not a text file (it holds binary data): save it as plain text (.txt) or XLIFF and open it again.`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const looksXliff = /<xliff[\s>]/.test(text.slice(0, 4096));
  if (lower.endsWith('.xlf') || lower.endsWith('.xliff') || looksXliff) {
    return { name, kind: 'xliff', units: parseXliff(name, text) };
  }
  if (!lower.endsWith('.txt') && !file.type.startsWith('text/')) {
    throw new FileError(`${name} is neither a text file (.txt) nor XLIFF (.xlf, .xliff).`);
  }
  return { name, kind: 'text', text };
}

// parseXliff returns the segments of an XLIFF 1.2 or 2.x document.
function parseXliff(name, text) {
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length || doc.documentElement.localName !== 'xliff') {
    throw new FileError(`${name} is not well-formed XLIFF: check that it was saved completely.`);
  }
  const units = [];
  const v2 = (doc.documentElement.getAttribute('version') || '').startsWith('2');
  if (v2) {
    for (const u of doc.getElementsByTagNameNS('*', 'unit')) {
      let n = 0;
      for (const s of u.getElementsByTagNameNS('*', 'segment')) {
        const src = s.getElementsByTagNameNS('*', 'source')[0];
        const tgt = s.getElementsByTagNameNS('*', 'target')[0];
        units.push({ id: (u.getAttribute('id') || String(units.length)) + (n ? '.' + n : ''), source: src ? src.textContent : '', target: tgt ? tgt.textContent : '' });
        n++;
      }
    }
  } else {
    for (const u of doc.getElementsByTagNameNS('*', 'trans-unit')) {
      const src = u.getElementsByTagNameNS('*', 'source')[0];
      const tgt = u.getElementsByTagNameNS('*', 'target')[0];
      units.push({ id: u.getAttribute('id') || String(units.length), source: src ? src.textContent : '', target: tgt ? tgt.textContent : '' });
    }
  }
  const kept = units.filter((u) => u.source.trim() !== '');
  if (!kept.length) throw new FileError(`${name} holds no segments to translate.`);
  return kept;
}


// plainText returns the English of a text document: each segment's target
// (or, untranslated, its source) with the text between segments kept.
export function plainText(doc, segs, targetOf) {
  if (doc.kind !== 'text') return segs.map((s, i) => targetOf(i) || s.source).join('\n') + '\n';
  let out = '';
  let at = 0;
  segs.forEach((s, i) => {
    out += doc.text.slice(at, s.start) + (targetOf(i) || s.source);
    at = s.end;
  });
  return out + doc.text.slice(at);
}

// xliff returns an XLIFF 2.1 document of the segments, targets in state
// "final" where confirmed, "translated" where there is a target.
export function xliff(doc, segs, targetOf, confirmed) {
  const units = segs.map((s, i) => {
    const t = targetOf(i);
    const state = confirmed(i) ? 'final' : t ? 'translated' : 'initial';
    return `  <unit id="${esc(String(s.id))}">\n   <segment state="${state}">\n    <source>${esc(s.source)}</source>\n` +
      (t ? `    <target>${esc(t)}</target>\n` : '') + '   </segment>\n  </unit>\n';
  }).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="nl" trgLang="en">\n <file id="f1" original="${esc(doc.name)}">\n${units} </file>\n</xliff>\n`;
}

// tmx returns a TMX 1.4b document of the segments that have a target.
export function tmx(doc, segs, targetOf) {
  const tus = segs.map((s, i) => [s, targetOf(i)]).filter(([, t]) => t).map(([s, t]) =>
    ` <tu>\n  <tuv xml:lang="nl"><seg>${esc(s.source)}</seg></tuv>\n  <tuv xml:lang="en"><seg>${esc(t)}</seg></tuv>\n </tu>\n`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="Tolk workbench" creationtoolversion="1" segtype="sentence" o-tmf="tolk" adminlang="en" srclang="nl" datatype="plaintext"/>\n<body>\n${tus}</body>\n</tmx>\n`;
}
