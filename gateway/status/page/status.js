// The status page: follows /events (Server-Sent Events, a full snapshot each time) and draws it.
// Everything from the gateway goes into the page as text (textContent), never as HTML. The token,
// when the page was opened with ?token=..., is passed on to /events and nowhere else.
import { createSpark, drawSpark } from './sparkline.js';

const token = new URLSearchParams(location.search).get('token');
const query = token ? `?token=${encodeURIComponent(token)}` : '';
const $ = (id) => document.getElementById(id);
const cards = new Map();
let filter = 'all';
let last;

/** What each kind plots, and how: [metric, min, max, step]. */
const PLOTS = { lamp: ['level', 0, 1, true], parking: ['occupied', 0, 1, true], bin: ['fill', 0, 100, false] };

const int = (n) => (typeof n === 'number' && Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function age(s) {
  if (s === null || s === undefined || !Number.isFinite(s)) return '–';
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  if (s < 172800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} d`;
}

function bytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1048576) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1048576).toFixed(1)} MiB`;
}

function clockTime(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

function set(id, text) {
  const el = $(id);
  if (el.textContent !== text) el.textContent = text;
}

/** The headline value and the line under it, per kind. */
function describe(d) {
  const s = d.state;
  if (d.kind === 'lamp') {
    const level = num(s.level);
    return [level === undefined ? '–' : `${Math.round(level * 100)} %`, String(s.mode ?? '–')];
  }
  if (d.kind === 'parking') {
    const occupied = s.occupied === true || s.occupied === 1;
    return [occupied ? 'occupied' : 'free', s.confirming ? 'confirming…' : String(s.sensor ?? '')];
  }
  if (d.kind === 'bin') {
    const fill = num(s.fill);
    const temp = num(s.tempC);
    const alerted = s.fireAlerted === true ? 'FIRE · ' : s.fullAlerted === true ? 'full · ' : '';
    return [fill === undefined ? '–' : `${Math.round(fill)} %`, `${alerted}lid ${s.lid ?? '–'}${temp === undefined ? '' : ` · ${temp.toFixed(1)} °C`}`];
  }
  return ['–', ''];
}

function field(card, name) {
  return card.querySelector(`[data-field="${name}"]`);
}

function newCard(d) {
  const card = document.createElement('article');
  card.className = 'device';
  card.dataset.device = d.id;
  card.dataset.kind = d.kind;
  const head = document.createElement('header');
  const id = document.createElement('span');
  id.className = 'id';
  id.textContent = d.id;
  const kind = document.createElement('span');
  kind.className = 'kind';
  kind.textContent = d.kind;
  head.append(id, kind);
  const parts = ['value', 'detail', 'faults'].map((name) => {
    const el = document.createElement('div');
    el.className = name;
    el.dataset.field = name;
    return el;
  });
  const spark = createSpark(`${d.id} ${PLOTS[d.kind]?.[0] ?? ''}, recent values`);
  const foot = document.createElement('footer');
  for (const name of ['seen', 'link']) {
    const el = document.createElement('span');
    el.dataset.field = name;
    foot.append(el);
  }
  card.append(head, ...parts, spark, foot);
  return { card, spark };
}

function renderDevices(snap) {
  const series = new Map(snap.series.map((s) => [`${s.device}/${s.metric}`, s]));
  const box = $('devices');
  const seen = new Set();
  let faulty = 0;
  for (const d of snap.devices) {
    seen.add(d.id);
    let entry = cards.get(d.id);
    if (!entry) {
      entry = newCard(d);
      cards.set(d.id, entry);
      box.append(entry.card);
    }
    const { card, spark } = entry;
    const [value, detail] = describe(d);
    const update = (name, text) => {
      const el = field(card, name);
      if (el.textContent !== text) el.textContent = text;
    };
    update('value', value);
    update('detail', detail);
    update('faults', d.faults.join(', '));
    update('seen', d.lastSeenAgeS === null ? 'not heard yet' : `seen ${age(d.lastSeenAgeS)} ago`);
    update('link', d.link ? `link ${d.link}` : '');
    if (d.faults.length > 0) faulty++;
    card.classList.toggle('fault', d.faults.length > 0);
    card.classList.toggle('lit', d.kind === 'lamp' && (num(d.state.level) ?? 0) > 0);
    card.classList.toggle('alerting', d.kind === 'bin' && (d.state.fireAlerted === true || d.state.fullAlerted === true));
    card.classList.toggle('occupied', d.kind === 'parking' && (d.state.occupied === true || d.state.occupied === 1));
    card.hidden = !(filter === 'all' || filter === d.kind || (filter === 'faults' && d.faults.length > 0));
    const plot = PLOTS[d.kind];
    if (plot) drawSpark(spark, series.get(`${d.id}/${plot[0]}`), { min: plot[1], max: plot[2], step: plot[3], now: snap.clock.wall });
  }
  for (const [id, { card }] of cards) {
    if (!seen.has(id)) {
      card.remove();
      cards.delete(id);
    }
  }
  set('device-count', `${snap.devices.length}${faulty ? ` · ${faulty} with faults` : ''}`);
}

function renderAlerts(alerts) {
  const list = $('alerts');
  list.replaceChildren();
  if (alerts.length === 0) {
    const li = document.createElement('li');
    li.className = 'none';
    li.textContent = 'none yet';
    list.append(li);
    return;
  }
  for (const a of [...alerts].reverse()) {
    const li = document.createElement('li');
    li.className = `sev-${a.severity}`;
    const time = document.createElement('time');
    time.dateTime = new Date(a.time).toISOString();
    time.textContent = clockTime(a.time);
    const who = document.createElement('b');
    who.textContent = a.device;
    const what = document.createElement('span');
    what.className = 'what';
    what.textContent = `${a.name} ${Math.round(a.value * 10) / 10}`;
    const detail = document.createElement('span');
    detail.className = 'detail';
    detail.textContent = a.detail;
    li.append(time, who, what, detail);
    list.append(li);
  }
}

function renderDrops(drops) {
  const box = $('drops');
  box.replaceChildren();
  const entries = Object.entries(drops).filter(([, n]) => n > 0);
  const total = Object.values(drops).reduce((a, n) => a + n, 0);
  $('drops-panel').classList.toggle('warn', total > 0);
  if (entries.length === 0) entries.push(['none', 0]);
  for (const [reason, n] of entries) {
    const dt = document.createElement('dt');
    dt.textContent = reason;
    const dd = document.createElement('dd');
    dd.textContent = reason === 'none' ? '0' : int(n);
    box.append(dt, dd);
  }
}

function render(snap) {
  last = snap;
  set('site', snap.site);
  set('gateway', snap.gateway);
  document.title = `${snap.gateway} · Kerb status`;
  set('version', snap.version);
  set('epoch', String(snap.epoch));
  set('uptime', age(snap.uptimeS));
  set('clock', snap.clock.synced ? 'synced' : 'NOT synced');
  $('clock').classList.toggle('bad', !snap.clock.synced);
  set('wall', new Date(snap.clock.wall).toLocaleString([], { hour12: false }));

  const u = snap.uplink;
  set('link-state', u.state);
  $('link-state').dataset.state = u.state;
  set('reconnects', int(u.reconnects));
  set('sent', `${int(u.sent)} (${bytes(u.bytesSent)})`);
  set('last-error', u.lastError || 'none');

  const sp = snap.spool;
  set('spool-durable', sp.durable ? 'on disk' : 'IN MEMORY ONLY');
  $('spool-panel').classList.toggle('warn', !sp.durable);
  set('spool-pending', `${int(sp.pending)} batches`);
  set('spool-bytes', bytes(sp.bytes));
  set('spool-oldest', sp.oldestAgeS === null ? 'nothing waits' : `${age(sp.oldestAgeS)} old`);
  renderDrops(snap.drops);

  const c = snap.counters;
  set('readings', int(c.readings));
  set('events', int(c.events));
  set('alert-count', int(c.alerts));
  set('batches', int(c.batches));
  set('bytes-per-value', c.values ? (c.batchBytes / c.values).toFixed(2) : '–');
  set('invalid', int(c.invalidReadings));

  $('failed-section').hidden = snap.failedDevices.length === 0;
  $('failed').replaceChildren(...snap.failedDevices.map((f) => {
    const li = document.createElement('li');
    li.textContent = `${f.id}: ${f.error}`;
    return li;
  }));
  renderAlerts(snap.alerts);
  renderDevices(snap);
}

function connection(state, text) {
  const el = $('connection');
  el.dataset.state = state;
  if (el.textContent !== text) el.textContent = text;
}

function follow() {
  const events = new EventSource(`events${query}`);
  events.onopen = () => connection('live', 'live');
  events.onmessage = (m) => {
    connection('live', 'live');
    render(JSON.parse(m.data));
  };
  events.onerror = async () => {
    if (events.readyState !== EventSource.CLOSED) {
      connection('down', 'disconnected, retrying…');
      return;
    }
    // The browser gave up (the server answered with an error): find out why, then try again.
    events.close();
    let why = 'disconnected, retrying…';
    try {
      const r = await fetch(`api/status${query}`, { cache: 'no-store' });
      if (r.status === 401) why = 'not authorised: open this page with ?token=<token>';
    } catch {
      // unreachable: keep retrying
    }
    connection('down', why);
    setTimeout(follow, 5000);
  };
}

for (const button of document.querySelectorAll('[data-filter]')) {
  button.addEventListener('click', () => {
    filter = button.dataset.filter;
    for (const b of document.querySelectorAll('[data-filter]')) b.setAttribute('aria-pressed', String(b === button));
    if (last) renderDevices(last);
  });
}

follow();
