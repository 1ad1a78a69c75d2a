// app.js: the workbench's shell: sign-in, the scope of the token, the
// views, and the one place where errors are shown.
import { call, onError, plain, setToken, token } from './api.js';
import * as translate from './translate.js';
import * as concordance from './concordance.js';
import * as glossary from './glossary.js';
import * as memories from './memories.js';

const $ = (id) => document.getElementById(id);
const views = { translate, concordance, glossary, memories };

// app is what the views share.
export const app = {
  canWrite: false,
  memories: [],
  show,
  notify,
  status: (msg) => { $('status').textContent = msg; },
  refreshMemories,
  ask,
};

// ask shows question with a yes button labelled yes and a Cancel button,
// and resolves with the answer; the focus goes back where it was.
function ask(question, yes) {
  const back = document.activeElement;
  $('ask-text').textContent = question;
  $('ask-yes').textContent = yes;
  $('ask').hidden = false;
  $('ask-no').focus();
  return new Promise((resolve) => {
    const done = (answer) => {
      $('ask').hidden = true;
      $('ask-yes').onclick = $('ask-no').onclick = null;
      back?.focus?.();
      resolve(answer);
    };
    $('ask-yes').onclick = () => done(true);
    $('ask-no').onclick = () => done(false);
  });
}

// notify shows an error in plain words; retry, when given, is offered.
function notify(err, retry) {
  $('notice-text').textContent = typeof err === 'string' ? err : plain(err);
  $('notice').hidden = false;
  const b = $('notice-retry');
  b.hidden = !retry;
  b.onclick = retry ? () => { $('notice').hidden = true; retry(); } : null;
}

function show(name) {
  document.querySelectorAll('.view').forEach((v) => { v.hidden = true; });
  $('view-' + name).hidden = false;
  document.querySelectorAll('nav button').forEach((b) => {
    if (b.dataset.view === name) b.setAttribute('aria-current', 'page'); else b.removeAttribute('aria-current');
  });
  views[name].shown?.(app);
}

async function refreshMemories() {
  const r = await call('MemoryService/ListMemories', { pageSize: 1000 });
  app.memories = r.memories || [];
  document.dispatchEvent(new CustomEvent('tolk:memories'));
  return app.memories;
}

function signIn(message) {
  setToken('');
  $('who').textContent = '';
  $('notice').hidden = true;
  document.querySelectorAll('.view').forEach((v) => { v.hidden = true; });
  document.querySelector('nav').hidden = true;
  $('signin').hidden = false;
  $('signin-msg').textContent = message || '';
  $('signout').hidden = true;
  $('signin-token').focus();
}

// probeScope finds whether the token may write. The API has no "who am I":
// a write call with an empty request is refused by the scope check
// (permission_denied) before its validation (invalid_argument) runs.
async function probeScope() {
  try {
    await call('MemoryService/UpdateMemory', {});
    return true;
  } catch (e) {
    return e.code !== 'permission_denied' && e.code !== 'unauthenticated';
  }
}

async function start() {
  try {
    await refreshMemories();
  } catch (e) {
    if (e.code === 'unauthenticated') return; // onError has shown sign-in
    notify(e, start);
    return;
  }
  app.canWrite = await probeScope();
  document.body.classList.toggle('readonly', !app.canWrite);
  $('who').textContent = (token() ? 'Signed in' : 'Open server') + (app.canWrite ? '' : ' · read only');
  $('signout').hidden = !token();
  $('signin').hidden = true;
  document.querySelector('nav').hidden = false;
  if (!initialized) {
    initialized = true;
    for (const v of Object.values(views)) v.init?.(app);
  }
  document.dispatchEvent(new CustomEvent('tolk:signedin'));
  show('translate');
}

let initialized = false;

onError((e) => {
  if (e.code === 'unauthenticated') signIn(e.message);
});

function boot() {
  document.querySelectorAll('nav button').forEach((b) => b.addEventListener('click', () => show(b.dataset.view)));
  $('notice-close').addEventListener('click', () => { $('notice').hidden = true; });
  $('signout').addEventListener('click', () => signIn('You have signed out.'));
  $('signin-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    setToken($('signin-token').value.trim());
    $('signin-token').value = '';
    $('signin-msg').textContent = '';
    start();
  });
  start();
}

boot();
