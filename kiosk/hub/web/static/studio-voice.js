// Kömək voice studio: the texts residents hear, most heard first; record one with
// the phone's microphone (MediaRecorder), listen, record again, send; admins
// approve. Texts and names go into the page with textContent only.
"use strict";

Studio.addTexts({
  az: {
    voice_title: "Səs studiyası", voice_lang: "Dil", voice_show: "Göstər",
    voice_lead: "Sakinlərin eşitdiyi mətnlər, ən çox eşidiləndən başlayaraq. Mətni olduğu kimi, aydın və sakit oxuyun.",
    filter_all: "Hamısı", filter_todo: "Səsi olmayanlar", filter_recorded: "Təsdiq gözləyənlər",
    coverage: "İnsan səsi: {n} / {m} mətn ({p}% sakinlərin eşitdiyinin)",
    state_synthetic: "Sintetik səs", state_recorded: "Yazılıb, təsdiq gözləyir", state_approved: "Təsdiqlənib", state_stale: "Mətn dəyişib, yenidən yazın",
    by: "{v} yazıb, {d}", record: "Yaz", stop: "Dayandır", again: "Yenidən yaz", send: "Göndər", cancel: "Bağla",
    approve: "Təsdiqlə", reject: "Rədd et", recording: "Yazılır… {s} san", ready: "Dinləyin, sonra göndərin.",
    sending: "Göndərilir…", sent: "Göndərildi. Admin təsdiq edəndən sonra terminallarda səslənəcək.",
    approved_msg: "Təsdiqləndi.", rejected_msg: "Rədd edildi.",
    no_mic: "Mikrofon açılmadı. Brauzerə mikrofondan istifadəyə icazə verin.", no_recorder: "Bu brauzer səs yaza bilmir.",
    need_consent: "Göndərmək üçün razılığı qeyd edin.", empty: "Bu seçimə uyğun mətn yoxdur.",
    voice_warn: "Sintetik səs bunu səhv oxuyar: {w}. İnsan səsi ilə yazın.",
    recorded_words: "Yazılan mətn: «{w}»",
    voice_search: "Mətnlərdə axtar", voice_next: "Səsi olmayan növbəti mətn", found: "Tapıldı: {n} / {m}",
    all_voiced: "Bütün mətnlərin insan səsi var.", pick_file: "Və ya faylı seçin",
    file_ready: "Fayl seçildi: {f}. Dinləyin, sonra göndərin.",
  },
  ru: {
    voice_title: "Студия голоса", voice_lang: "Язык", voice_show: "Показать",
    voice_lead: "Тексты, которые слышат жители, начиная с самых частых. Читайте текст точно, ясно и спокойно.",
    filter_all: "Все", filter_todo: "Без голоса", filter_recorded: "Ждут одобрения",
    coverage: "Живой голос: {n} из {m} текстов ({p}% того, что слышат жители)",
    state_synthetic: "Синтетический голос", state_recorded: "Записан, ждёт одобрения", state_approved: "Одобрен", state_stale: "Текст изменился, перезапишите",
    by: "записал(а) {v}, {d}", record: "Записать", stop: "Стоп", again: "Записать заново", send: "Отправить", cancel: "Закрыть",
    approve: "Одобрить", reject: "Отклонить", recording: "Идёт запись… {s} с", ready: "Прослушайте и отправьте.",
    sending: "Отправка…", sent: "Отправлено. Зазвучит на терминалах после одобрения администратором.",
    approved_msg: "Одобрено.", rejected_msg: "Отклонено.",
    no_mic: "Микрофон не открылся. Разрешите браузеру доступ к микрофону.", no_recorder: "Этот браузер не умеет записывать звук.",
    need_consent: "Чтобы отправить, отметьте согласие.", empty: "Нет текстов для этого выбора.",
    voice_warn: "Синтетический голос прочтёт это неправильно: {w}. Запишите живой голос.",
    recorded_words: "Записан текст: «{w}»",
    voice_search: "Поиск по текстам", voice_next: "Следующий текст без голоса", found: "Найдено: {n} из {m}",
    all_voiced: "У всех текстов есть живой голос.", pick_file: "Или выберите файл",
    file_ready: "Выбран файл: {f}. Прослушайте и отправьте.",
  },
  en: {
    voice_title: "Voice studio", voice_lang: "Language", voice_show: "Show",
    voice_lead: "The texts residents hear, most heard first. Read the text exactly as written, clearly and calmly.",
    filter_all: "All", filter_todo: "No human voice yet", filter_recorded: "Waiting for approval",
    coverage: "Human voice: {n} of {m} texts ({p}% of what residents hear)",
    state_synthetic: "Synthetic voice", state_recorded: "Recorded, waiting for approval", state_approved: "Approved", state_stale: "Text changed: record again",
    by: "recorded by {v}, {d}", record: "Record", stop: "Stop", again: "Record again", send: "Send", cancel: "Close",
    approve: "Approve", reject: "Reject", recording: "Recording… {s} s", ready: "Listen, then send.",
    sending: "Sending…", sent: "Sent. Terminals play it once an admin approves it.",
    approved_msg: "Approved.", rejected_msg: "Rejected.",
    no_mic: "The microphone did not open. Allow this page to use the microphone.", no_recorder: "This browser cannot record sound.",
    need_consent: "Tick the consent to send.", empty: "No texts for this choice.",
    voice_warn: "The synthetic voice would misread this: {w}. Record it in a human voice.",
    recorded_words: "Recorded words: “{w}”",
    voice_search: "Search the texts", voice_next: "Next text without a voice", found: "Found: {n} of {m}",
    all_voiced: "Every text has a human voice.", pick_file: "Or choose a file",
    file_ready: "File chosen: {f}. Listen, then send.",
  },
});

const voice = {
  lang: localStorage.getItem("komek.voice_lang") || "az",
  filter: "all",
  search: "",
  doc: null,
  recorder: null, // the one open recorder: {key, card, media, chunks, blob, stream, timer}
};

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function button(label, cls, onClick) {
  const b = el("button", cls, Studio.t(label));
  b.type = "button";
  b.dataset.action = label;
  b.addEventListener("click", onClick);
  return b;
}

async function loadTexts() {
  const error = document.getElementById("voice-error");
  try {
    voice.doc = await Studio.api("GET", `/api/v1/studio/voice/texts?lang=${encodeURIComponent(voice.lang)}`);
    Studio.say(error, "");
  } catch (e) {
    Studio.say(error, e);
    return;
  }
  render();
}

function renderLanguages() {
  const select = document.getElementById("voice-lang");
  if (!voice.doc || select.options.length) return;
  for (const l of voice.doc.languages) {
    const o = el("option", "", l.name);
    o.value = l.code;
    select.append(o);
  }
  select.value = voice.lang;
}

function render() {
  if (!voice.doc) return;
  renderLanguages();
  const c = voice.doc.coverage;
  const cov = document.getElementById("voice-coverage");
  cov.textContent = Studio.t("coverage", { n: c.approved, m: c.total, p: Math.round(c.share * 100) });
  const meter = el("div", "meter");
  const fill = el("span");
  fill.style.width = `${Math.round(c.share * 100)}%`;
  meter.append(fill);
  cov.append(meter);

  const list = document.getElementById("voice-texts");
  if (voice.recorder) closeRecorder();
  list.replaceChildren();
  const shown = voice.doc.texts.filter((t) =>
    voice.filter === "todo" ? t.state === "synthetic" || t.state === "stale"
      : voice.filter === "recorded" ? t.state === "recorded" : true);
  for (const text of shown) list.append(card(text));
  applySearch();
  if (!shown.length) list.append(el("li", "empty", Studio.t("empty")));
}

function card(text) {
  const li = el("li", "text-card");
  li.dataset.key = text.key;
  li.dataset.state = text.state;
  const head = el("div", "text-head");
  head.append(el("span", "text-state", Studio.t(`state_${text.state}`)));
  head.append(el("span", "text-where", text.where[Studio.lang] || text.where.en));
  li.append(head);
  const words = el("p", "text-words", text.words);
  words.lang = voice.lang;
  li.append(words);
  li.append(el("div", "text-key", text.key));
  // A warning only (the text still plays in the synthetic voice): a reason to record it.
  const warned = (text.warnings || []).map((w) => w.texts[Studio.lang] || w.texts.en);
  if (warned.length && text.state !== "approved") {
    li.append(el("p", "text-warn", Studio.t("voice_warn", { w: warned.join("; ") })));
  }
  const rec = text.recording;
  const actions = el("div", "text-actions");
  if (rec) {
    const when = new Date(rec.created_at).toLocaleString(Studio.lang);
    li.append(el("div", "text-by", Studio.t("by", { v: rec.by, d: when })));
    if (text.state === "stale") {
      const old = el("p", "text-old", Studio.t("recorded_words", { w: rec.words }));
      old.lang = voice.lang;
      li.append(old);
    }
    const player = el("audio");
    player.controls = true;
    player.preload = "none";
    player.src = rec.audio;
    actions.append(player);
    if (Studio.admin && rec.status === "recorded" && text.state === "recorded") {
      actions.append(button("approve", "primary", () => Studio.act(() => review(rec.id, "approve", li))));
      actions.append(button("reject", "quiet", () => Studio.act(() => review(rec.id, "reject", li))));
    }
  }
  actions.append(button("record", "record", () => openRecorder(text, li)));
  li.append(actions);
  li.append(el("p", "card-note", ""));
  li.append(el("p", "error card-error"));
  return li;
}

async function review(id, verdict, li) {
  try {
    await Studio.api("POST", `/api/v1/studio/voice/recordings/${id}/${verdict}`);
    Studio.say(li.querySelector(".card-error"), "");
    await loadTexts();
  } catch (e) {
    Studio.say(li.querySelector(".card-error"), e);
  }
}

// ---- search, and the next text without a voice ------------------------------------

function fold(text) {
  return String(text || "").toLocaleLowerCase(voice.lang);
}

// Cards stay built; a search only hides those that do not match (words, where, key).
function applySearch() {
  if (!voice.doc) return;
  const wanted = fold(voice.search).trim();
  const byKey = new Map(voice.doc.texts.map((t) => [t.key, t]));
  let shown = 0;
  let total = 0;
  for (const li of document.querySelectorAll("#voice-texts > .text-card")) {
    const text = byKey.get(li.dataset.key);
    total += 1;
    const where = text ? Object.values(text.where || {}).join(" ") : "";
    const hit = !wanted || fold(`${text ? text.words : ""} ${where} ${li.dataset.key}`).includes(wanted);
    li.hidden = !hit;
    if (hit) shown += 1;
  }
  const found = document.getElementById("voice-found");
  found.textContent = wanted ? Studio.t("found", { n: shown, m: total }) : "";
}

const NEEDS_VOICE = new Set(["synthetic", "stale"]);

// The most heard text after the one last opened that has no human voice yet:
// shown (search and filter cleared when they hide it), scrolled to, recorder open.
function nextWithoutVoice() {
  if (!voice.doc) return;
  const texts = voice.doc.texts;
  const from = texts.findIndex((t) => t.key === voice.lastKey);
  const order = [...texts.slice(from + 1), ...texts.slice(0, from + 1)];
  const next = order.find((t) => NEEDS_VOICE.has(t.state));
  const found = document.getElementById("voice-found");
  if (!next) {
    found.textContent = Studio.t("all_voiced");
    return;
  }
  let li = document.querySelector(`.text-card[data-key="${CSS.escape(next.key)}"]`);
  if (!li || li.hidden) {
    voice.search = "";
    document.getElementById("voice-search").value = "";
    if (!li) {
      voice.filter = "all";
      document.getElementById("voice-filter").value = "all";
      render();
    } else applySearch();
    li = document.querySelector(`.text-card[data-key="${CSS.escape(next.key)}"]`);
  }
  openRecorder(next, li);
  li.scrollIntoView({ block: "start" });
}

// ---- the recorder -------------------------------------------------------------

function openRecorder(text, li) {
  if (voice.recorder) closeRecorder();
  voice.lastKey = text.key;
  const box = el("div", "recorder");
  const state = el("p", "rec-state");
  state.setAttribute("aria-live", "polite");
  const take = el("audio");
  take.controls = true;
  take.hidden = true;
  const consentLabel = el("label", "consent");
  const consent = el("input");
  consent.type = "checkbox";
  consent.className = "rec-consent";
  consentLabel.append(consent, el("span", "", voice.doc.consent[Studio.lang] || voice.doc.consent.en));
  const buttons = el("div", "rec-buttons");
  const r = { key: text.key, words: text.words, li, box, state, take, consent, chunks: [], blob: null };
  voice.recorder = r;
  r.start = button("record", "record", () => startRecording(r));
  r.stop = button("stop", "primary", () => stopRecording(r));
  r.send = button("send", "primary", () => send(r));
  r.close = button("cancel", "quiet", closeRecorder);
  r.stop.hidden = true;
  r.send.hidden = true;
  buttons.append(r.start, r.stop, r.send, r.close);
  // A good recording made elsewhere (a phone's recorder app): the hub decodes and
  // checks it exactly like one recorded here.
  const pick = el("label", "file-pick");
  const file = el("input");
  file.type = "file";
  file.accept = "audio/*,.wav,.webm,.ogg,.oga,.opus,.m4a,.mp4,.mp3";
  file.className = "rec-file";
  pick.append(el("span", "", Studio.t("pick_file")), file);
  file.addEventListener("change", () => pickFile(r, file));
  box.append(state, take, consentLabel, buttons, pick);
  li.append(box);
  li.querySelector(".text-actions button.record").hidden = true;
  r.start.focus();
}

function closeRecorder() {
  const r = voice.recorder;
  if (!r) return;
  voice.recorder = null;
  clearInterval(r.timer);
  if (r.media && r.media.state !== "inactive") r.media.stop();
  if (r.stream) for (const track of r.stream.getTracks()) track.stop();
  if (r.take.src) URL.revokeObjectURL(r.take.src);
  r.box.remove();
  const again = r.li.querySelector(".text-actions button.record");
  if (again) again.hidden = false;
}

async function startRecording(r) {
  r.state.classList.remove("live");
  if (!window.MediaRecorder || !navigator.mediaDevices) {
    r.state.textContent = Studio.t("no_recorder");
    return;
  }
  try {
    r.stream = r.stream || (await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: false, autoGainControl: false, noiseSuppression: true },
    }));
  } catch (_) {
    r.state.textContent = Studio.t("no_mic");
    return;
  }
  if (voice.recorder !== r) return; // closed while asking for the microphone
  r.chunks = [];
  r.blob = null;
  r.take.hidden = true;
  r.media = new MediaRecorder(r.stream);
  r.media.addEventListener("dataavailable", (ev) => {
    if (ev.data && ev.data.size) r.chunks.push(ev.data);
  });
  r.media.addEventListener("stop", () => {
    clearInterval(r.timer);
    r.state.classList.remove("live");
    r.blob = new Blob(r.chunks, { type: r.media.mimeType || "audio/webm" });
    r.fileName = null;
    if (r.take.src) URL.revokeObjectURL(r.take.src);
    r.take.src = URL.createObjectURL(r.blob);
    r.take.hidden = false;
    r.state.textContent = Studio.t("ready");
    r.start.textContent = Studio.t("again");
    r.start.hidden = false;
    r.stop.hidden = true;
    r.send.hidden = false;
  });
  const began = Date.now();
  r.media.start(250);
  r.state.classList.add("live");
  r.state.textContent = Studio.t("recording", { s: 0 });
  r.timer = setInterval(() => {
    r.state.textContent = Studio.t("recording", { s: Math.floor((Date.now() - began) / 1000) });
  }, 500);
  r.start.hidden = true;
  r.send.hidden = true;
  r.stop.hidden = false;
  r.stop.focus();
}

function pickFile(r, input) {
  const chosen = input.files && input.files[0];
  if (!chosen) return;
  if (r.media && r.media.state !== "inactive") r.media.stop();
  r.blob = chosen;
  r.fileName = chosen.name;
  if (r.take.src) URL.revokeObjectURL(r.take.src);
  r.take.src = URL.createObjectURL(chosen);
  r.take.hidden = false;
  r.state.classList.remove("live", "refused");
  r.state.textContent = Studio.t("file_ready", { f: chosen.name });
  r.start.textContent = Studio.t("again");
  r.start.hidden = false;
  r.stop.hidden = true;
  r.send.hidden = false;
  r.send.disabled = false;
}

function stopRecording(r) {
  if (r.media && r.media.state !== "inactive") r.media.stop();
}

async function send(r) {
  if (!r.blob) return;
  if (!r.consent.checked) {
    r.state.textContent = Studio.t("need_consent");
    r.consent.focus();
    return;
  }
  const form = new FormData();
  const ext = (r.blob.type.includes("mp4") ? "m4a" : r.blob.type.includes("ogg") ? "ogg" : "webm");
  form.append("audio", r.blob, r.fileName || `take.${ext}`);
  form.append("key", r.key);
  form.append("lang", voice.lang);
  form.append("words", r.words);
  form.append("consent", "yes");
  form.append("ui_lang", Studio.lang);
  r.send.disabled = true;
  r.state.textContent = Studio.t("sending");
  try {
    await Studio.api("POST", "/api/v1/studio/voice/recordings", form);
  } catch (e) {
    r.send.disabled = false;
    r.state.textContent = e.message;
    r.state.classList.add("refused");
    return;
  }
  closeRecorder();
  await loadTexts();
  const li = document.querySelector(`.text-card[data-key="${CSS.escape(r.key)}"]`);
  if (li) {
    li.querySelector(".card-note").textContent = Studio.t("sent");
    const more = button("voice_next", "primary", nextWithoutVoice);
    li.querySelector(".card-note").after(more);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("voice-lang").addEventListener("change", (ev) => {
    voice.lang = ev.target.value;
    localStorage.setItem("komek.voice_lang", voice.lang);
    loadTexts();
  });
  document.getElementById("voice-filter").addEventListener("change", (ev) => {
    voice.filter = ev.target.value;
    render();
  });
  let typing = null;
  document.getElementById("voice-search").addEventListener("input", (ev) => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      voice.search = ev.target.value;
      applySearch();
    }, 150);
  });
  document.getElementById("voice-next").addEventListener("click", nextWithoutVoice);
  Studio.onLanguage(() => render());
  loadTexts();
});
