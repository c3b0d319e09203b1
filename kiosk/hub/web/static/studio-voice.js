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
    recorded_words: "Yazılan mətn: «{w}»",
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
    recorded_words: "Записан текст: «{w}»",
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
    recorded_words: "Recorded words: “{w}”",
  },
});

const voice = {
  lang: localStorage.getItem("komek.voice_lang") || "az",
  filter: "all",
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
    error.textContent = "";
  } catch (e) {
    error.textContent = e.message;
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
      actions.append(button("approve", "primary", () => review(rec.id, "approve", li)));
      actions.append(button("reject", "quiet", () => review(rec.id, "reject", li)));
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
    li.querySelector(".card-error").textContent = "";
    await loadTexts();
  } catch (e) {
    li.querySelector(".card-error").textContent = e.message;
  }
}

// ---- the recorder -------------------------------------------------------------

function openRecorder(text, li) {
  if (voice.recorder) closeRecorder();
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
  box.append(state, take, consentLabel, buttons);
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
  form.append("audio", r.blob, `take.${ext}`);
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
  if (li) li.querySelector(".card-note").textContent = Studio.t("sent");
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
  Studio.onLanguage(() => render());
  loadTexts();
});
