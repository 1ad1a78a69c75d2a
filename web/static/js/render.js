// render.js: small HTML builders shared by the views. Every text from the
// server goes through esc.

export const esc = (s) => String(s ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

// diffRanges returns the [start, end) ranges of a segment's words that are
// not in its match (the INSERT steps of the diff from segment to match).
export function diffRanges(diff) {
  const out = [];
  let at = 0;
  for (const op of diff || []) {
    if (op.kind === 'KIND_DELETE') continue;
    const n = op.text.length;
    if (op.kind === 'KIND_INSERT') {
      const trimmed = op.text.replace(/\s+$/, '').length;
      if (trimmed) out.push([at, at + trimmed]);
    }
    at += n;
  }
  return out;
}

// markRanges renders text[a:b] with the parts inside ranges in <mark>.
export function markRanges(text, a, b, ranges) {
  let out = '';
  let at = a;
  for (const [x, y] of ranges) {
    if (y <= at || x >= b) continue;
    const s = Math.max(x, at);
    const e = Math.min(y, b);
    out += esc(text.slice(at, s)) + `<mark class="diff">${esc(text.slice(s, e))}</mark>`;
    at = e;
  }
  return out + esc(text.slice(at, b));
}

const statusWord = { TERM_STATUS_PREFERRED: 'preferred', TERM_STATUS_ADMITTED: 'admitted', TERM_STATUS_DEPRECATED: 'deprecated', TERM_STATUS_FORBIDDEN: 'forbidden', TERM_STATUS_UNSPECIFIED: '' };
export const termStatus = (s) => statusWord[s] ?? '';

// termCard is the card of a glossary hit: its preferred English, status,
// forbidden and expired warnings, alternatives, other glossaries.
export function termCard(h) {
  const targets = h.targets || [];
  const preferred = targets.filter((t) => t.status === 'TERM_STATUS_PREFERRED').map((t) => t.text);
  const forbidden = targets.filter((t) => t.status === 'TERM_STATUS_FORBIDDEN').map((t) => t.text);
  const others = targets.filter((t) => t.status !== 'TERM_STATUS_PREFERRED' && t.status !== 'TERM_STATUS_FORBIDDEN');
  let out = `<p class="card-h"><span lang="nl">${esc(h.term)}</span> <span class="small">(${esc(h.glossary)}${h.subject ? ', ' + esc(h.subject) : ''})</span></p>`;
  out += `<p>Use: <strong lang="en">${esc(preferred.length ? preferred.join(', ') : h.target)}</strong></p>`;
  out += `<p>Status of the Dutch term: ${esc(termStatus(h.status) || 'not given')}</p>`;
  if (h.status === 'TERM_STATUS_FORBIDDEN') out += '<p class="flag bad">This Dutch term is forbidden.</p>';
  if (forbidden.length) out += `<p class="flag bad">Do not write: <span lang="en">${esc(forbidden.join(', '))}</span></p>`;
  if (h.expired) out += '<p class="flag warn">This concept has expired: check whether it still applies.</p>';
  if (others.length) out += '<p>Also: ' + others.map((t) => `<span lang="en">${esc(t.text)}</span> (${esc(termStatus(t.status))})`).join(', ') + '</p>';
  if ((h.alternatives || []).length) out += `<p>Alternatives: ${esc(h.alternatives.join(', '))}</p>`;
  if ((h.otherGlossaries || []).length) out += '<p>Other glossaries: ' + h.otherGlossaries.map((o) => `<span lang="en">${esc(o.target)}</span> in ${esc(o.glossary)}`).join('; ') + '</p>';
  return out;
}
