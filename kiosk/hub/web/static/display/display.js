// Kömək waiting-room call display. Plain JavaScript, no build step.
// Every piece of data goes into the page with textContent, never innerHTML.
// The feed carries no personal data; this page could not show any if it tried.
"use strict";

const TEXT = {
  az: {
    now: "İndi çağırılır", recent: "Son çağırışlar", next: "Növbəti", nobody: "Gözləyən yoxdur",
    none: "Hələ çağırış yoxdur", desk: "Masa {n}", volunteer: "Könüllü: {v}", volunteer_any: "Könüllüyə yaxınlaşın",
    yesterday: "Dünənki talon", other_day: "Talonun günü: {w}",
    offline: "Hub ilə əlaqə yoxdur, yenidən qoşulur…", sound: "Səsi açmaq üçün toxunun",
    no_key: "Bu ekranın açarı yoxdur: ünvanı «kiosk hub add-display» ilə alın.",
    revoked: "Bu ekranın açarı ləğv edilib.",
    bad_key: "Bu ekranın açarı tanınmır və ya ləğv edilib: yeni ünvanı «kiosk hub add-display» ilə alın.",
  },
  ru: {
    now: "Сейчас вызывается", recent: "Последние вызовы", next: "Следующие", nobody: "Никто не ждёт",
    none: "Вызовов пока нет", desk: "Стол {n}", volunteer: "Волонтёр: {v}", volunteer_any: "Подойдите к волонтёру",
    yesterday: "Вчерашний талон", other_day: "День талона: {w}",
    offline: "Нет связи с хабом, переподключение…", sound: "Нажмите, чтобы включить звук",
    no_key: "У экрана нет ключа: получите адрес командой «kiosk hub add-display».",
    revoked: "Ключ этого экрана отозван.",
    bad_key: "Ключ этого экрана не подходит или отозван: получите новый адрес командой «kiosk hub add-display».",
  },
  en: {
    now: "Now serving", recent: "Recent calls", next: "Next", nobody: "Nobody is waiting",
    none: "No calls yet", desk: "Desk {n}", volunteer: "Volunteer: {v}", volunteer_any: "Please go to a volunteer",
    yesterday: "Yesterday's ticket", other_day: "Ticket day: {w}",
    offline: "No connection to the hub, reconnecting…", sound: "Tap to turn the sound on",
    no_key: "This display has no key: get its address with “kiosk hub add-display”.",
    revoked: "This display's key was revoked.",
    bad_key: "This display's key is unknown or revoked: get a new address with “kiosk hub add-display”.",
  },
};

const FRESH_SECONDS = 20; // a call older than this when first seen is shown, not said
const params = new URLSearchParams(location.search);
const KEY = params.get("key") || "";

// What tests and people can read back: calls said, clips played, problems.
const log = (window.komekDisplay = { announced: [], played: [], failed: [], events: 0, connected: false });

let langs = ["az", "ru"];
let lastDoc = null;
let source = null;
let reconnectTimer = null;
const heard = new Set(); // "id-count" of every call already said (or too old to say)
let firstDoc = true;
const sayQueue = [];
let saying = false;
let audioCtx = null;

function t(key, vars = {}) {
  return langs
    .map((lang) => (TEXT[lang] || TEXT.en)[key].replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? "")))
    .join("\n");
}

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  return node;
}

function markTile(ticket, size) {
  const tile = el("span", `mark mark-${size}`, ticket.glyph);
  tile.style.background = ticket.colour;
  tile.dataset.pictogram = ticket.pictogram;
  tile.title = langs.map((l) => ticket.pictogram_name[l] || "").join(" · ");
  return tile;
}

function deskText(call) {
  return call.desk ? t("desk", { n: call.desk }) : "";
}

function dayText(ticket, today) {
  const day = new Date(ticket.day + "T12:00:00");
  const now = new Date(today + "T12:00:00");
  if (Math.round((now - day) / 86400000) === 1) return t("yesterday");
  return langs.map((l) => (TEXT[l] || TEXT.en).other_day.replace("{w}", ticket.weekday[l] || ticket.day)).join("\n");
}

function applyStatic() {
  document.documentElement.lang = langs[0];
  for (const node of document.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
}

function render(doc) {
  lastDoc = doc;
  langs = doc.languages && doc.languages.length ? doc.languages : langs;
  applyStatic();
  document.getElementById("site").textContent = langs.map((l) => doc.site_name[l] || doc.site).filter((v, i, a) => a.indexOf(v) === i).join(" · ");
  const [current, ...older] = doc.calls;
  document.getElementById("none").hidden = Boolean(current);
  const number = document.getElementById("now-ticket");
  const mark = document.getElementById("now-mark");
  const dayMarker = document.getElementById("now-day");
  number.textContent = current ? current.ticket : "";
  mark.textContent = current ? current.glyph : "";
  mark.style.background = current ? current.colour : "transparent";
  mark.dataset.pictogram = current ? current.pictogram : "";
  mark.hidden = !current;
  document.getElementById("now-desk").textContent = current ? deskText(current).replaceAll("\n", " · ") : "";
  // The volunteer's display name; with neither a name nor a desk, where to go all
  // the same (never the account's name: that is often a surname).
  let who = "";
  if (current && current.volunteer) who = t("volunteer", { v: current.volunteer });
  else if (current && !current.desk) who = t("volunteer_any");
  document.getElementById("now-volunteer").textContent = who.replaceAll("\n", " · ");
  dayMarker.hidden = !(current && current.other_day);
  if (current && current.other_day) {
    dayMarker.textContent = dayText(current, doc.today).replaceAll("\n", " · ");
    dayMarker.style.background = current.colour;
  }

  const recent = document.getElementById("recent");
  recent.replaceChildren(
    ...older.map((call) => {
      const li = el("li");
      li.append(markTile(call, "small"), el("span", "ticket", call.ticket));
      if (call.other_day) li.append(el("span", "other-day", dayText(call, doc.today)));
      li.append(el("span", "where", deskText(call)));
      return li;
    }),
  );
  const next = document.getElementById("next");
  next.replaceChildren(
    ...doc.waiting.map((ticket) => {
      const li = el("li");
      li.append(markTile(ticket, "small"), el("span", "ticket", ticket.ticket));
      if (ticket.other_day) li.append(el("span", "other-day", dayText(ticket, doc.today)));
      return li;
    }),
  );
  document.getElementById("nobody").hidden = doc.waiting.length > 0;
  fit();
  announceNew(doc);
}

// Whatever the feed holds, the screen shows it whole: a long number (up to
// "A-999999") is made smaller until it and its pictogram fit their panel, and a
// list longer than its panel shows the first entries that fit entirely, none cut.
function fit() {
  const number = document.getElementById("now-ticket");
  number.style.fontSize = "";
  const panel = document.querySelector(".now");
  const style = getComputedStyle(panel);
  const room = panel.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const mark = document.getElementById("now-mark");
  const gap = parseFloat(getComputedStyle(number.parentElement).columnGap) || 0;
  const free = room - (mark.hidden ? 0 : mark.offsetWidth + gap);
  const width = number.getBoundingClientRect().width;
  if (width > free && free > 0) {
    number.style.fontSize = `${Math.floor(parseFloat(getComputedStyle(number).fontSize) * (free / width) * 0.97)}px`;
  }
  for (const id of ["recent", "next"]) {
    const list = document.getElementById(id);
    const box = list.parentElement;
    const bottom = box.getBoundingClientRect().bottom - parseFloat(getComputedStyle(box).paddingBottom);
    let full = false; // in order: after the first entry that does not fit, none
    for (const li of list.children) li.hidden = false;
    for (const li of list.children) {
      full = full || li.getBoundingClientRect().bottom > bottom + 0.5;
      li.hidden = full;
    }
  }
}

function announceNew(doc) {
  const now = Date.parse(doc.now);
  // Oldest first, so two quick calls are said in the order they were made.
  for (const call of [...doc.calls].reverse()) {
    if (heard.has(call.call)) continue;
    heard.add(call.call);
    const age = (now - Date.parse(call.called_at)) / 1000;
    if (firstDoc && age > FRESH_SECONDS) continue; // shown after a reload, not said again
    if (age > FRESH_SECONDS * 3) continue; // a call missed while the hub was away is long over
    log.announced.push({ call: call.call, ticket: call.ticket, desk: call.desk, pictogram: call.pictogram, at: Date.now() });
    sayQueue.push(call);
  }
  firstDoc = false;
  if (!saying) sayNext();
}

function chime() {
  try {
    audioCtx = audioCtx || new AudioContext();
    const start = audioCtx.currentTime + 0.05;
    [660, 880].forEach((freq, i) => {
      const osc = audioCtx.createOscillator();
      const gain = audioCtx.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, start + i * 0.45);
      gain.gain.exponentialRampToValueAtTime(0.4, start + i * 0.45 + 0.03);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + i * 0.45 + 0.42);
      osc.connect(gain).connect(audioCtx.destination);
      osc.start(start + i * 0.45);
      osc.stop(start + i * 0.45 + 0.45);
    });
    return new Promise((resolve) => setTimeout(resolve, 1000));
  } catch (err) {
    return Promise.resolve();
  }
}

function playClip(url) {
  return new Promise((resolve) => {
    const audio = new Audio(url);
    const done = (ok, why) => {
      (ok ? log.played : log.failed).push({ url, why, seconds: audio.duration || 0 });
      resolve(ok);
    };
    audio.addEventListener("ended", () => done(true, "ended"), { once: true });
    audio.addEventListener("error", () => done(false, "error"), { once: true });
    audio.play().catch((err) => {
      if (err && err.name === "NotAllowedError") document.getElementById("sound").hidden = false;
      done(false, err ? err.name : "play");
    });
  });
}

async function sayNext() {
  const call = sayQueue.shift();
  if (!call) {
    saying = false;
    return;
  }
  saying = true;
  const now = document.querySelector(".now");
  now.classList.remove("flash");
  void now.offsetWidth; // restart the animation
  now.classList.add("flash");
  await chime();
  for (const clip of call.audio) await playClip(clip.url);
  sayNext();
}

function problem(key) {
  document.getElementById("offline").hidden = true; // the hub answered: the key is the trouble
  // No key, no calls: a revoked screen must not go on showing its last call as current.
  document.getElementById("board").hidden = true;
  const box = document.getElementById("problem");
  box.textContent = t(key);
  box.hidden = false;
}

function connect() {
  clearTimeout(reconnectTimer);
  if (source) source.close();
  source = new EventSource(`/api/v1/display/events?key=${encodeURIComponent(KEY)}`);
  source.addEventListener("open", () => {
    log.connected = true;
    document.getElementById("offline").hidden = true;
  });
  source.addEventListener("display", (ev) => {
    log.events += 1;
    log.connected = true;
    document.getElementById("offline").hidden = true;
    render(JSON.parse(ev.data));
  });
  source.addEventListener("revoked", () => {
    source.close();
    problem("revoked");
  });
  source.addEventListener("error", () => {
    log.connected = false;
    document.getElementById("offline").hidden = false;
    // The browser retries by itself after a dropped stream; after a refused one
    // (the hub restarting behind a proxy) it gives up, so try again ourselves.
    if (source.readyState === EventSource.CLOSED) {
      reconnectTimer = setTimeout(checkKeyAndConnect, 2000);
    }
  });
}

async function checkKeyAndConnect() {
  try {
    const answer = await fetch(`/api/v1/display/state?key=${encodeURIComponent(KEY)}`, { cache: "no-store" });
    if (answer.status === 401 || answer.status === 422) {
      problem("bad_key"); // unknown, revoked or not a key at all: retrying will not help
      return;
    }
  } catch (err) {
    // hub not back yet: connect() below fails too and schedules the next try
  }
  connect();
}

function tick() {
  const now = new Date();
  document.getElementById("clock").textContent = now.toLocaleTimeString(langs[0] === "ru" ? "ru-RU" : "az-Latn-AZ", { hour: "2-digit", minute: "2-digit" });
}

document.getElementById("sound").addEventListener("click", () => {
  document.getElementById("sound").hidden = true;
  if (audioCtx) audioCtx.resume();
  const last = lastDoc && lastDoc.calls[0];
  if (last) sayQueue.push(last);
  if (!saying) sayNext();
});

applyStatic();
document.fonts.ready.then(() => lastDoc && fit());
window.addEventListener("resize", () => lastDoc && fit());
tick();
setInterval(tick, 10000);
if (!KEY) problem("no_key");
else connect();
