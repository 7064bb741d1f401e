// The Try-It page. It talks only to gtx (same origin, JSON, the HttpOnly cookie rides
// along); gtx holds the token and sends the requests. Everything a server answered is put
// in the page as text (textContent), never parsed as HTML.
'use strict';

const $ = (id) => document.getElementById(id);
let state = null;
let authorised = null; // {env, credential} while the page holds an authorisation
let operations = []; // the environment's index: [{id, method, path, tags, summary}]
let selected = null; // the chosen operation's detail, or null for the free path

function el(tag, props, text) {
  const e = document.createElement(tag);
  Object.assign(e, props || {});
  if (text !== undefined) e.textContent = text;
  return e;
}

async function api(path, body) {
  const init = body === undefined
    ? { method: 'GET', credentials: 'same-origin' }
    : {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    };
  const resp = await fetch(path, init);
  let data;
  try { data = await resp.json(); } catch (e) { data = { error: `gtx answered ${resp.status}` }; }
  if (!resp.ok) {
    const err = new Error(data.error || `gtx answered ${resp.status}`);
    err.hints = data.hints || [];
    err.checks = data.checks || [];
    throw err;
  }
  return data;
}

function profile() {
  return { env: $('env').value, credential: $('credential').value };
}

function currentEnv() {
  return state && state.environments.find((e) => e.name === $('env').value);
}

function fillCredentials(preferred) {
  const env = currentEnv();
  const sel = $('credential');
  sel.replaceChildren();
  for (const c of (env ? env.credentials : ['default'])) sel.append(el('option', { value: c }, c));
  if (preferred && [...sel.options].some((o) => o.value === preferred)) sel.value = preferred;
  $('env-base').textContent = env ? env.api_base : '';
  updateResolved();
}

function showToken(text, ok) {
  $('token-text').textContent = text;
  $('token-state').classList.toggle('ok', !!ok);
}

function profileChanged() {
  const p = profile();
  if (!authorised || authorised.env !== p.env || authorised.credential !== p.credential) {
    showToken('No token for this profile on the page: press Generate token.', false);
  }
  $('clear-offer').hidden = true;
  $('clear-confirm').hidden = true;
}

function humanSeconds(s) {
  if (s === null || s === undefined) return 'unknown (the server gave no lifetime)';
  if (s <= 0) return 'expired';
  const h = Math.floor(s / 3600); const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${s % 60} s`;
  return `${s} s`;
}

async function generate() {
  const btn = $('generate');
  btn.disabled = true;
  showToken('Getting a token…', false);
  try {
    const t = await api('/api/token', profile());
    authorised = { env: t.env, credential: t.credential };
    const scopes = t.scopes && t.scopes.length ? t.scopes.join(' ') : '(none given)';
    const how = { cache: 'from the cache', refreshed: 'just refreshed', minted: 'just minted', GTX_TOKEN: 'from GTX_TOKEN' };
    showToken(
      `Token ready for ${t.env}/${t.credential}: grant ${t.grant} · scopes ${scopes} · expires in ${humanSeconds(t.expires_in)} · ${how[t.source] || t.source}`,
      true,
    );
    $('clear-offer').hidden = true;
    $('clear-confirm').hidden = true;
  } catch (e) {
    authorised = null;
    showToken(`No token: ${e.message}${e.hints.length ? ` (${e.hints.join('; ')})` : ''}`, false);
  } finally {
    btn.disabled = false;
  }
}

async function clearPage() {
  try { await api('/api/forget', {}); } catch (e) { /* the page forgets either way */ }
  authorised = null;
  showToken('Cleared: Send needs Generate token again.', false);
  $('clear-offer').hidden = false;
  $('clear-confirm').hidden = true;
  $('clear-stored').focus();
}

function offerClearStored() {
  const p = profile();
  $('clear-profile').textContent = `${p.env}/${p.credential}`;
  $('clear-offer').hidden = true;
  $('clear-confirm').hidden = false;
  $('clear-stored-no').focus();
}

async function clearStored() {
  $('clear-confirm').hidden = true;
  try {
    const r = await api('/api/clear-stored', profile());
    showToken(`Cleared the stored token of ${r.cleared.env}/${r.cleared.credential}.`, false);
  } catch (e) {
    showToken(`Could not clear the stored token: ${e.message}`, false);
  }
  $('clear').focus();
}

function addRow(container, name, value, label) {
  const row = el('div', { className: 'row' });
  const k = el('input', { value: name || '', placeholder: 'name', className: 'mono', autocomplete: 'off' });
  k.setAttribute('aria-label', `${label} name`);
  const v = el('input', { value: value || '', placeholder: 'value', className: 'mono', autocomplete: 'off' });
  v.setAttribute('aria-label', `${label} value`);
  const rm = el('button', { type: 'button' }, 'Remove');
  rm.setAttribute('aria-label', `Remove ${label.toLowerCase()}`);
  rm.addEventListener('click', () => { row.remove(); updateResolved(); });
  k.addEventListener('input', updateResolved);
  v.addEventListener('input', updateResolved);
  row.append(k, v, rm);
  container.append(row);
  return k;
}

function rows(container) {
  return [...container.querySelectorAll('.row')]
    .map((r) => [...r.querySelectorAll('input')].map((i) => i.value))
    .filter(([k]) => k.trim() !== '');
}

function paramValues() {
  const values = {};
  for (const input of $('params').querySelectorAll('[data-param]')) {
    if (input.value !== '') values[input.dataset.param] = input.value;
  }
  return values;
}

function updateResolved() {
  const env = currentEnv();
  if (!env) return;
  let path = $('path').value;
  const values = selected ? paramValues() : {};
  const extra = [];
  if (selected) {
    for (const p of selected.parameters) {
      const v = values[p.name];
      if (p.in === 'path') {
        path = path.split(`{${p.name}}`).join(v === undefined ? `{${p.name}}` : encodeURIComponent(v));
      } else if (p.in === 'query' && v !== undefined) {
        extra.push(`${encodeURIComponent(p.name)}=${encodeURIComponent(v)}`);
      }
    }
  }
  let url;
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) url = path;
  else url = env.api_base.replace(/\/+$/, '') + (path.startsWith('/') ? '' : '/') + path;
  const q = extra.concat(rows($('query')).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`));
  if (q.length) url += (url.includes('?') ? '&' : '?') + q.join('&');
  $('resolved').textContent = url;
}

// JSON as coloured text: the string is cut into tokens, each put in a span as text.
function highlight(target, text) {
  const re = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
  let last = 0;
  const frag = document.createDocumentFragment();
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) frag.append(document.createTextNode(text.slice(last, m.index)));
    let cls = 'j-num';
    if (m[1]) cls = m[2] ? 'j-key' : 'j-str';
    else if (m[3]) cls = 'j-lit';
    frag.append(el('span', { className: cls }, m[1] ? m[1] : m[0]));
    if (m[2]) frag.append(document.createTextNode(m[2]));
    last = re.lastIndex;
  }
  frag.append(document.createTextNode(text.slice(last)));
  target.replaceChildren(frag);
}

function showResponse(r) {
  $('response-error').hidden = true;
  const line = $('response-line');
  line.replaceChildren(
    el('span', { className: r.status < 400 ? 'status-ok' : 'status-bad', id: 'status' }, `${r.status} ${r.reason}`),
    document.createTextNode(` · ${Math.round(r.time_ms)} ms · ${r.method} ${r.url}`),
  );
  $('response-headers').textContent = r.headers.map(([k, v]) => `${k}: ${v}`).join('\n');
  const body = $('response-body');
  const dl = $('download');
  dl.hidden = true;
  const b = r.body;
  const cut = b.truncated ? ' (cut at 16 MiB)' : '';
  $('response-meta').textContent = `${b.kind} body, ${b.size} bytes${cut}`
    + (r.final_url !== r.url ? ` · after redirects: ${r.final_url}` : '')
    + (r.unsaved ? ` · ${r.unsaved}` : '');
  if (b.kind === 'json') highlight(body, b.text);
  else if (b.kind === 'text') body.textContent = b.text;
  else if (b.kind === 'binary') {
    body.textContent = `Binary body of ${b.size} bytes: not shown.`;
    dl.href = b.download;
    dl.hidden = false;
  } else body.textContent = '(no body)';
}

function showError(e) {
  const p = $('response-error');
  p.textContent = e.message + (e.hints && e.hints.length ? `\n${e.hints.join('\n')}` : '');
  p.hidden = false;
}

async function send() {
  const btn = $('send');
  btn.disabled = true;
  $('send-state').textContent = 'Sending…';
  try {
    const r = await api('/api/send', {
      ...profile(),
      method: $('method').value,
      path: $('path').value,
      query: rows($('query')),
      headers: rows($('headers')),
      body: $('body').value,
      operation: selected && $('path').value === selected.path ? selected.id : null,
      params: selected ? paramValues() : {},
    });
    $('checks').replaceChildren();
    showResponse(r);
    $('send-state').textContent = '';
  } catch (e) {
    showError(e);
    $('checks').replaceChildren(...(e.checks || []).map((c) => el('p', {}, c)));
    $('send-state').textContent = 'Not sent.';
  } finally {
    btn.disabled = false;
  }
}

function renderOps() {
  const list = $('op-list');
  const words = $('search').value.toLowerCase().split(/\s+/).filter(Boolean);
  const groups = new Map();
  for (const op of operations) {
    const hay = `${op.id} ${op.method} ${op.path} ${op.summary} ${op.tags.join(' ')}`.toLowerCase();
    if (!words.every((w) => hay.includes(w))) continue;
    const tag = op.tags[0] || 'other';
    if (!groups.has(tag)) groups.set(tag, []);
    groups.get(tag).push(op);
  }
  const nodes = [];
  for (const [tag, ops] of groups) {
    nodes.push(el('h3', {}, tag));
    for (const op of ops) {
      const b = el('button', { type: 'button', title: op.summary || op.id });
      b.dataset.op = op.id;
      b.setAttribute('role', 'listitem');
      if (selected && selected.id === op.id) b.setAttribute('aria-current', 'true');
      b.append(el('span', { className: 'verb mono' }, op.method), el('span', { className: 'mono' }, op.path));
      b.addEventListener('click', () => chooseOp(op.id));
      nodes.push(b);
    }
  }
  if (!nodes.length && operations.length) nodes.push(el('p', { className: 'muted' }, 'No operation matches.'));
  list.replaceChildren(...nodes);
}

async function loadOps() {
  const env = $('env').value;
  operations = [];
  selected = null;
  $('params').replaceChildren();
  $('op-title').textContent = 'Request';
  $('op-summary').textContent = '';
  try {
    const r = await api(`/api/operations?env=${encodeURIComponent(env)}`);
    operations = r.operations || [];
    $('ops-hint').textContent = r.hint || '';
  } catch (e) {
    $('ops-hint').textContent = e.message;
  }
  renderOps();
}

function paramField(p) {
  const id = `param-${p.in}-${p.name}`;
  const label = el('label', { htmlFor: id, className: p.required ? 'required' : '' }, `${p.name} (${p.in})`);
  let input;
  if (p.enum && p.enum.length) {
    input = el('select', { id });
    if (!p.required) input.append(el('option', { value: '' }, ''));
    for (const v of p.enum) input.append(el('option', { value: String(v) }, String(v)));
  } else {
    input = el('input', { id, className: 'mono', autocomplete: 'off', placeholder: p.description || '' });
  }
  if (p.default !== undefined && p.default !== null) input.value = String(p.default);
  input.dataset.param = p.name;
  if (p.required) input.setAttribute('aria-required', 'true');
  input.addEventListener('input', updateResolved);
  input.addEventListener('change', updateResolved);
  const row = el('div', { className: 'param' });
  row.append(label, input);
  return row;
}

async function chooseOp(id) {
  try {
    const op = await api('/api/operation', { env: $('env').value, id });
    selected = op;
    $('method').value = op.method;
    $('path').value = op.path;
    $('op-title').textContent = op.id;
    $('op-summary').textContent = op.summary || '';
    const params = op.parameters.filter((p) => p.in !== 'cookie');
    const nodes = params.length ? [el('h3', {}, 'Parameters'), ...params.map(paramField)] : [];
    $('params').replaceChildren(...nodes);
    $('body').value = op.body && op.body.example ? op.body.example : '';
    $('checks').replaceChildren();
    renderOps();
    updateResolved();
    const first = $('params').querySelector('[data-param]');
    (first || $('send')).focus();
  } catch (e) {
    showError(e);
  }
}

async function start() {
  $('search').addEventListener('input', renderOps);
  $('search').addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter') return;
    ev.preventDefault();
    const first = $('op-list').querySelector('[data-op]');
    if (first) chooseOp(first.dataset.op);
  });
  $('generate').addEventListener('click', generate);
  $('clear').addEventListener('click', clearPage);
  $('clear-stored').addEventListener('click', offerClearStored);
  $('clear-stored-yes').addEventListener('click', clearStored);
  $('clear-stored-no').addEventListener('click', () => { $('clear-confirm').hidden = true; $('clear').focus(); });
  $('send').addEventListener('click', send);
  $('add-query').addEventListener('click', () => addRow($('query'), '', '', 'Query parameter').focus());
  $('add-header').addEventListener('click', () => addRow($('headers'), '', '', 'Header').focus());
  $('path').addEventListener('input', updateResolved);
  $('env').addEventListener('change', () => { fillCredentials(); profileChanged(); loadOps(); });
  $('credential').addEventListener('change', profileChanged);
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); send(); }
  });
  try {
    state = await api('/api/state');
  } catch (e) {
    showToken(`gtx did not answer: ${e.message}`, false);
    return;
  }
  const envSel = $('env');
  for (const e of state.environments) envSel.append(el('option', { value: e.name }, e.name));
  envSel.value = state.selected.env;
  fillCredentials(state.selected.credential);
  if (state.store_error) showToken(`The store cannot be read: ${state.store_error}`, false);
  if (state.authorised) {
    authorised = state.authorised;
    profileChanged();
    const p = profile();
    if (authorised.env === p.env && authorised.credential === p.credential) {
      showToken(`The page is authorised for ${p.env}/${p.credential}: Generate token shows the token's state.`, true);
    }
  }
  await loadOps();
  document.body.dataset.ready = 'true';
}

start();
