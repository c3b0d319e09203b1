// Kömək admin page: the activity log (who saved, published, approved and changed
// what, who closed, reopened or put back a help request), newest first. Everything goes into the page with textContent only.
"use strict";

Studio.addTexts({
  az: {
    act_title: "Fəaliyyət", act_lead: "Kim nəyi saxlayıb, dərc edib, təsdiqləyib və dəyişib, kim müraciəti bitirib, ləğv edib və ya yenidən açıb — yenidən köhnəyə.",
    act_when: "Nə vaxt", act_who: "Kim", act_what: "Nə edib", act_target: "Nəyi", act_detail: "Təfsilat",
    act_more: "Daha əvvəlkilər", act_none: "Hələ heç nə qeyd olunmayıb.",
    "content.save": "Məzmunu saxladı", "content.restore": "Köhnə variantı qaytardı",
    "content.publish": "Buraxılışı dərc etdi", "content.publish_refused": "Dərc alınmadı",
    "content.rollback": "Köhnə buraxılışa qaytardı", "content.promote": "Sınaq buraxılışını hamıya verdi", "voice.upload": "Səs yazısı göndərdi",
    "voice.approve": "Səsi təsdiqlədi", "voice.reject": "Səsi rədd etdi",
    "volunteer.add": "Könüllü əlavə etdi", "volunteer.update": "Könüllünün parolunu dəyişdi",
    "volunteer.disable": "Könüllünü söndürdü", "volunteer.enable": "Könüllünü yandırdı", "volunteer.remove": "Könüllünü sildi", "volunteer.display_name": "Ekrandakı adı dəyişdi", d_display_name: "ekranda",
    d_site: "məntəqə", d_role: "rolu", d_sessions_ended: "bitən sessiyalar", d_version: "versiya",
    d_files: "fayllar", d_new_files: "yeni fayllar", d_revision: "variant", d_lang: "dil", d_text: "mətn",
    d_reason: "səbəb", d_to_version: "qaytarılan versiya", d_voices: "səslər", d_summary: "dəyişikliklər", d_recording: "səs yazısı", d_by: "yazan",
    "request.done": "Müraciəti bitirdi", "request.no-show": "«Gəlmədi» qeyd etdi", "request.cancel": "Müraciəti ləğv etdi",
    "request.requeue": "Növbəyə qaytardı", "request.reopen": "Müraciəti yenidən açdı", "request.day_closed": "Gün bağlandı: açıq müraciətlər ləğv edildi",
    day_closed: "gün bağlandı", d_requests: "müraciət", d_from: "əvvəl", d_to: "sonra",
    act_kind: "Göstər", act_kind_all: "Hamısı", act_kind_queue: "Kömək növbəsi", act_kind_other: "Məzmun, səslər, könüllülər",
    s_waiting: "gözləyir", s_called: "çağırılıb", s_serving: "kömək olunur", s_done: "bitdi", s_no_show: "gəlmədi", s_cancelled: "ləğv edilib",
    k_services: "xidmətlər", k_texts: "mətnlər", k_recordings: "səs yazıları", k_sites: "məntəqələr", k_other: "digər fayllar", k_none: "dəyişiklik yoxdur", d_pilot: "sınaq",
  },
  ru: {
    act_title: "Действия", act_lead: "Кто что сохранил, опубликовал, одобрил и изменил, кто завершил, отменил или снова открыл заявку — сначала новые.",
    act_when: "Когда", act_who: "Кто", act_what: "Что сделал(а)", act_target: "С чем", act_detail: "Подробности",
    act_more: "Более ранние", act_none: "Пока ничего не записано.",
    "content.save": "Сохранил(а) контент", "content.restore": "Вернул(а) прежнюю версию",
    "content.publish": "Опубликовал(а) выпуск", "content.publish_refused": "Публикация не удалась",
    "content.rollback": "Вернул(а) прежний выпуск", "content.promote": "Выдал(а) пилотный выпуск всем", "voice.upload": "Отправил(а) запись голоса",
    "voice.approve": "Одобрил(а) голос", "voice.reject": "Отклонил(а) голос",
    "volunteer.add": "Добавил(а) волонтёра", "volunteer.update": "Сменил(а) пароль волонтёра",
    "volunteer.disable": "Отключил(а) волонтёра", "volunteer.enable": "Включил(а) волонтёра", "volunteer.remove": "Удалил(а) волонтёра", "volunteer.display_name": "Сменил(а) имя на экране", d_display_name: "на экране",
    d_site: "пункт", d_role: "роль", d_sessions_ended: "закрыто сессий", d_version: "версия",
    d_files: "файлов", d_new_files: "новых файлов", d_revision: "версия файла", d_lang: "язык", d_text: "текст",
    d_reason: "причина", d_to_version: "возвращена версия", d_voices: "голоса", d_summary: "изменения", d_recording: "запись", d_by: "записал(а)",
    "request.done": "Завершил(а) заявку", "request.no-show": "Отметил(а) «не пришёл»", "request.cancel": "Отменил(а) заявку",
    "request.requeue": "Вернул(а) в очередь", "request.reopen": "Открыл(а) заявку снова", "request.day_closed": "День закрыт: открытые заявки отменены",
    day_closed: "день закрыт", d_requests: "заявок", d_from: "было", d_to: "стало",
    act_kind: "Показать", act_kind_all: "Всё", act_kind_queue: "Очередь помощи", act_kind_other: "Контент, голоса, волонтёры",
    s_waiting: "ждёт", s_called: "вызван", s_serving: "обслуживается", s_done: "готово", s_no_show: "не пришёл", s_cancelled: "отменена",
    k_services: "услуги", k_texts: "тексты", k_recordings: "записи", k_sites: "пункты", k_other: "другие файлы", k_none: "без изменений", d_pilot: "пилот",
  },
  en: {
    act_title: "Activity", act_lead: "Who saved, published, approved and changed what, and who finished, cancelled or reopened a help request, newest first.",
    act_when: "When", act_who: "Who", act_what: "What", act_target: "On", act_detail: "Details",
    act_more: "Older entries", act_none: "Nothing recorded yet.",
    "content.save": "Saved content", "content.restore": "Restored an earlier version",
    "content.publish": "Published a release", "content.publish_refused": "Publishing refused",
    "content.rollback": "Rolled back to an earlier release", "content.promote": "Gave a pilot release to every site", "voice.upload": "Sent a recording",
    "voice.approve": "Approved a voice", "voice.reject": "Rejected a voice",
    "volunteer.add": "Added a volunteer", "volunteer.update": "Set a volunteer's new password",
    "volunteer.disable": "Disabled a volunteer", "volunteer.enable": "Enabled a volunteer", "volunteer.remove": "Removed a volunteer", "volunteer.display_name": "Set a display name", d_display_name: "on the display",
    d_site: "site", d_role: "role", d_sessions_ended: "sessions ended", d_version: "version",
    d_files: "files", d_new_files: "new files", d_revision: "file version", d_lang: "language", d_text: "text",
    d_reason: "reason", d_to_version: "back to version", d_voices: "voices", d_summary: "changes", d_recording: "recording", d_by: "recorded by",
    "request.done": "Finished a request", "request.no-show": "Marked a no-show", "request.cancel": "Cancelled a request",
    "request.requeue": "Put back in the queue", "request.reopen": "Reopened a request", "request.day_closed": "Day closed: open requests cancelled",
    day_closed: "day closed", d_requests: "requests", d_from: "from", d_to: "to",
    act_kind: "Show", act_kind_all: "Everything", act_kind_queue: "Help queue", act_kind_other: "Content, voices, volunteers",
    s_waiting: "waiting", s_called: "called", s_serving: "being served", s_done: "done", s_no_show: "no-show", s_cancelled: "cancelled",
    k_services: "services", k_texts: "texts", k_recordings: "recordings", k_sites: "sites", k_other: "other files", k_none: "no changes", d_pilot: "pilot",
  },
});

const act = { entries: [], more: false, zone: "", kind: "" };

// "services +1 ~2, texts ~3" (the release summary) with the kinds in the reader's language.
function actSummary(line) {
  return String(line)
    .replace(/\b(services|texts|recordings|sites|other)\b/g, (kind) => Studio.t("k_" + kind))
    .replace(/^no changes$/, Studio.t("k_none"));
}

function actDetail(detail) {
  const d = { ...(detail || {}) };
  // A help request's move: "kömək olunur → bitdi", the states in the reader's language.
  const move = d.from && d.to ? `${Studio.t("s_" + d.from)} → ${Studio.t("s_" + d.to)}` : "";
  if (move) { delete d.from; delete d.to; }
  const parts = Object.entries(d)
    .map(([k, v]) => `${Studio.t("d_" + k)}: ${k === "summary" ? actSummary(v) : v}`);
  return (move ? [move, ...parts] : parts).join(" · ");
}

// When, in the hub's time zone (hub.time_zone), whatever the admin's computer says.
function actWhen(iso) {
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return iso;
  const locale = { az: "az-Latn-AZ", ru: "ru-RU", en: "en-GB" }[Studio.lang] || "en-GB";
  const opts = { dateStyle: "short", timeStyle: "short", hourCycle: "h23" };
  try {
    return when.toLocaleString(locale, act.zone ? { ...opts, timeZone: act.zone } : opts);
  } catch (e) {
    return when.toLocaleString(locale, opts); // a zone this browser does not know
  }
}

function renderActivity() {
  const body = document.querySelector("#act-table tbody");
  body.replaceChildren();
  if (!act.entries.length) {
    const tr = document.createElement("tr");
    const td = document.createElement("td");
    td.colSpan = 5;
    td.textContent = Studio.t("act_none");
    tr.appendChild(td);
    body.appendChild(tr);
  }
  for (const a of act.entries) {
    const tr = document.createElement("tr");
    tr.dataset.action = a.action;
    const cells = [
      actWhen(a.at),
      a.who === "day closed" ? Studio.t("day_closed") : a.who,
      Studio.t(a.action),
      a.target,
      actDetail(a.detail),
    ];
    const labels = ["act_when", "act_who", "act_what", "act_target", "act_detail"];
    for (const [i, text] of cells.entries()) {
      const td = document.createElement("td");
      td.textContent = text;
      td.dataset.label = Studio.t(labels[i]);
      tr.appendChild(td);
    }
    body.appendChild(tr);
  }
  document.getElementById("act-more").hidden = !act.more;
}

async function loadActivity(older) {
  const error = document.getElementById("act-error");
  const last = act.entries[act.entries.length - 1];
  const params = new URLSearchParams();
  if (older && last) params.set("before", String(last.id));
  if (act.kind) params.set("kind", act.kind);
  const query = params.toString() ? "?" + params : "";
  const kind = act.kind;
  try {
    const doc = await Studio.api("GET", `/api/v1/admin/activity${query}`);
    if (kind !== act.kind) return; // the admin chose another kind meanwhile
    act.entries = older ? act.entries.concat(doc.entries) : doc.entries;
    act.more = doc.more;
    act.zone = doc.time_zone || "";
    Studio.say(error, "");
  } catch (e) {
    Studio.say(error, e);
  }
  renderActivity();
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("act-more").addEventListener("click", () => loadActivity(true));
  document.getElementById("act-kind").addEventListener("change", (ev) => {
    act.kind = ev.target.value;
    act.entries = [];
    loadActivity(false);
  });
  Studio.onLanguage(renderActivity);
  loadActivity(false);
});
