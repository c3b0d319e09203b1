// Kömək admin page: the activity log (who saved, published, approved and changed
// what), newest first. Everything goes into the page with textContent only.
"use strict";

Studio.addTexts({
  az: {
    act_title: "Fəaliyyət", act_lead: "Kim nəyi saxlayıb, dərc edib, təsdiqləyib və dəyişib — yenidən köhnəyə.",
    act_when: "Nə vaxt", act_who: "Kim", act_what: "Nə edib", act_target: "Nəyi", act_detail: "Təfsilat",
    act_more: "Daha əvvəlkilər", act_none: "Hələ heç nə qeyd olunmayıb.",
    "content.save": "Məzmunu saxladı", "content.restore": "Köhnə variantı qaytardı",
    "content.publish": "Buraxılışı dərc etdi", "content.publish_refused": "Dərc alınmadı",
    "content.rollback": "Köhnə buraxılışa qaytardı", "content.promote": "Sınaq buraxılışını hamıya verdi", "voice.upload": "Səs yazısı göndərdi",
    "voice.approve": "Səsi təsdiqlədi", "voice.reject": "Səsi rədd etdi",
    "volunteer.add": "Könüllü əlavə etdi", "volunteer.update": "Könüllünün parolunu dəyişdi",
    "volunteer.disable": "Könüllünü söndürdü", "volunteer.enable": "Könüllünü yandırdı", "volunteer.remove": "Könüllünü sildi",
    d_site: "məntəqə", d_role: "rolu", d_sessions_ended: "bitən sessiyalar", d_version: "versiya",
    d_files: "fayllar", d_new_files: "yeni fayllar", d_revision: "variant", d_lang: "dil", d_text: "mətn",
    d_reason: "səbəb", d_to_version: "qaytarılan versiya", d_voices: "səslər", d_summary: "dəyişikliklər", d_recording: "səs yazısı", d_by: "yazan",
    k_services: "xidmətlər", k_texts: "mətnlər", k_recordings: "səs yazıları", k_sites: "məntəqələr", k_other: "digər fayllar", k_none: "dəyişiklik yoxdur", d_pilot: "sınaq",
  },
  ru: {
    act_title: "Действия", act_lead: "Кто что сохранил, опубликовал, одобрил и изменил — сначала новые.",
    act_when: "Когда", act_who: "Кто", act_what: "Что сделал(а)", act_target: "С чем", act_detail: "Подробности",
    act_more: "Более ранние", act_none: "Пока ничего не записано.",
    "content.save": "Сохранил(а) контент", "content.restore": "Вернул(а) прежнюю версию",
    "content.publish": "Опубликовал(а) выпуск", "content.publish_refused": "Публикация не удалась",
    "content.rollback": "Вернул(а) прежний выпуск", "content.promote": "Выдал(а) пилотный выпуск всем", "voice.upload": "Отправил(а) запись голоса",
    "voice.approve": "Одобрил(а) голос", "voice.reject": "Отклонил(а) голос",
    "volunteer.add": "Добавил(а) волонтёра", "volunteer.update": "Сменил(а) пароль волонтёра",
    "volunteer.disable": "Отключил(а) волонтёра", "volunteer.enable": "Включил(а) волонтёра", "volunteer.remove": "Удалил(а) волонтёра",
    d_site: "пункт", d_role: "роль", d_sessions_ended: "закрыто сессий", d_version: "версия",
    d_files: "файлов", d_new_files: "новых файлов", d_revision: "версия файла", d_lang: "язык", d_text: "текст",
    d_reason: "причина", d_to_version: "возвращена версия", d_voices: "голоса", d_summary: "изменения", d_recording: "запись", d_by: "записал(а)",
    k_services: "услуги", k_texts: "тексты", k_recordings: "записи", k_sites: "пункты", k_other: "другие файлы", k_none: "без изменений", d_pilot: "пилот",
  },
  en: {
    act_title: "Activity", act_lead: "Who saved, published, approved and changed what, newest first.",
    act_when: "When", act_who: "Who", act_what: "What", act_target: "On", act_detail: "Details",
    act_more: "Older entries", act_none: "Nothing recorded yet.",
    "content.save": "Saved content", "content.restore": "Restored an earlier version",
    "content.publish": "Published a release", "content.publish_refused": "Publishing refused",
    "content.rollback": "Rolled back to an earlier release", "content.promote": "Gave a pilot release to every site", "voice.upload": "Sent a recording",
    "voice.approve": "Approved a voice", "voice.reject": "Rejected a voice",
    "volunteer.add": "Added a volunteer", "volunteer.update": "Set a volunteer's new password",
    "volunteer.disable": "Disabled a volunteer", "volunteer.enable": "Enabled a volunteer", "volunteer.remove": "Removed a volunteer",
    d_site: "site", d_role: "role", d_sessions_ended: "sessions ended", d_version: "version",
    d_files: "files", d_new_files: "new files", d_revision: "file version", d_lang: "language", d_text: "text",
    d_reason: "reason", d_to_version: "back to version", d_voices: "voices", d_summary: "changes", d_recording: "recording", d_by: "recorded by",
    k_services: "services", k_texts: "texts", k_recordings: "recordings", k_sites: "sites", k_other: "other files", k_none: "no changes", d_pilot: "pilot",
  },
});

const act = { entries: [], more: false };

// "services +1 ~2, texts ~3" (the release summary) with the kinds in the reader's language.
function actSummary(line) {
  return String(line)
    .replace(/\b(services|texts|recordings|sites|other)\b/g, (kind) => Studio.t("k_" + kind))
    .replace(/^no changes$/, Studio.t("k_none"));
}

function actDetail(detail) {
  return Object.entries(detail || {})
    .map(([k, v]) => `${Studio.t("d_" + k)}: ${k === "summary" ? actSummary(v) : v}`)
    .join(" · ");
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
    const when = new Date(a.at);
    const cells = [
      Number.isNaN(when.getTime()) ? a.at : when.toLocaleString(Studio.lang),
      a.who,
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
  const query = older && last ? `?before=${last.id}` : "";
  try {
    const doc = await Studio.api("GET", `/api/v1/admin/activity${query}`);
    act.entries = older ? act.entries.concat(doc.entries) : doc.entries;
    act.more = doc.more;
    error.textContent = "";
  } catch (e) {
    error.textContent = e.message;
  }
  renderActivity();
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("act-more").addEventListener("click", () => loadActivity(true));
  Studio.onLanguage(renderActivity);
  loadActivity(false);
});
