// Kömək volunteers' console (/console/), inside the hub's page shell (shell.js:
// language, login, logout, errors, "session ended"). Plain JavaScript, no build
// step. Every piece of data goes into the page with textContent or a property,
// never innerHTML: names, notes and topics come from the public.
"use strict";

const TEXT = {
  az: {
    queue: "Növbə", finished: "Bu gün bitənlər", empty: "Hazırda heç kim gözləmir.",
    call_next: "Növbəti şəxsi çağır", nobody: "Gözləyən yoxdur.",
    counts: "Gözləyir: {w} · Çağırılıb: {c} · Kömək olunur: {s}",
    waited: "{m} dəq gözləyir", waited_done: "{m} dəq gözlədi", minutes_lt1: "indicə",
    terminal: "Terminal: {t}", calls: "{n} dəfə çağırılıb", by: "— {v}", speaks: "Dil: {l}",
    no_topic: "Ümumi kömək", note: "Qeyd", save: "Saxla",
    slip: "qəbzdə {t}",
    new_request: "Yeni müraciət: {t}", offline: "Hub ilə əlaqə yoxdur, yenidən qoşulur…", replaced: "Növbə başqa pəncərədə açıqdır; burada yeniləmə dayandı.",
    conflict: "Bu müraciəti artıq başqa könüllü dəyişib.", failed: "Alınmadı, yenidən cəhd edin.",
    sound_on: "Səs: açıq", sound_off: "Səs: bağlı", desk: "Masa", no_desk: "—", other_day: "Başqa gün: {w}",
    confirm_cancel: "Bu müraciət ləğv edilsin?", confirm_no_show: "{t} gəlmədi?",
    status: { waiting: "Gözləyir", called: "Çağırılıb", serving: "Kömək olunur", done: "Bitdi", no_show: "Gəlmədi", cancelled: "Ləğv edilib" },
    action: { call: "Çağır", recall: "Yenidən çağır", serve: "Kömək edirəm", done: "Bitdi", "no-show": "Gəlmədi", cancel: "Ləğv et", requeue: "Növbəyə qaytar", reopen: "Yenidən aç" },
    history: "Tarixçə", history_title: "{t} — tarixçə", history_zone: "vaxt: {z}",
    history_arrived: "{t} terminalından gəldi", history_empty: "Hələ heç kim dəyişməyib.",
    history_failed: "Tarixçə yüklənmədi, yenidən açın.", day_closed: "gün bağlandı",
    my_name: "Ekranda adım", my_name_hint: "Gözləmə zalının ekranı və səsli çağırış sizi belə adlandırır («sizi Aysel gözləyir»). Boş qalsa, ad deyilmir.",
    my_name_saved: "Saxlanıldı: ekranda «{d}».", my_name_cleared: "Ekranda adınız göstərilmir.",
    did: { call: "çağırdı", recall: "yenidən çağırdı", serve: "kömək etməyə başladı", done: "bitirdi", "no-show": "«gəlmədi» qeyd etdi", cancel: "ləğv etdi", requeue: "növbəyə qaytardı", reopen: "yenidən açdı", note: "qeyd yazdı" },
  },
  ru: {
    queue: "Очередь", finished: "Завершённые сегодня", empty: "Сейчас никто не ждёт.",
    call_next: "Вызвать следующего", nobody: "Никто не ждёт.",
    counts: "Ждут: {w} · Вызваны: {c} · Обслуживаются: {s}",
    waited: "ждёт {m} мин", waited_done: "ждал(а) {m} мин", minutes_lt1: "только что",
    terminal: "Терминал: {t}", calls: "вызван {n} раз(а)", by: "— {v}", speaks: "Язык: {l}",
    no_topic: "Общая помощь", note: "Заметка", save: "Сохранить",
    slip: "на талоне {t}",
    new_request: "Новая заявка: {t}", offline: "Нет связи с хабом, переподключение…", replaced: "Очередь открыта в другом окне; здесь обновление остановлено.",
    conflict: "Эту заявку уже изменил другой волонтёр.", failed: "Не получилось, попробуйте ещё раз.",
    sound_on: "Звук: вкл", sound_off: "Звук: выкл", desk: "Стол", no_desk: "—", other_day: "Другой день: {w}",
    confirm_cancel: "Отменить эту заявку?", confirm_no_show: "{t} не пришёл?",
    status: { waiting: "Ждёт", called: "Вызван", serving: "Обслуживается", done: "Готово", no_show: "Не пришёл", cancelled: "Отменена" },
    action: { call: "Вызвать", recall: "Вызвать снова", serve: "Обслуживаю", done: "Готово", "no-show": "Не пришёл", cancel: "Отменить", requeue: "Вернуть в очередь", reopen: "Открыть снова" },
    history: "История", history_title: "{t} — история", history_zone: "время: {z}",
    history_arrived: "пришла с терминала {t}", history_empty: "Пока никто не менял.",
    history_failed: "История не загрузилась, откройте ещё раз.", day_closed: "день закрыт",
    my_name: "Моё имя на экране", my_name_hint: "Так вас называют экран зала ожидания и голосовой вызов («вас ждёт Айсель»). Если пусто, имя не называется.",
    my_name_saved: "Сохранено: на экране «{d}».", my_name_cleared: "Ваше имя на экране не показывается.",
    did: { call: "вызвал(а)", recall: "вызвал(а) снова", serve: "начал(а) помогать", done: "завершил(а)", "no-show": "отметил(а) «не пришёл»", cancel: "отменил(а)", requeue: "вернул(а) в очередь", reopen: "открыл(а) снова", note: "написал(а) заметку" },
  },
  en: {
    queue: "Queue", finished: "Finished today", empty: "Nobody is waiting right now.",
    call_next: "Call next person", nobody: "Nobody is waiting.",
    counts: "Waiting: {w} · Called: {c} · Being served: {s}",
    waited: "waiting {m} min", waited_done: "waited {m} min", minutes_lt1: "just now",
    terminal: "Terminal: {t}", calls: "called {n}×", by: "— {v}", speaks: "Language: {l}",
    no_topic: "General help", note: "Note", save: "Save",
    slip: "slip says {t}",
    new_request: "New request: {t}", offline: "No connection to the hub, reconnecting…", replaced: "The queue is open in another window; this one stopped updating.",
    conflict: "Another volunteer already changed this request.", failed: "That did not work; try again.",
    sound_on: "Sound: on", sound_off: "Sound: off", desk: "Desk", no_desk: "—", other_day: "Other day: {w}",
    confirm_cancel: "Cancel this request?", confirm_no_show: "{t} did not come?",
    status: { waiting: "Waiting", called: "Called", serving: "Being served", done: "Done", no_show: "No-show", cancelled: "Cancelled" },
    action: { call: "Call", recall: "Re-call", serve: "Start helping", done: "Done", "no-show": "No-show", cancel: "Cancel", requeue: "Back to queue", reopen: "Reopen" },
    history: "History", history_title: "{t} — history", history_zone: "times: {z}",
    history_arrived: "came from terminal {t}", history_empty: "Nobody has changed it yet.",
    history_failed: "The history did not load; open it again.", day_closed: "day closed",
    my_name: "My name on the display", my_name_hint: "What the waiting-room display shows and the spoken call says for you (“please go to Aysel”). Left empty, no name is said.",
    my_name_saved: "Saved: the display says “{d}”.", my_name_cleared: "The display shows no name for you.",
    did: { call: "called", recall: "called again", serve: "started helping", done: "finished", "no-show": "marked no-show", cancel: "cancelled", requeue: "put back in the queue", reopen: "reopened", note: "wrote a note" },
  },
};

// The resident's language, in its own words, so the volunteer greets them in it.
const LANGUAGE_NAMES = { az: "Azərbaycanca", ru: "Русский", en: "English" };

// Which buttons a request in each state offers; the first is the main one.
// "Not here" (no-show) also for a waiting ticket whose resident has gone.
// A request closed by mistake can be reopened (back to the state it was closed
// from) for a while, by who closed it or an admin: see reopenable().
const ACTIONS = {
  waiting: ["call", "serve", "no-show", "cancel"],
  called: ["serve", "recall", "no-show", "cancel"],
  serving: ["done", "cancel"],
  no_show: ["requeue", "reopen"],
  done: ["reopen"],
  cancelled: ["reopen"],
};
const OPEN = new Set(["waiting", "called", "serving"]);

// One touch, one action (as on the kiosk). While an action is on its way to the
// hub, and for GUARD_MS after the queue's layout changed, the queue takes no tap:
// the buttons under the thumb are new (Start helping becomes Done, a finished
// card leaves and the next one slides up), so a double tap's second tap would
// press one of them. Page-wide, because cards move. Shown with aria-busy.
const GUARD_MS = 700;
const guard = { until: 0, inFlight: 0, timer: 0, layout: null };

function guarded() {
  return guard.inFlight > 0 || performance.now() < guard.until;
}

function showGuard() {
  const view = $("queue-view");
  if (!view) return;
  clearTimeout(guard.timer);
  if (guarded()) {
    view.setAttribute("aria-busy", "true");
    guard.timer = setTimeout(showGuard, Math.max(20, guard.until - performance.now() + 5));
  } else {
    view.removeAttribute("aria-busy");
  }
}

function holdTaps(ms) {
  guard.until = Math.max(guard.until, performance.now() + ms);
  showGuard();
}

// Runs one action under the guard (and any question it asks first).
async function guardedCall(call) {
  guard.inFlight += 1;
  showGuard();
  try {
    await call();
  } catch (e) {
    showActionError(e);
  } finally {
    guard.inFlight -= 1;
    holdTaps(GUARD_MS);
  }
}

// A closed request this volunteer may still reopen (the hub says until when).
function reopenable(r) {
  if (!r.reopen_until || !state.volunteer) return false;
  if (Date.parse(r.reopen_until) <= Date.now() + state.clockOffset) return false;
  return r.closed_by === state.volunteer.name || Shell.admin;
}

const state = {
  volunteer: null,
  requests: [],
  known: null, // ids seen so far; null until the first queue arrives
  clockOffset: 0, // server time minus browser time, in ms
  sound: localStorage.getItem("komek.sound") !== "off",
  events: null,
  audio: null,
  histories: new Map(), // request id -> {events, zone, sig, failed} of each open history
  names: {}, // account -> display name, for the site's volunteers who set one
};

// A volunteer as the queue shows them: their display name when they set one.
const nameOf = (account) => state.names[account] || account;

const $ = (id) => document.getElementById(id);
// The phone layout (console.css's max-width: 600px): some buttons sit elsewhere.
const PHONE = window.matchMedia("(max-width: 600px)");
PHONE.addEventListener("change", () => { placeTools(); render(); });

// On a phone the desk and the sound switch sit beside the queue's heading: in the
// header they left the logo, the page's title and who is logged in no room.
function placeTools() {
  const home = PHONE.matches ? $("phone-tools") : document.querySelector("header.bar .tools");
  for (const id of ["sound", "desk-pick"]) {
    const el = $(id);
    if (el && home && el.parentElement !== home) home.prepend(el);
  }
}

// The console's texts go to the shell; a request's states and actions by their names.
Shell.addTexts(Object.fromEntries(Object.entries(TEXT).map(([lang, texts]) => {
  const flat = {};
  for (const [k, v] of Object.entries(texts)) {
    if (typeof v === "string") flat[k] = v;
    else for (const [name, words] of Object.entries(v)) flat[`${k}_${name}`] = words;
  }
  return [lang, flat];
})));

const t = (key, vars) => Shell.t(key, vars);

// ---- language -------------------------------------------------------------

function applyLanguage() {
  const word = $("sound").querySelector(".word");
  word.textContent = state.sound ? t("sound_on") : t("sound_off");
  $("sound").setAttribute("aria-label", word.textContent);
  $("sound").setAttribute("aria-pressed", String(state.sound));
  if (!$("alert").hidden) alertText();
  showWho();
  render();
}

function showWho() {
  const v = state.volunteer;
  if (!v || Shell.ended) return;
  const site = (v.site_name && (v.site_name[Shell.lang] || v.site_name.az)) || v.site;
  // The name residents see for this volunteer, when set (the account's name is in the title).
  $("shell-who").textContent = (v.display_name || v.name) + " · " + site;
  $("shell-who").title = v.name;
  showMyName();
  showDesk();
}

// The desk this volunteer calls people to: said and shown on the waiting-room display.
function showDesk() {
  const v = Shell.ended ? null : state.volunteer;
  const pick = $("desk-pick");
  pick.hidden = !v;
  if (!v) return;
  const select = $("desk");
  if (select.options.length === 0) {
    for (let n = 0; n <= 20; n++) select.add(new Option(String(n), String(n)));
  }
  select.options[0].textContent = t("no_desk");
  select.value = String(v.desk || 0);
}

$("desk").addEventListener("change", async (ev) => {
  try {
    state.volunteer = await Shell.api("POST", "/api/v1/console/desk", { desk: Number(ev.target.value) });
  } catch (e) { showActionError(e); }
  showDesk();
});

// ---- talking to the hub -----------------------------------------------------

async function checkSession() {
  let me;
  try {
    me = await Shell.api("GET", "/api/v1/console/me");
  } catch (e) {
    $("offline").hidden = false;
    setTimeout(checkSession, 2000);
    return;
  }
  $("offline").hidden = true;
  if (!me.volunteer) {
    sessionEnded();
    return;
  }
  Shell.setCsrf(me.csrf_token);
  state.volunteer = me.volunteer;
  showWho();
  startEvents();
}

// Expired, logged out elsewhere, or the volunteer was removed: nothing more of
// the queue stays on the screen, and the page says why.
function sessionEnded() {
  stopEvents();
  state.volunteer = null;
  state.requests = [];
  $("my-name-fold").hidden = true;
  $("alert").hidden = true;
  $("offline").hidden = true;
  Shell.sessionEnded();
}

function startEvents() {
  stopEvents();
  const es = new EventSource("/api/v1/console/events");
  state.events = es;
  es.addEventListener("queue", (ev) => {
    $("offline").hidden = true;
    onQueue(JSON.parse(ev.data));
  });
  // The hub ends the stream when the session expires or is logged out.
  es.addEventListener("logout", () => sessionEnded());
  es.addEventListener("ended", () => sessionEnded());
  // This session opened the queue in more tabs than the hub keeps live: this one stops.
  es.addEventListener("replaced", () => {
    stopEvents();
    Shell.showError("replaced");
  });
  es.onerror = () => {
    if (!state.events) return;
    $("offline").hidden = false;
    // A closed stream (hub restarted, or session gone) is not retried by the
    // browser: find out which, then say the session ended or reconnect.
    if (es.readyState === EventSource.CLOSED) {
      stopEvents();
      setTimeout(checkSession, 2000);
    }
  };
}

function stopEvents() {
  if (state.events) state.events.close();
  state.events = null;
}

// ---- the queue --------------------------------------------------------------

function onQueue(doc) {
  state.clockOffset = Date.parse(doc.now) - Date.now();
  const fresh = [];
  const ids = new Set(doc.requests.map((r) => r.id));
  if (state.known !== null) {
    for (const r of doc.requests) {
      if (!state.known.has(r.id) && r.status === "waiting") fresh.push(r);
    }
  }
  state.known = ids;
  state.requests = doc.requests;
  state.names = doc.names || {};
  render();
  if (fresh.length) announce(fresh);
}

function minutesSince(iso) {
  if (!iso) return 0;
  return Math.max(0, Math.floor((Date.now() + state.clockOffset - Date.parse(iso)) / 60000));
}

function topicOf(r) {
  if (!r.topic_service_id) return t("no_topic");
  return r.topic[Shell.lang] || r.topic.az || r.topic_service_id;
}

function render() {
  if (!state.volunteer || Shell.ended) return;
  const open = state.requests.filter((r) => OPEN.has(r.status));
  const done = state.requests.filter((r) => !OPEN.has(r.status));
  const count = (s) => open.filter((r) => r.status === s).length;
  $("counts").textContent = t("counts", { w: count("waiting"), c: count("called"), s: count("serving") });
  $("call-next").disabled = count("waiting") === 0;
  $("empty").hidden = open.length > 0;
  fillList($("open-list"), open);
  fillList($("done-list"), done);
  // Cards went, moved or changed their buttons: taps wait a moment. A new card at
  // the end of the queue moves nothing under the thumb.
  const layout = ["open-list", "done-list"].map((id) => [...$(id).children]
    .map((li) => li.dataset.id + ":" + li.querySelector(".actions").dataset.key + ";").join(""));
  const old = guard.layout;
  if (old !== null && !(layout[0].startsWith(old[0]) && layout[1] === old[1])) holdTaps(GUARD_MS);
  guard.layout = layout;
  $("finished").hidden = done.length === 0;
  $("finished").querySelector("summary").textContent = t("finished") + " (" + done.length + ")";
}

function fillList(list, requests) {
  const existing = new Map();
  for (const li of list.children) existing.set(li.dataset.id, li);
  const wanted = [];
  for (const r of requests) {
    let li = existing.get(String(r.id));
    if (!li) li = $("card-template").content.firstElementChild.cloneNode(true);
    existing.delete(String(r.id));
    fillCard(li, r);
    wanted.push(li);
  }
  for (const li of existing.values()) li.remove();
  // Re-order only when needed: moving a card would take the focus out of its note.
  const same = wanted.length === list.children.length && wanted.every((li, i) => list.children[i] === li);
  if (!same) for (const li of wanted) list.appendChild(li);
}

// Grouped as Azerbaijanis write them, so a volunteer can read the number out.
function readablePhone(p) {
  let m = /^\+994(\d{2})(\d{3})(\d{2})(\d{2})$/.exec(p);
  if (m) return `+994 ${m[1]} ${m[2]} ${m[3]} ${m[4]}`;
  m = /^(0\d{2})(\d{3})(\d{2})(\d{2})$/.exec(p);
  if (m) return `${m[1]} ${m[2]} ${m[3]} ${m[4]}`;
  return p;
}

function fillCard(li, r) {
  li.dataset.id = String(r.id);
  li.dataset.status = r.status;
  li.querySelector(".ticket").textContent = r.ticket;
  // The pictogram and day colour printed on the resident's slip (the display shows them too).
  const mark = li.querySelector(".mark");
  mark.textContent = r.glyph || "";
  mark.style.background = r.colour || "";
  mark.dataset.pictogram = r.pictogram || "";
  mark.title = (r.pictogram_name && (r.pictogram_name[Shell.lang] || r.pictogram_name.en)) || "";
  const dayMarker = li.querySelector(".day-marker");
  dayMarker.hidden = !r.other_day;
  dayMarker.textContent = r.other_day ? t("other_day", { w: (r.weekday && r.weekday[Shell.lang]) || r.day }) : "";
  dayMarker.style.borderColor = r.colour || "";
  // The number on the resident's slip, when the hub had to give another one.
  li.querySelector(".ticket-extra").textContent = r.printed_ticket ? t("slip", { t: r.printed_ticket }) : "";
  li.querySelector(".status").textContent = t(`status_${r.status}`);
  // Waiting ends when someone starts helping (or the request is closed).
  const stillWaiting = r.status === "waiting" || r.status === "called";
  const waitedEnd = stillWaiting ? null : (r.serving_at || r.called_at || r.finished_at);
  const m = waitedEnd
    ? Math.max(0, Math.floor((Date.parse(waitedEnd) - Date.parse(r.waiting_since)) / 60000))
    : minutesSince(r.waiting_since);
  // How long they have waited by the state; how long they waited, with the card's details.
  const waited = li.querySelector(".waited");
  waited.textContent = !stillWaiting ? "" : m < 1 ? t("minutes_lt1") : t("waited", { m });
  waited.classList.toggle("long", stillWaiting && m >= 15);
  li.querySelector(".waited-done").textContent = stillWaiting ? "" : t("waited_done", { m: m < 1 ? "<1" : m });
  li.querySelector(".topic").textContent = topicOf(r);
  li.querySelector(".terminal").textContent = t("terminal", { t: r.terminal });
  li.querySelector(".lang").textContent = r.lang ? t("speaks", { l: LANGUAGE_NAMES[r.lang] || r.lang }) : "";
  li.querySelector(".calls").textContent = r.call_count > 1 ? t("calls", { n: r.call_count }) : "";
  li.querySelector(".by").textContent = r.updated_by ? t("by", { v: nameOf(r.updated_by) }) : "";

  const person = li.querySelector(".person");
  // On a phone an open card always has this row, for ✎ if nothing else: the head
  // has no room for ✎ and 🕘 beside the wait.
  person.hidden = !(r.first_name || r.phone || (PHONE.matches && OPEN.has(r.status)));
  li.querySelector(".name").textContent = r.first_name;
  li.querySelector(".name").title = r.first_name; // whole, where a phone shortens it
  const phone = li.querySelector(".phone");
  phone.textContent = readablePhone(r.phone);
  if (/^\+?\d+$/.test(r.phone)) phone.href = "tel:" + r.phone; else phone.removeAttribute("href");

  // Open requests show the note in its editor; finished ones as plain text.
  // (On a phone the editor folds away behind the card's ✎ and the note shows as text.)
  const noteView = li.querySelector(".note-view");
  noteView.textContent = r.note;
  noteView.hidden = !r.note;
  noteView.classList.toggle("in-editor", OPEN.has(r.status));
  const toggle = li.querySelector(".note-toggle");
  toggle.hidden = !OPEN.has(r.status);
  // Beside the phone number when there is one (a row a thumb's height already), else in the head.
  const home = person.hidden ? li.querySelector(".card-head") : person;
  if (toggle.parentElement !== home) home.appendChild(toggle);
  toggle.setAttribute("aria-label", t("note") + " " + r.ticket);
  toggle.title = t("note");

  const actions = li.querySelector(".actions");
  const names = (ACTIONS[r.status] || []).filter((a) => a !== "reopen" || reopenable(r));
  const key = names.join(",") + "|" + Shell.lang;
  if (actions.dataset.key !== key) {
    actions.replaceChildren();
    names.forEach((name, i) => {
      const b = document.createElement("button");
      b.type = "button";
      b.className = i === 0 ? "primary" : (name === "cancel" || name === "no-show" ? "quiet" : "");
      b.dataset.action = name;
      b.textContent = t(`action_${name}`);
      actions.appendChild(b);
    });
    actions.dataset.key = key;
  }

  const form = li.querySelector(".note-form");
  form.hidden = !OPEN.has(r.status);
  const input = li.querySelector(".note-input");
  input.placeholder = t("note");
  input.setAttribute("aria-label", t("note") + " " + r.ticket);
  // Do not overwrite what a volunteer is typing when the queue updates, nor what
  // they typed and did not get saved before a reload (the hub was down).
  if (document.activeElement !== input && !input.dataset.dirty) {
    const draft = noteDraft(r.id);
    if (draft !== null && draft !== r.note && OPEN.has(r.status)) {
      input.value = draft;
      input.dataset.dirty = "1";
      li.classList.add("noting");
      li.querySelector(".note-toggle").setAttribute("aria-expanded", "true");
    } else {
      if (draft !== null) noteDraft(r.id, null);
      input.value = r.note;
    }
    input.rows = Math.min(6, Math.max(2, Math.ceil(input.value.length / 30)));
  }
  li.querySelector(".note-save").textContent = t("save");

  const historyToggle = li.querySelector(".history-toggle");
  historyToggle.setAttribute("aria-label", t("history") + " " + r.ticket);
  historyToggle.title = t("history");
  const shown = state.histories.get(String(r.id));
  historyToggle.setAttribute("aria-expanded", String(Boolean(shown)));
  li.querySelector(".history").hidden = !shown;
  if (shown) {
    // Something happened to the request while its history is open: load it again.
    if (shown.sig !== historySig(r)) loadHistory(li, r);
    else renderHistory(li, r, shown);
  }
}

// ---- a request's history ------------------------------------------------------------

// What changes a request's history: its state, calls, note, who touched it last.
function historySig(r) {
  return [r.status, r.call_count, r.note, r.updated_by, r.ticket].join("|");
}

// "14:05" in the hub's time zone (hub.time_zone), with the date when not today there.
function historyTime(iso, zone) {
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return iso;
  const locale = { az: "az-Latn-AZ", ru: "ru-RU", en: "en-GB" }[Shell.lang] || "en-GB";
  const day = (d) => new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(d);
  const now = new Date(Date.now() + state.clockOffset);
  const opts = { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
  if (day(when) !== day(now)) Object.assign(opts, { day: "2-digit", month: "2-digit" });
  return new Intl.DateTimeFormat(locale, opts).format(when);
}

async function loadHistory(li, r) {
  const id = String(r.id);
  const sig = historySig(r);
  const shown = state.histories.get(id);
  if (shown) shown.sig = sig; // one load for each change, however many renders come
  try {
    const doc = await Shell.api("GET", `/api/v1/console/requests/${id}/history`);
    const now = state.histories.get(id);
    if (!now) return; // closed meanwhile
    Object.assign(now, { events: doc.events, zone: doc.time_zone, failed: false });
  } catch (e) {
    if (e.status === 401) { sessionEnded(); return; }
    const now = state.histories.get(id);
    if (!now) return;
    now.failed = true;
  }
  const card = document.querySelector(`.card[data-id="${id}"]`);
  const latest = state.requests.find((q) => String(q.id) === id);
  if (card && latest) renderHistory(card, latest, state.histories.get(id));
}

function historyLine(list, at, zone, who, what) {
  const item = document.createElement("li");
  const time = document.createElement("time");
  time.dateTime = at;
  time.textContent = historyTime(at, zone);
  const text = document.createElement("span");
  text.className = "what";
  if (who) {
    const name = document.createElement("b");
    name.textContent = who;
    text.append(name, " ");
  }
  text.append(what);
  item.append(time, text);
  list.appendChild(item);
}

function renderHistory(li, r, shown) {
  li.querySelector(".history-title").textContent = t("history_title", { t: r.ticket });
  li.querySelector(".history-error").textContent = shown.failed ? t("history_failed") : "";
  const list = li.querySelector(".history-list");
  list.replaceChildren();
  if (!shown.events) return; // still loading
  const zone = shown.zone || "UTC";
  list.dataset.zone = zone;
  historyLine(list, r.received_at || r.waiting_since, zone, "", t("history_arrived", { t: r.terminal }));
  for (const e of shown.events) {
    const who = e.volunteer === "day closed" ? t("day_closed") : nameOf(e.volunteer);
    let what = t(`did_${e.action}`);
    // A reopen says where the request went back to.
    if (e.action === "reopen" || e.action === "requeue") what += " → " + t(`status_${e.to_status}`);
    historyLine(list, e.at, zone, who, what);
  }
  li.querySelector(".history-zone").textContent = t("history_zone", { z: zone });
}

// ---- alerts -------------------------------------------------------------------

// The banner's words, again after a language switch while it shows.
function alertText() {
  const fresh = state.fresh || [];
  const tickets = fresh.map((r) => r.ticket).join(", ");
  $("alert").textContent = t("new_request", { t: tickets }) + " — " + fresh.map(topicOf).join(", ");
}

function announce(fresh) {
  state.fresh = fresh;
  const alert = $("alert");
  alertText();
  alert.hidden = false;
  alert.classList.remove("flash");
  void alert.offsetWidth; // restart the animation
  alert.classList.add("flash");
  clearTimeout(announce.timer);
  announce.timer = setTimeout(() => { alert.hidden = true; }, 15000);
  for (const r of fresh) {
    const li = document.querySelector(`.card[data-id="${r.id}"]`);
    if (li) li.classList.add("fresh");
  }
  if (document.hidden) document.title = "(" + fresh.length + ") " + t("title_queue");
  if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
  beep();
}

function unlockAudio() {
  // Browsers only allow sound after a touch or click on the page.
  try {
    if (!state.audio) state.audio = new (window.AudioContext || window.webkitAudioContext)();
    if (state.audio.state === "suspended") state.audio.resume();
  } catch (e) { /* no audio: the visual alert still shows */ }
}

function beep() {
  if (!state.sound || !state.audio) return;
  const ctx = state.audio;
  const start = ctx.currentTime;
  [880, 1175].forEach((freq, i) => {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = "sine";
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, start + i * 0.25);
    gain.gain.exponentialRampToValueAtTime(0.4, start + i * 0.25 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + i * 0.25 + 0.22);
    osc.connect(gain).connect(ctx.destination);
    osc.start(start + i * 0.25);
    osc.stop(start + i * 0.25 + 0.24);
  });
}

// ---- actions --------------------------------------------------------------------

function showActionError(e) {
  const el = $("action-error");
  if (e.status === 401) { sessionEnded(); return; }
  if (e.status === 403) { checkSession(); }
  // The hub's own words in the page's language (kiosk/hub/web/errors.py), and in
  // the next one chosen while they show.
  Shell.say(el, e.status === 409 ? "conflict" : e.message ? e : "failed");
  clearTimeout(showActionError.timer);
  showActionError.timer = setTimeout(() => Shell.say(el, ""), 6000);
}

async function act(id, action, ticket) {
  await guardedCall(async () => {
    if (action === "cancel" && !confirm(t("confirm_cancel"))) return;
    if (action === "no-show" && !confirm(t("confirm_no_show", { t: ticket }))) return;
    await Shell.api("POST", `/api/v1/console/requests/${id}/${action}`);
  });
}

document.addEventListener("click", (ev) => {
  unlockAudio();
  // Every target in the queue: a card that changed moves the phone link (a
  // double tap's second tap would dial the resident), the "finished" fold and
  // other cards' buttons under the thumb. A note's Save too: on a phone the saved
  // note's editor folds away and the card's Cancel slides under the thumb.
  const b = ev.target.closest("#queue-view :is(button, a, summary)");
  if (b && guarded()) {
    // A second tap of a double tap (or a tap on buttons that just moved): ignored.
    ev.preventDefault();
    ev.stopImmediatePropagation();
    return;
  }
  if (b && b.dataset.action) {
    const li = b.closest(".card");
    act(li.dataset.id, b.dataset.action, li.querySelector(".ticket").textContent);
  }
}, true);

// A note typed and not saved yet, kept in this tab (sessionStorage) for this
// volunteer, so a reload while the hub is away does not lose it; gone once saved,
// and at logout. value null: forget it.
function noteDraft(id, value) {
  const key = `komek.note.${state.volunteer ? state.volunteer.name : ""}.${id}`;
  try {
    if (value === undefined) return sessionStorage.getItem(key);
    if (value === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, value);
  } catch (_) { /* private mode: the box keeps it while the page lives */ }
  return null;
}

document.addEventListener("input", (ev) => {
  if (!ev.target.classList.contains("note-input")) return;
  ev.target.dataset.dirty = "1";
  noteDraft(ev.target.closest(".card").dataset.id, ev.target.value);
});

// ✎ opens (or folds) a card's note editor on a phone; a double tap does not undo itself.
document.addEventListener("click", (ev) => {
  const toggle = ev.target.closest(".note-toggle");
  if (!toggle) return;
  const now = performance.now();
  if (now - Number(toggle.dataset.at || -1e9) < GUARD_MS) return;
  toggle.dataset.at = String(now);
  const li = toggle.closest(".card");
  const open = li.classList.toggle("noting");
  toggle.setAttribute("aria-expanded", String(open));
  if (open) li.querySelector(".note-input").focus();
});

// 🕘 opens (or folds) a card's history. The queue goes on updating meanwhile: the
// history is a fold inside the card, not a page over the queue.
document.addEventListener("click", (ev) => {
  const toggle = ev.target.closest(".history-toggle");
  if (!toggle) return;
  const li = toggle.closest(".card");
  const id = li.dataset.id;
  const r = state.requests.find((q) => String(q.id) === id);
  if (!r) return;
  if (state.histories.has(id)) state.histories.delete(id);
  else state.histories.set(id, { events: null, zone: "", sig: "", failed: false });
  // What was under the card moved: the queue takes no tap for a moment (a double
  // tap's second tap would fold it again, or press what slid under the thumb).
  holdTaps(GUARD_MS);
  fillCard(li, r);
}, false);

document.addEventListener("submit", async (ev) => {
  const form = ev.target;
  if (!form.classList.contains("note-form")) return;
  ev.preventDefault();
  const li = form.closest(".card");
  const input = form.querySelector(".note-input");
  // Under the guard: a double tap saves once and its second tap presses nothing.
  // Refused or unsent, the words stay in the box (and on the phone's screen).
  await guardedCall(async () => {
    await Shell.api("POST", `/api/v1/console/requests/${li.dataset.id}/note`, { note: input.value });
    noteDraft(li.dataset.id, null);
    delete input.dataset.dirty;
    input.blur();
    li.classList.remove("noting");
    li.querySelector(".note-toggle").setAttribute("aria-expanded", "false");
  });
});

// ---- my name on the display ------------------------------------------------------

function showMyName() {
  const v = state.volunteer;
  $("my-name-fold").hidden = !v || Shell.ended;
  const input = $("my-name");
  if (v && document.activeElement !== input && !input.dataset.dirty) input.value = v.display_name || "";
}

$("my-name").addEventListener("input", (ev) => { ev.target.dataset.dirty = "1"; });

$("my-name-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const input = $("my-name");
  const said = $("my-name-said");
  try {
    state.volunteer = await Shell.api("POST", "/api/v1/console/display-name", { display_name: input.value });
    delete input.dataset.dirty;
    const d = state.volunteer.display_name;
    Shell.say(said, d ? "my_name_saved" : "my_name_cleared", d ? { d } : undefined);
    said.classList.remove("error");
    showWho();
  } catch (e) {
    if (e.status === 401) { sessionEnded(); return; }
    // The hub's reason, in the page's language; what was typed stays in the box.
    Shell.say(said, e.message ? e : "failed");
    said.classList.add("error");
  }
});

$("call-next").addEventListener("click", () =>
  guardedCall(() => Shell.api("POST", "/api/v1/console/call-next")));

$("alert").addEventListener("click", () => { $("alert").hidden = true; });

$("sound").addEventListener("click", () => {
  state.sound = !state.sound;
  localStorage.setItem("komek.sound", state.sound ? "on" : "off");
  applyLanguage();
  if (state.sound) beep();
});

document.addEventListener("visibilitychange", () => {
  if (!document.hidden) document.title = t("title_queue");
});

// Wait times move on even when nothing else changes.
setInterval(render, 20000);

document.addEventListener("DOMContentLoaded", () => {
  placeTools();
  Shell.onLanguage(applyLanguage);
  checkSession();
});
