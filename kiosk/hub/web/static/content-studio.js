// Kömək content studio (/studio/content/), inside the hub's page shell
// (shell.js): edit the content draft in forms, every text in az, ru and en side
// by side; each save is checked by the hub (the same validator as `kiosk content
// validate`) and every problem is shown beside its field; a picture of the
// screen is rendered by the hub. No inline script, no HTML from data: everything
// is built with textContent. Laptop: three columns; tablet and phone: one.
"use strict";

Shell.addTexts({
  az: {
    cs_publish: "Dərc et", cs_files: "Fayllar", cs_services: "Xidmətlər", cs_home_words: "Ana ekran və sözlər",
    cs_sites: "Məntəqələr və kömək yerləri", cs_choose_file: "Fayl seçin", cs_no_file_problems: "Bu faylda problem yoxdur.",
    cs_file_problems: "Bu fayldakı problemlər", cs_screen: "Ekran", cs_language: "Dil", cs_shape: "Ölçü", cs_site: "Məntəqə",
    cs_pick_step: "Ekranını görmək üçün addım seçin.", cs_all_problems: "Bütün problemlər", cs_history: "Bu faylın tarixçəsi",
    cs_published: "dərc edilib: versiya {v}", cs_nothing_published: "hələ heç nə dərc edilməyib",
    cs_unpublished: "dərc edilməmiş dəyişiklik: {n}", cs_problems: "problem: {n}", cs_no_problems: "problem yoxdur",
    cs_n_problems: "{n} problem", cs_fix_first: "Əvvəlcə bütün problemləri düzəldin", cs_publish_hint: "Qaralamanı imzala və dərc et",
    cs_ready: "Problem yoxdur. Dərc etməyə hazırdır.", cs_bad_toml: "Düzgün TOML deyil: {e}",
    cs_add_say: "Danışılan mətn əlavə et", cs_listen: "▶ Dinlə", cs_listen_recording: "▶ Dinlə (səs yazısı)",
    cs_listen_label: "Dinlə ({l})", cs_remove_say: "Danışılan mətni sil (göstərilən mətn səslənsin)",
    cs_leads_to: "hara aparır", cs_leads_go: "addıma keçir", cs_leads_flow: "başqa xidmətə keçir", cs_leads_action: "əməl edir",
    cs_show_screen: "Ekranı göstər", cs_move_up: "Yuxarı", cs_move_down: "Aşağı", cs_remove: "Sil",
    cs_not_saved_yet: "Hələ saxlanılmayıb…", cs_saving: "Saxlanılır…", cs_saved: "Saxlanıldı (versiya {v}) və yoxlanıldı",
    cs_conflict: "Saxlanılmadı: toqquşma", cs_reload_theirs: "Onların versiyasını yüklə", cs_not_saved: "Saxlanılmadı",
    cs_not_saved_because: "Saxlanılmadı: {m}", cs_problem: "Problem:",
    cs_before_studio: "studiyadan əvvəlki halı", cs_version: "Versiya {v}", cs_what_changed: "Nə dəyişib",
    cs_restore: "{v} versiyasını bərpa et", cs_no_changes: "Hələ dəyişiklik yoxdur.", cs_restored: "{v} versiyası bərpa edildi",
    cs_what_step: "{i} · addım {s}", cs_what_group: "qrup {i}", cs_what_home: "ana ekran",
    cs_drawing: "Ekran çəkilir…", cs_no_picture_problems: "Qaralamada problem olduqca şəkil yoxdur: əvvəlcə onları düzəldin.",
    cs_no_picture: "Şəkil yoxdur: {e}", cs_does_not_fit: "Mətn sığmır:", cs_fits: "Hər şey sığır.",
    cs_picture_alt: "Ekran sakinin görəcəyi kimi", cs_cannot_play: "Səsləndirmək olmur: {e}",
    cs_publishing: "Dərc edilir…", cs_published_now: "{v} versiyası dərc edildi ({n} yeni və ya dəyişmiş fayl). Terminallar növbəti yoxlamada götürəcək.",
    cs_not_published: "Dərc edilmədi: {m}", cs_action_save: "saxlandı", cs_action_restore: "bərpa edildi", cs_action_original: "ilkin",
    cs_add_steps: "Addım əlavə et", cs_add_choices: "Seçim əlavə et", cs_add_documents: "Sənəd əlavə et",
    cs_add_help_points: "Kömək yeri əlavə et", cs_add_groups: "Qrup əlavə et", cs_add_item: "Əlavə et",
    cs_item_steps: "Addım {n}: {t}", cs_item_choices: "Seçim {n}: {t}", cs_item_documents: "Sənəd {n}: {t}",
    cs_item_help_points: "Kömək yeri {n}: {t}", cs_item_groups: "Qrup {n}: {t}", cs_item: "{n}: {t}",
    cs_f_say: "danışılan", cs_f_text: "göstərilən", cs_f_title: "başlıq", cs_f_summary: "qısa məzmun", cs_f_label: "düymə",
    cs_f_id: "id", cs_f_kind: "növ", cs_f_icon: "şəkil", cs_f_go: "keçid", cs_f_flow: "xidmət", cs_f_action: "əməl",
    cs_f_version: "versiya", cs_f_name: "ad", cs_f_address: "ünvan", cs_f_hours: "iş saatları", cs_f_phone: "telefon",
    cs_f_steps: "addımlar", cs_f_choices: "seçimlər", cs_f_documents: "sənədlər", cs_f_help_points: "kömək yerləri",
    cs_f_groups: "qruplar", cs_f_services: "xidmətlər", cs_f_source: "mənbə", cs_f_source_date: "mənbə tarixi",
    cs_f_checked: "yoxlanılıb", cs_f_link: "keçid ünvanı", cs_f_link_label: "keçidin adı", cs_f_needs_esign: "e-imza lazımdır",
    cs_f_admin_note: "admin qeydi", cs_f_volunteer_phone: "könüllü telefonu", cs_f_places: "yerlər", cs_f_group: "qrup",
    cs_f_next: "növbəti", cs_f_code: "kod", cs_f_languages: "dillər", cs_f_voice: "səs", cs_f_asan: "ASAN", cs_f_social: "sosial",
    cs_kind_info: "məlumat", cs_kind_question: "sual", cs_kind_documents: "sənədlər", cs_kind_online: "onlayn",
    cs_kind_help_points: "kömək yerləri", cs_kind_finish: "son",
    cs_act_slip: "çek çap et", cs_act_help: "kömək çağır", cs_act_home: "ana ekrana",
    cs_f_sources: "mənbələr", cs_f_url: "səhifənin ünvanı (https)", cs_f_note: "qeyd", cs_f_unconfirmed: "təsdiqlənməyib",
    cs_f_ask: "kimə göndərilir", cs_ask_volunteer: "buradakı könüllüyə", cs_ask_142: "142-yə",
    cs_add_source: "Mənbə əlavə et", cs_source_key: "Yeni mənbənin açarı", cs_src_official: "rəsmi səhifə",
    cs_src_unofficial: "rəsmi səhifə deyil: rəsmi səhifə ilə yoxlayın", cs_key_bad: "Açar yalnız kiçik latın hərfləri, rəqəmlər və tire ola bilər (məsələn dsmf-udsy).",
    cs_key_taken: "Bu faylda {k} açarlı mənbə artıq var.", cs_no_sources_yet: "Bu faylda hələ mənbə yoxdur: «Mənbələr» bölməsində əlavə edin.",
    cs_cite_missing: "{k} (faylın mənbələrində yoxdur)", cs_stored: "Saxlanılan dəyər: {v}",
    cs_unconfirmed_hint: "Ekran, səs və çek sakinə «təsdiqlənməyib» deyir və onu soruşmağa göndərir.",
    cs_remove_source: "{k} mənbəsini sil",
  },
  ru: {
    cs_publish: "Опубликовать", cs_files: "Файлы", cs_services: "Услуги", cs_home_words: "Главный экран и слова",
    cs_sites: "Пункты и места помощи", cs_choose_file: "Выберите файл", cs_no_file_problems: "В этом файле нет проблем.",
    cs_file_problems: "Проблемы в этом файле", cs_screen: "Экран", cs_language: "Язык", cs_shape: "Размер", cs_site: "Пункт",
    cs_pick_step: "Выберите шаг, чтобы увидеть его экран.", cs_all_problems: "Все проблемы", cs_history: "История этого файла",
    cs_published: "опубликовано: версия {v}", cs_nothing_published: "ещё ничего не опубликовано",
    cs_unpublished: "неопубликованных изменений: {n}", cs_problems: "проблем: {n}", cs_no_problems: "проблем нет",
    cs_n_problems: "проблем: {n}", cs_fix_first: "Сначала исправьте все проблемы", cs_publish_hint: "Подписать и опубликовать черновик",
    cs_ready: "Проблем нет. Можно публиковать.", cs_bad_toml: "Неверный TOML: {e}",
    cs_add_say: "Добавить произносимый текст", cs_listen: "▶ Слушать", cs_listen_recording: "▶ Слушать (запись)",
    cs_listen_label: "Слушать ({l})", cs_remove_say: "Убрать произносимый текст (читать показанный)",
    cs_leads_to: "куда ведёт", cs_leads_go: "ведёт к шагу", cs_leads_flow: "ведёт к услуге", cs_leads_action: "выполняет действие",
    cs_show_screen: "Показать экран", cs_move_up: "Вверх", cs_move_down: "Вниз", cs_remove: "Удалить",
    cs_not_saved_yet: "Ещё не сохранено…", cs_saving: "Сохранение…", cs_saved: "Сохранено (версия {v}) и проверено",
    cs_conflict: "Не сохранено: конфликт", cs_reload_theirs: "Загрузить их версию", cs_not_saved: "Не сохранено",
    cs_not_saved_because: "Не сохранено: {m}", cs_problem: "Проблема:",
    cs_before_studio: "как было до студии", cs_version: "Версия {v}", cs_what_changed: "Что изменилось",
    cs_restore: "Восстановить версию {v}", cs_no_changes: "Изменений пока нет.", cs_restored: "Версия {v} восстановлена",
    cs_what_step: "{i} · шаг {s}", cs_what_group: "группа {i}", cs_what_home: "главный экран",
    cs_drawing: "Экран рисуется…", cs_no_picture_problems: "Пока в черновике есть проблемы, картинки нет: сначала исправьте их.",
    cs_no_picture: "Картинки нет: {e}", cs_does_not_fit: "Текст не помещается:", cs_fits: "Всё помещается.",
    cs_picture_alt: "Экран так, как его увидит житель", cs_cannot_play: "Не удаётся воспроизвести: {e}",
    cs_publishing: "Публикация…", cs_published_now: "Опубликована версия {v} ({n} новых или изменённых файлов). Терминалы получат её при следующей проверке.",
    cs_not_published: "Не опубликовано: {m}", cs_action_save: "сохранено", cs_action_restore: "восстановлено", cs_action_original: "исходное",
    cs_add_steps: "Добавить шаг", cs_add_choices: "Добавить выбор", cs_add_documents: "Добавить документ",
    cs_add_help_points: "Добавить место помощи", cs_add_groups: "Добавить группу", cs_add_item: "Добавить",
    cs_item_steps: "Шаг {n}: {t}", cs_item_choices: "Выбор {n}: {t}", cs_item_documents: "Документ {n}: {t}",
    cs_item_help_points: "Место помощи {n}: {t}", cs_item_groups: "Группа {n}: {t}", cs_item: "{n}: {t}",
    cs_f_say: "произносится", cs_f_text: "показывается", cs_f_title: "заголовок", cs_f_summary: "кратко", cs_f_label: "кнопка",
    cs_f_id: "id", cs_f_kind: "вид", cs_f_icon: "картинка", cs_f_go: "переход", cs_f_flow: "услуга", cs_f_action: "действие",
    cs_f_version: "версия", cs_f_name: "название", cs_f_address: "адрес", cs_f_hours: "часы работы", cs_f_phone: "телефон",
    cs_f_steps: "шаги", cs_f_choices: "выборы", cs_f_documents: "документы", cs_f_help_points: "места помощи",
    cs_f_groups: "группы", cs_f_services: "услуги", cs_f_source: "источник", cs_f_source_date: "дата источника",
    cs_f_checked: "проверено", cs_f_link: "адрес ссылки", cs_f_link_label: "название ссылки", cs_f_needs_esign: "нужна э-подпись",
    cs_f_admin_note: "заметка админа", cs_f_volunteer_phone: "телефон волонтёра", cs_f_places: "места", cs_f_group: "группа",
    cs_f_next: "далее", cs_f_code: "код", cs_f_languages: "языки", cs_f_voice: "голос", cs_f_asan: "ASAN", cs_f_social: "соц.",
    cs_kind_info: "сведения", cs_kind_question: "вопрос", cs_kind_documents: "документы", cs_kind_online: "онлайн",
    cs_kind_help_points: "места помощи", cs_kind_finish: "конец",
    cs_act_slip: "печать листка", cs_act_help: "позвать помощь", cs_act_home: "на главный",
    cs_f_sources: "источники", cs_f_url: "адрес страницы (https)", cs_f_note: "заметка", cs_f_unconfirmed: "не подтверждено",
    cs_f_ask: "к кому направить", cs_ask_volunteer: "к волонтёру здесь", cs_ask_142: "на 142",
    cs_add_source: "Добавить источник", cs_source_key: "Ключ нового источника", cs_src_official: "официальная страница",
    cs_src_unofficial: "не официальная страница: сверьте с официальной", cs_key_bad: "Ключ — только строчные латинские буквы, цифры и дефис (например dsmf-udsy).",
    cs_key_taken: "Источник с ключом {k} в этом файле уже есть.", cs_no_sources_yet: "В этом файле ещё нет источников: добавьте их в разделе «Источники».",
    cs_cite_missing: "{k} (нет среди источников файла)", cs_stored: "Сохранённое значение: {v}",
    cs_unconfirmed_hint: "Экран, голос и листок говорят жителю «не подтверждено» и направляют его спросить.",
    cs_remove_source: "Удалить источник {k}",
  },
  en: {
    cs_publish: "Publish", cs_files: "Files", cs_services: "Services", cs_home_words: "Home screen and words",
    cs_sites: "Sites and help points", cs_choose_file: "Choose a file", cs_no_file_problems: "No problems in this file.",
    cs_file_problems: "Problems in this file", cs_screen: "Screen", cs_language: "Language", cs_shape: "Shape", cs_site: "Site",
    cs_pick_step: "Choose a step to see its screen.", cs_all_problems: "All problems", cs_history: "History of this file",
    cs_published: "published: version {v}", cs_nothing_published: "nothing published yet",
    cs_unpublished: "{n} changes not published", cs_unpublished_one: "1 change not published", cs_problems: "problems: {n}", cs_no_problems: "no problems",
    cs_n_problems: "{n} problems", cs_n_problems_one: "1 problem", cs_fix_first: "Fix every problem first", cs_publish_hint: "Sign and publish the draft",
    cs_ready: "No problems. Ready to publish.", cs_bad_toml: "Not valid TOML: {e}",
    cs_add_say: "Add a spoken text", cs_listen: "▶ Listen", cs_listen_recording: "▶ Listen (recording)",
    cs_listen_label: "Listen ({l})", cs_remove_say: "Remove spoken text (say the shown text)",
    cs_leads_to: "leads to", cs_leads_go: "leads to a step", cs_leads_flow: "leads to a service", cs_leads_action: "does an action",
    cs_show_screen: "Show screen", cs_move_up: "Move up", cs_move_down: "Move down", cs_remove: "Remove",
    cs_not_saved_yet: "Not saved yet…", cs_saving: "Saving…", cs_saved: "Saved (version {v}) and checked",
    cs_conflict: "Not saved: conflict", cs_reload_theirs: "Reload their version", cs_not_saved: "Not saved",
    cs_not_saved_because: "Not saved: {m}", cs_problem: "Problem:",
    cs_before_studio: "as it was before the studio", cs_version: "Version {v}", cs_what_changed: "What changed",
    cs_restore: "Restore version {v}", cs_no_changes: "No changes yet.", cs_restored: "Restored version {v}",
    cs_what_step: "{i} · step {s}", cs_what_group: "group {i}", cs_what_home: "home screen",
    cs_drawing: "Drawing the screen…", cs_no_picture_problems: "No picture while the draft has problems: fix them first.",
    cs_no_picture: "No picture: {e}", cs_does_not_fit: "Text does not fit:", cs_fits: "Everything fits.",
    cs_picture_alt: "The screen as a resident will see it", cs_cannot_play: "Cannot play: {e}",
    cs_publishing: "Publishing…", cs_published_now: "Published version {v} ({n} new or changed files). Terminals pick it up at their next check.",
    cs_not_published: "Not published: {m}", cs_action_save: "saved", cs_action_restore: "restored", cs_action_original: "original",
    cs_add_steps: "Add step", cs_add_choices: "Add choice", cs_add_documents: "Add document",
    cs_add_help_points: "Add help point", cs_add_groups: "Add group", cs_add_item: "Add",
    cs_item_steps: "Step {n}: {t}", cs_item_choices: "Choice {n}: {t}", cs_item_documents: "Document {n}: {t}",
    cs_item_help_points: "Help point {n}: {t}", cs_item_groups: "Group {n}: {t}", cs_item: "{n}: {t}",
    cs_f_say: "spoken", cs_f_text: "shown", cs_f_title: "title", cs_f_summary: "summary", cs_f_label: "label",
    cs_f_id: "id", cs_f_kind: "kind", cs_f_icon: "icon", cs_f_go: "go", cs_f_flow: "flow", cs_f_action: "action",
    cs_f_version: "version", cs_f_name: "name", cs_f_address: "address", cs_f_hours: "hours", cs_f_phone: "phone",
    cs_f_steps: "steps", cs_f_choices: "choices", cs_f_documents: "documents", cs_f_help_points: "help points",
    cs_f_groups: "groups", cs_f_services: "services", cs_f_source: "source", cs_f_source_date: "source date",
    cs_f_checked: "checked", cs_f_link: "link", cs_f_link_label: "link label", cs_f_needs_esign: "needs e-signature",
    cs_f_admin_note: "admin note", cs_f_volunteer_phone: "volunteer phone", cs_f_places: "places", cs_f_group: "group",
    cs_f_next: "next", cs_f_code: "code", cs_f_languages: "languages", cs_f_voice: "voice", cs_f_asan: "ASAN", cs_f_social: "social",
    cs_kind_info: "info", cs_kind_question: "question", cs_kind_documents: "documents", cs_kind_online: "online",
    cs_kind_help_points: "help points", cs_kind_finish: "finish",
    cs_act_slip: "print a slip", cs_act_help: "call for help", cs_act_home: "home",
    cs_f_sources: "sources", cs_f_url: "page address (https)", cs_f_note: "note", cs_f_unconfirmed: "unconfirmed",
    cs_f_ask: "send the resident to", cs_ask_volunteer: "the volunteer here", cs_ask_142: "142",
    cs_add_source: "Add source", cs_source_key: "New source's key", cs_src_official: "official page",
    cs_src_unofficial: "not an official page: recheck against an official one", cs_key_bad: "A key is lower-case Latin letters, digits and dashes only (like dsmf-udsy).",
    cs_key_taken: "This file already has a source with the key {k}.", cs_no_sources_yet: "This file has no sources yet: add them under Sources.",
    cs_cite_missing: "{k} (not among the file's sources)", cs_stored: "Stored value: {v}",
    cs_unconfirmed_hint: "The screen, the voice and the slip tell the resident it is not confirmed and whom to ask.",
    cs_remove_source: "Remove source {k}",
  },
});

const t = (key, vars) => Shell.t(key, vars);
// A problem's line (key "text") or message ("message") in the page's language: the
// hub sends each in az, ru and en (texts, messages), naming the file and item.
const told = (p, key) => (p[`${key}s`] && p[`${key}s`][Shell.lang]) || p[key] || "";
// A text that follows the language switch; plain() for data (paths, ids).
const say = (node, key, vars) => Shell.setText(node, key, vars);
function plain(node, text) {
  delete node.dataset.t;
  delete node.dataset.tVars;
  node.textContent = text;
}

const API = "/api/v1/studio/content";
const KINDS = ["info", "question", "documents", "online", "help_points", "finish"];
const TARGETS = ["go", "flow", "action"];
const ACTIONS = ["slip", "help", "home"];
const SAVE_AFTER_MS = 900;
// Where a fact's provenance is written: these keys of a step, a document, a help
// point or a place get their own controls (the sources it cites, unconfirmed, ask).
const PROV = ["source", "unconfirmed", "ask"];
const FACT_LISTS = ["steps", "documents", "help_points", "places"];
const SOURCE_KEY = /^[a-z0-9][a-z0-9-]*$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const S = {
  langs: ["az", "ru", "en"],
  voices: {},
  overview: null,
  path: "",
  data: null,
  revision: 0,
  problems: [],
  timer: null,
  saving: null,
  pending: false,
  conflict: false,
  preview: { screen: "home", item: "", step: "" },
  previewSeq: 0,
};

const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "text") node.textContent = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else if (k === "say") say(node, v[0], v[1]);
    else if (k === "label") sayLabel(node, v);
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c) node.append(c);
  return node;
}

function api(method, path, body) {
  return Shell.api(method, API + path, body);
}

function banner(text, kind = "error", extra = null) {
  const b = $("banner");
  b.replaceChildren(el("span", { text }));
  Shell.clearError();
  if (extra) b.append(extra);
  b.className = `banner ${kind}`;
  b.hidden = !text;
}

// ---- the file list and the status bar ------------------------------------------

async function loadOverview() {
  const doc = await api("GET", "/files");
  S.overview = doc;
  S.langs = doc.languages.length ? doc.languages : S.langs;
  S.voices = doc.voices;
  const lists = { service: $("list-service"), site: $("list-site"), other: $("list-other") };
  Object.values(lists).forEach((l) => l.replaceChildren());
  for (const f of doc.files) {
    const n = doc.problems.filter((p) => p.file === f.path).length;
    const label = f.kind === "service" || f.kind === "site" ? `${f.title || f.id}` : f.path;
    const a = el("a", { href: `#${f.path}`, "aria-current": f.path === S.path ? "page" : null,
      dataset: { path: f.path } }, el("span", { text: label }));
    if (n) a.append(el("span", { class: "count", say: ["cs_n_problems", { n }] }));
    (lists[f.kind] || lists.other).append(el("li", {}, a));
  }
  fillSelect($("pv-lang"), S.langs, $("pv-lang").value || S.langs[0]);
  fillSelect($("pv-shape"), doc.shapes, $("pv-shape").value || doc.shapes[0]);
  const sites = doc.files.filter((f) => f.kind === "site").map((f) => f.id);
  fillSelect($("pv-site"), sites, $("pv-site").value || sites[0]);
  showStatus();
  showAllProblems(doc.problems);
  document.dispatchEvent(new Event("studio:overview"));
}

function fillSelect(select, values, chosen) {
  select.replaceChildren(...values.map((v) => el("option", { value: v, text: v, selected: v === chosen })));
}

function showStatus() {
  const o = S.overview;
  const parts = [];
  parts.push(o.published_version ? t("cs_published", { v: o.published_version }) : t("cs_nothing_published"));
  if (o.unpublished) parts.push(t("cs_unpublished", { n: o.unpublished }));
  const n = S.problems.length || o.problems.length;
  parts.push(n ? t("cs_problems", { n }) : t("cs_no_problems"));
  $("cs-status").textContent = parts.join(" · ");
  const pub = $("publish");
  pub.disabled = Boolean(n || o.publish_problem);
  const off = o.publish_problem ? (o.publish_problem_texts || {})[Shell.lang] || o.publish_problem : "";
  pub.title = off || (n ? t("cs_fix_first") : t("cs_publish_hint"));
}

function showAllProblems(problems) {
  S.problems = problems;
  const list = $("all-problems");
  list.replaceChildren(...problems.map((p) => {
    const a = el("a", { href: `#${p.file}`, text: told(p, "text") });
    if (p.code) a.dataset.code = p.code;
    return el("li", {}, a);
  }));
  if (!problems.length) list.append(el("li", { class: "ok", say: ["cs_ready"] }));
}

// ---- one file's form ---------------------------------------------------------------

async function openFile(path) {
  if (!path) return;
  await flushSave();
  const doc = await api("GET", `/files/${path}`);
  S.path = path;
  S.data = doc.data;
  S.revision = doc.revision;
  S.conflict = false;
  banner("");
  plain($("file-title"), path);
  document.querySelectorAll(".files a").forEach((a) =>
    a.toggleAttribute("aria-current", a.dataset.path === path));
  if (doc.parse_error) {
    $("form").replaceChildren(el("p", { class: "error", say: ["cs_bad_toml", { e: doc.parse_error }] }));
    return;
  }
  renderForm();
  if (doc.kind === "service") {
    const first = (S.data.steps || [])[0];
    setPreview("step", S.data.id, first ? first.id : "");
  } else if (doc.kind === "site" && S.overview.help_points_step) {
    // A site's help points as a resident of that site sees them.
    $("pv-site").value = S.data.id;
    setPreview("step", S.overview.help_points_step.item, S.overview.help_points_step.step);
  } else if (doc.kind === "groups" && (S.data.groups || [])[0]) {
    setPreview("group", S.data.groups[0].id, "");
  } else {
    setPreview("home", "", "");
  }
  await loadHistory();
}

function renderForm() {
  const form = $("form");
  form.replaceChildren(fields(S.data, [], 0));
  showProblems();
}

function isLangTable(v) {
  return v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length > 0 &&
    Object.keys(v).every((k) => S.langs.includes(k) || /^[a-z]{2}$/.test(k)) &&
    Object.values(v).every((x) => typeof x === "string");
}

// A field's name in the page's language, following the language switch (the TOML
// key itself when it has no name).
function sayLabel(node, key) {
  if (Shell.has(`cs_f_${key}`)) say(node, `cs_f_${key}`);
  else plain(node, String(key).replace(/_/g, " "));
}

const isTable = (v) => Boolean(v) && typeof v === "object" && !Array.isArray(v);
// A step, document, help point or place: an item that says where its facts came from.
const isFact = (path) => path.length === 2 && FACT_LISTS.includes(path[0]);

function fields(obj, path, depth) {
  const box = el("div", { class: depth ? "fields" : "fields top" });
  const fact = isFact(path);
  // A document or a place is its texts (az, ru, en) plus its provenance: one grid.
  const texts = Object.keys(obj).filter((k) => !PROV.includes(k));
  const textOnly = fact && texts.length > 0 && texts.every((k) => S.langs.includes(k) && typeof obj[k] === "string");
  if (textOnly) box.append(langRow("text", obj, [...path, "text"], obj));
  for (const [key, value] of Object.entries(obj)) {
    if (fact && (PROV.includes(key) || textOnly)) continue;
    if (depth === 0 && key === "sources" && isTable(value)) box.append(sourcesBox(value));
    else if (depth === 0 && key === "places" && isTable(value) && Object.values(value).every(isTable)) {
      box.append(placesBox(value));
    } else box.append(field(key, value, [...path, key], depth, obj));
  }
  if (fact) box.append(provenanceRow(obj, path));
  // A step (or any table with text) may get a spoken text that differs from the shown one.
  if ("text" in obj && !("say" in obj) && isLangTable(obj.text)) {
    box.append(el("button", { type: "button", class: "small", say: ["cs_add_say"],
      onclick: () => { obj.say = Object.fromEntries(S.langs.map((l) => [l, obj.text[l] || ""])); changed(true); } }));
  }
  return box;
}

function field(key, value, path, depth, parent) {
  if (isLangTable(value)) return langRow(key, value, path, parent);
  const row = el("div", { class: "field", dataset: { key, path: path.join(".") } });
  return scalarField(row, key, value, path, depth, parent);
}

// One text in every language, side by side (a phone: one under the other).
function langRow(key, value, path, parent) {
  const row = el("div", { class: "field", dataset: { key, path: path.join(".") } });
  row.classList.add("langs");
  row.append(el("span", { class: "name", label: key }));
  const grid = el("div", { class: "lang-grid" });
  for (const lang of S.langs) {
    const id = `f-${path.join("-")}-${lang}`;
    const rows = Math.min(6, Math.max(2, Math.ceil((value[lang] || "").length / 18)));
    const input = el("textarea", { id, rows, lang, maxlength: 2000, dataset: { lang } });
    input.value = value[lang] || "";
    input.addEventListener("input", () => { value[lang] = input.value; changed(); });
    // A recorded clip (text_audio / say_audio) is what the terminal plays: play that.
    const recorded = () => (parent[`${key}_audio`] || {})[lang];
    const cell = el("div", { class: "lang-cell", dataset: { lang } },
      el("label", { for: id, text: lang.toUpperCase() }), input,
      el("button", { type: "button", class: "listen small", "aria-label": t("cs_listen_label", { l: lang }),
        say: [recorded() ? "cs_listen_recording" : "cs_listen"],
        onclick: () => listen(lang, input.value, recorded()) }));
    grid.append(cell);
  }
  row.append(grid);
  if (key === "say") {
    row.append(el("button", { type: "button", class: "small", say: ["cs_remove_say"],
      onclick: () => { delete parent.say; changed(true); } }));
  }
  return row;
}

function scalarField(row, key, value, path, depth, parent) {
  if (Array.isArray(value) && (value.length === 0 || typeof value[0] === "object")) {
    return list(key, value, path, depth);
  }
  const id = `f-${path.join("-")}`;
  row.append(el("label", { class: "name", for: id, label: key }));
  let input;
  if (key === "kind") {
    input = el("select", { id });
    KINDS.forEach((k) => input.append(el("option", { value: k, say: [`cs_kind_${k}`], selected: k === value })));
    input.addEventListener("change", () => { parent.kind = input.value; changed(true); });
  } else if (key === "action") {
    input = el("select", { id });
    ACTIONS.forEach((k) => input.append(el("option", { value: k, say: [`cs_act_${k}`], selected: k === value })));
    input.addEventListener("change", () => { parent.action = input.value; changed(); });
  } else if (typeof value === "boolean") {
    input = el("input", { id, type: "checkbox" });
    input.checked = value;
    input.addEventListener("change", () => { parent[key] = input.checked; changed(); });
  } else if (typeof value === "number") {
    input = el("input", { id, type: "number", step: "1", readonly: key === "version" ? true : null });
    input.value = value;
    input.addEventListener("input", () => { parent[key] = Number(input.value); changed(); });
  } else if (Array.isArray(value)) {
    input = el("input", { id, maxlength: 2000 });
    input.value = value.join(", ");
    input.addEventListener("input", () => {
      parent[key] = input.value.split(",").map((x) => x.trim()).filter(Boolean); changed(); });
  } else if (typeof value === "string" && (value.includes("\n") || value.length > 90)) {
    input = el("textarea", { id, rows: 4, maxlength: 20000 });
    input.value = value;
    input.addEventListener("input", () => { parent[key] = input.value; changed(); });
  } else {
    input = el("input", { id, maxlength: 2000, readonly: key === "id" && depth === 0 ? true : null });
    input.value = value;
    input.addEventListener("input", () => { parent[key] = input.value; changed(); });
  }
  row.append(input);
  if (TARGETS.includes(key)) {
    // Where a choice leads: another step (go), another service (flow) or an action.
    const other = el("select", { "aria-label": t("cs_leads_to") });
    TARGETS.forEach((x) => other.append(el("option", { value: x, say: [`cs_leads_${x}`], selected: x === key })));
    other.addEventListener("change", () => {
      delete parent[key];
      parent[other.value] = other.value === "action" ? "help" : "";
      changed(true);
    });
    row.append(other);
  }
  return row;
}

function list(key, items, path, depth) {
  const box = el("fieldset", { class: `list list-${key}`, dataset: { key, path: path.join(".") } });
  box.append(el("legend", { label: key }));
  items.forEach((item, i) => {
    const title = item.id || (item.label && item.label[S.langs[0]]) || (item.name && item.name[S.langs[0]]) ||
      item[S.langs[0]] || `${i + 1}`;
    const card = el("div", { class: "card", dataset: { index: i, id: item.id || "" } });
    const itemKey = Shell.has(`cs_item_${key}`) ? `cs_item_${key}` : "cs_item";
    const head = el("div", { class: "card-head" },
      el("strong", { say: [itemKey, { n: i + 1, t: title }] }));
    if (key === "steps" && item.id) {
      head.append(el("button", { type: "button", class: "small", say: ["cs_show_screen"],
        onclick: () => setPreview("step", S.data.id, item.id) }));
    }
    if (key === "groups" && item.id) {
      head.append(el("button", { type: "button", class: "small", say: ["cs_show_screen"],
        onclick: () => setPreview("group", item.id, "") }));
    }
    head.append(
      el("button", { type: "button", class: "small", text: "↑", "aria-label": t("cs_move_up"), disabled: i === 0,
        onclick: () => { items.splice(i - 1, 0, items.splice(i, 1)[0]); changed(true); } }),
      el("button", { type: "button", class: "small", text: "↓", "aria-label": t("cs_move_down"),
        disabled: i === items.length - 1,
        onclick: () => { items.splice(i + 1, 0, items.splice(i, 1)[0]); changed(true); } }),
      el("button", { type: "button", class: "small danger", say: ["cs_remove"],
        onclick: () => { items.splice(i, 1); changed(true); } }));
    card.append(head);
    card.append(isLangTable(item) && !FACT_LISTS.includes(key) ? field("text", item, [...path, i], depth + 1, items)
      : fields(item, [...path, i], depth + 1));
    box.append(card);
  });
  const addKey = Shell.has(`cs_add_${key}`) ? `cs_add_${key}` : "cs_add_item";
  box.append(el("button", { type: "button", class: "small add", say: [addKey], dataset: { add: key },
    onclick: () => { items.splice(insertAt(items, key), 0, blank(items, key)); changed(true); } }));
  return box;
}

// A new step goes before the finish step (a flow ends there); anything else at the end.
function insertAt(items, key) {
  if (key === "steps") {
    const finish = items.findIndex((s) => s && s.kind === "finish");
    if (finish >= 0) return finish;
  }
  return items.length;
}

function blank(items, key) {
  const langs = () => Object.fromEntries(S.langs.map((l) => [l, ""]));
  if (key === "steps") return { id: `step-${items.length + 1}`, kind: "info", icon: "information", text: langs() };
  if (key === "choices") return { label: langs(), icon: "arrow-right", go: "" };
  if (key === "documents") return langs();
  if (key === "help_points") return { name: langs(), address: langs(), hours: langs() };
  if (key === "groups") return { id: `group-${items.length + 1}`, icon: "folder", title: langs(), services: [] };
  const copy = JSON.parse(JSON.stringify(items[0] || {}));
  const clear = (o) => { for (const k of Object.keys(o)) {
    if (typeof o[k] === "string") o[k] = ""; else if (o[k] && typeof o[k] === "object") clear(o[k]); } };
  clear(copy);
  return copy;
}


// ---- where facts come from: the file's sources, each item's citations ------------

function isOfficial(url) {
  let u;
  try { u = new URL(url); } catch { return false; }
  const host = u.hostname.replace(/\.$/, "").toLowerCase();
  return u.protocol === "https:" && (S.overview.official_domains || []).some((d) => host === d || host.endsWith(`.${d}`));
}

function officialFlag(url) {
  const official = isOfficial(url);
  return el("span", { class: official ? "flag official" : "flag unofficial", dataset: { official: String(official) },
    say: [official ? "cs_src_official" : "cs_src_unofficial"] });
}

// The file's [sources.KEY]: the page a person read (https) and the day they read it.
function sourcesBox(sources) {
  const box = el("fieldset", { class: "list list-sources", dataset: { key: "sources", path: "sources" } });
  box.append(el("legend", { label: "sources" }));
  for (const [key, src] of Object.entries(sources)) {
    const card = el("div", { class: "card source-card", dataset: { id: key } });
    const head = el("div", { class: "card-head" }, el("strong", { text: key }));
    if (isTable(src)) head.append(officialFlag(src.url || ""));
    head.append(el("button", { type: "button", class: "small danger", say: ["cs_remove_source", { k: key }],
      onclick: () => { delete sources[key]; changed(true); } }));
    card.append(head);
    if (!isTable(src)) {
      card.append(el("p", { class: "muted", say: ["cs_stored", { v: JSON.stringify(src) }] }));
      box.append(card);
      continue;
    }
    const rows = el("div", { class: "fields" });
    for (const name of ["url", "checked", "title", "note"]) {
      const value = src[name];
      if (value !== undefined && typeof value !== "string") {
        rows.append(field(name, value, ["sources", key, name], 2, src)); // the validator names it
        continue;
      }
      const id = `f-sources-${key}-${name}`;
      const row = el("div", { class: "field", dataset: { key: name, path: `sources.${key}.${name}` } },
        el("label", { class: "name", for: id, label: name }));
      let input;
      if (name === "checked") {
        input = el("input", { id, type: "date", max: S.overview.today, required: true });
        if (value && DAY.test(value)) input.value = value;
        else if (value) row.append(el("p", { class: "muted", say: ["cs_stored", { v: value }] }));
        input.addEventListener("input", () => { src.checked = input.value; changed(); });
      } else {
        input = el("input", { id, type: name === "url" ? "url" : "text", maxlength: name === "url" ? 1000 : 2000,
          required: name === "url" ? true : null, placeholder: name === "url" ? "https://" : null });
        input.value = value || "";
        input.addEventListener("input", () => {
          if (input.value || name === "url") src[name] = input.value; else delete src[name];
          if (name === "url") head.querySelector(".flag").replaceWith(officialFlag(input.value));
          changed();
        });
      }
      row.insertBefore(input, row.children[1] || null);
      rows.append(row);
    }
    for (const [name, value] of Object.entries(src)) {
      if (!["url", "checked", "title", "note"].includes(name)) rows.append(field(name, value, ["sources", key, name], 2, src));
    }
    card.append(rows);
    box.append(card);
  }
  // A new source: its key first (what items cite), then its page and date.
  const keyId = "f-sources-new-key";
  const keyInput = el("input", { id: keyId, maxlength: 64, pattern: "[a-z0-9][a-z0-9-]*" });
  const said = el("p", { class: "key-problem", role: "alert", hidden: true });
  box.append(el("div", { class: "field add-source" }, el("label", { class: "name", for: keyId, say: ["cs_source_key"] }), keyInput,
    el("button", { type: "button", class: "small add", say: ["cs_add_source"], dataset: { add: "sources" },
      onclick: () => {
        const k = keyInput.value.trim();
        if (!SOURCE_KEY.test(k) || k.length > 64) { say(said, "cs_key_bad"); said.hidden = false; return; }
        if (k in sources) { say(said, "cs_key_taken", { k }); said.hidden = false; return; }
        sources[k] = { url: "", checked: S.overview.today };
        changed(true);
      } })), said);
  return box;
}

// A site's [places.KEY]: the place for X in this district, with where it was read.
function placesBox(places) {
  const box = el("fieldset", { class: "list list-places", dataset: { key: "places", path: "places" } });
  box.append(el("legend", { label: "places" }));
  for (const [key, place] of Object.entries(places)) {
    const card = el("div", { class: "card", dataset: { id: key } },
      el("div", { class: "card-head" }, el("strong", { label: key })));
    card.append(fields(place, ["places", key], 2));
    box.append(card);
  }
  return box;
}

// What an item rests on: the file's sources it cites, or "unconfirmed" and whom
// the resident is sent to. Keys it cites that the file lacks stay (and are named).
function provenanceRow(obj, path) {
  const base = path.join("-");
  const row = el("div", { class: "field provenance", dataset: { key: "source", path: [...path, "source"].join(".") } });
  row.append(el("span", { class: "name", label: "source" }));
  const known = isTable(S.data.sources) ? Object.keys(S.data.sources) : [];
  const raw = obj.source;
  const cited = typeof raw === "string" ? [raw] : Array.isArray(raw) ? raw.filter((k) => typeof k === "string") : [];
  const all = [...known, ...cited.filter((k) => !known.includes(k))];
  const cites = el("div", { class: "cites" });
  const boxes = all.map((k) => {
    const id = `f-${base}-cite-${k}`;
    const input = el("input", { id, type: "checkbox", dataset: { cite: k } });
    input.checked = cited.includes(k);
    const name = known.includes(k) ? el("span", { text: ` ${k}` }) : el("span", { say: ["cs_cite_missing", { k }] });
    cites.append(el("label", { for: id, class: known.includes(k) ? "cite" : "cite missing" }, input, name));
    return input;
  });
  boxes.forEach((input) => input.addEventListener("change", () => {
    const now = boxes.filter((b) => b.checked).map((b) => b.dataset.cite);
    if (!now.length) delete obj.source; else obj.source = now.length === 1 ? now[0] : now;
    changed();
  }));
  if (!all.length) cites.append(el("span", { class: "muted", say: ["cs_no_sources_yet"] }));
  row.append(cites);
  const unId = `f-${base}-unconfirmed`;
  const askId = `f-${base}-ask`;
  const un = el("input", { id: unId, type: "checkbox", class: "unconfirmed" });
  un.checked = obj.unconfirmed === true;
  const ask = el("select", { id: askId, class: "ask" },
    el("option", { value: "volunteer", say: ["cs_ask_volunteer"] }), el("option", { value: "142", say: ["cs_ask_142"] }));
  ask.value = obj.ask === "142" ? "142" : "volunteer";
  ask.disabled = !un.checked;
  un.addEventListener("change", () => {
    if (un.checked) obj.unconfirmed = true;
    else { delete obj.unconfirmed; delete obj.ask; }
    ask.disabled = !un.checked;
    changed();
  });
  ask.addEventListener("change", () => {
    if (ask.value === "142") obj.ask = "142"; else delete obj.ask;
    changed();
  });
  const mark = el("div", { class: "unconfirmed-row", dataset: { key: "unconfirmed" } },
    el("label", { for: unId }, un, " ", el("span", { label: "unconfirmed" })),
    el("label", { for: askId, label: "ask" }), ask,
    el("p", { class: "muted hint", say: ["cs_unconfirmed_hint"] }));
  row.append(el("div", { class: "prov-body" }, mark));
  return row;
}

// ---- saving, checked on every save ---------------------------------------------------

function changed(structural = false) {
  S.pending = true;
  say($("save-state"), "cs_not_saved_yet");
  if (structural) renderForm();
  clearTimeout(S.timer);
  S.timer = setTimeout(save, structural ? 10 : SAVE_AFTER_MS);
}

async function flushSave() {
  clearTimeout(S.timer);
  if (S.pending && !S.conflict) await save();
  if (S.saving) await S.saving;
}

async function save() {
  if (S.saving) { await S.saving; }
  if (!S.pending || S.conflict) return;
  S.pending = false;
  const body = { base_revision: S.revision, data: S.data };
  say($("save-state"), "cs_saving");
  S.saving = (async () => {
    try {
      const doc = await api("PUT", `/files/${S.path}`, body);
      S.revision = doc.revision;
      showAllProblems(doc.problems);
      refreshPreview();
      await loadOverview();
      showProblems();
      await loadHistory();
      say($("save-state"), "cs_saved", { v: doc.revision });
    } catch (err) {
      if (err.status === 409) {
        S.conflict = true;
        say($("save-state"), "cs_conflict");
        const d = err.detail || {};
        const diffs = el("div", { class: "conflict" });
        for (const c of d.changes || []) {
          diffs.append(el("p", { text: `${c.author} · ${c.at} · version ${c.revision}` }), el("pre", { text: c.diff }));
        }
        diffs.append(el("button", { type: "button", say: ["cs_reload_theirs"], onclick: () => openFile(S.path) }));
        banner(err.message, "error", diffs);
      } else {
        S.pending = true;
        say($("save-state"), "cs_not_saved");
        // A file of the wrong shape: every problem, in the page's language.
        const probs = (err.detail && err.detail.problems) || [];
        const list = probs.length ? el("ul", {}, ...probs.map((p) => el("li", { text: told(p, "text") }))) : undefined;
        banner(t("cs_not_saved_because", { m: err.message }), "error", list);
      }
    }
  })();
  await S.saving;
  S.saving = null;
}

function showProblems() {
  document.querySelectorAll(".field-problem").forEach((n) => n.remove());
  document.querySelectorAll(".has-problem").forEach((n) => n.classList.remove("has-problem"));
  const mine = S.problems.filter((p) => p.file === S.path);
  $("file-problems").replaceChildren();
  $("file-problems-none").hidden = mine.length > 0 || !S.path;
  for (const p of mine) {
    const spot = placeOf(p);
    if (spot) {
      spot.classList.add("has-problem");
      const note = el("p", { class: "field-problem", role: "note" },
        el("strong", { say: ["cs_problem"] }), ` ${p.lang ? `${p.lang}: ` : ""}${told(p, "message")}`);
      if (p.code) note.dataset.code = p.code;
      (spot.matches(".lang-cell") ? spot : spot).append(note);
    } else {
      $("file-problems").append(el("li", { text: told(p, "text") }));
    }
  }
}

function placeOf(p) {
  // The card the problem belongs to: a step (by id), a choice, a help point, a group, a string.
  let scope = $("form");
  if (p.step) {
    scope = scope.querySelector(`.list-steps > .card[data-id="${CSS.escape(p.step)}"]`) || scope;
    if (p.choice) scope = scope.querySelectorAll(".list-choices > .card")[p.choice - 1] || scope;
  } else if (p.point) {
    scope = scope.querySelectorAll(".list-help_points > .card")[p.point - 1] || scope;
  } else if (p.source) {
    scope = scope.querySelector(`.list-sources > .card[data-id="${CSS.escape(p.source)}"]`) || scope;
  } else if (p.place) {
    scope = scope.querySelector(`.list-places > .card[data-id="${CSS.escape(p.place)}"]`) || scope;
  } else if (p.document) {
    scope = scope.querySelectorAll(".list-documents > .card")[p.document - 1] || scope;
  } else if (p.entry) {
    scope = scope.querySelector(`.card[data-id="${CSS.escape(p.entry)}"]`) ||
      scope.querySelector(`.field[data-key="${CSS.escape(p.entry)}"]`) || scope;
  }
  if (scope === $("form") && !p.field) return null;
  if (p.field) {
    const rows = [...scope.querySelectorAll(`.field[data-key="${CSS.escape(p.field)}"]`)];
    const row = rows.find((r) => r.closest(".card") === (scope.matches(".card") ? scope : r.closest(".card"))) || rows[0];
    if (row) {
      if (p.lang) return row.querySelector(`.lang-cell[data-lang="${CSS.escape(p.lang)}"]`) || row;
      return row;
    }
  }
  return scope === $("form") ? null : scope;
}

// ---- history, restore ---------------------------------------------------------------

async function loadHistory() {
  if (!S.path) return;
  const doc = await api("GET", `/history?path=${encodeURIComponent(S.path)}`);
  const list = $("history");
  list.replaceChildren();
  for (const h of doc.changes) {
    const what = h.action === "original" ? t("cs_before_studio")
      : h.note || (Shell.has(`cs_action_${h.action}`) ? t(`cs_action_${h.action}`) : h.action);
    const item = el("li", {}, el("strong", { say: ["cs_version", { v: h.revision }] }),
      el("span", { class: "muted", text: ` ${h.author || ""} · ${h.at.replace("T", " ").slice(0, 16)} · ${what}` }));
    if (h.diff) item.append(el("details", {}, el("summary", { say: ["cs_what_changed"] }), el("pre", { class: "diff", text: h.diff })));
    if (h.revision !== S.revision) {
      item.append(el("button", { type: "button", class: "small", say: ["cs_restore", { v: h.revision }],
        onclick: () => restore(h.revision) }));
    }
    list.append(item);
  }
  if (!doc.changes.length) list.append(el("li", { class: "muted", say: ["cs_no_changes"] }));
}

async function restore(revision) {
  await flushSave();
  try {
    await api("POST", "/restore", { path: S.path, revision, base_revision: S.revision });
    await openFile(S.path);
    await loadOverview();
    showProblems();
    say($("save-state"), "cs_restored", { v: revision });
  } catch (err) {
    banner(err.message);
  }
}

// ---- the screen picture, listen -----------------------------------------------------------

function setPreview(screen, item, step) {
  S.preview = { screen, item, step };
  refreshPreview();
}

async function refreshPreview() {
  const { screen, item, step } = S.preview;
  const seq = ++S.previewSeq;
  if (screen === "step") say($("pv-what"), "cs_what_step", { i: item, s: step });
  else if (screen === "group") say($("pv-what"), "cs_what_group", { i: item });
  else say($("pv-what"), "cs_what_home");
  say($("pv-state"), "cs_drawing");
  $("pv-img").setAttribute("aria-busy", "true");
  try {
    const doc = await api("POST", "/preview", { lang: $("pv-lang").value, shape: $("pv-shape").value,
      site: $("pv-site").value, screen, item, step });
    if (seq !== S.previewSeq) return; // a newer picture is on its way
    $("pv-img").removeAttribute("aria-busy");
    if (doc.error) {
      if (S.problems.length) say($("pv-state"), "cs_no_picture_problems");
      else say($("pv-state"), "cs_no_picture", { e: doc.error });
      $("pv-img").hidden = true;
    } else {
      $("pv-img").src = doc.image;
      $("pv-img").hidden = false;
      $("pv-img").dataset.seq = String(seq);
      say($("pv-state"), doc.problems.length ? "cs_does_not_fit" : "cs_fits");
    }
    $("pv-problems").replaceChildren(...(doc.problems || []).map((p) => el("li", { text: p })));
  } catch (err) {
    if (seq === S.previewSeq) say($("pv-state"), "cs_no_picture", { e: err.message });
  }
}

async function listen(lang, text, recording) {
  const player = $("player");
  if (recording) {
    player.src = `${API}/recording?file=${encodeURIComponent(recording)}`;
  } else {
    if (!text.trim()) return;
    player.src = `${API}/listen?lang=${encodeURIComponent(lang)}&text=${encodeURIComponent(text.slice(0, 1000))}`;
  }
  try { await player.play(); } catch (err) { banner(t("cs_cannot_play", { e: err.message })); }
}

// ---- publish ---------------------------------------------------------------------------------

async function publish() {
  await flushSave();
  const btn = $("publish");
  let confirmed = null; // {fingerprint, pilot}: the change summary seen and confirmed
  try {
    confirmed = await Releases.confirmPublish();
  } catch (err) {
    banner(t("cs_not_published", { m: err.message + Releases.reasons(err) }));
  }
  if (confirmed === null) return false; // nothing published: the next tap is free (Shell.act)
  btn.disabled = true;
  banner(t("cs_publishing"), "info");
  try {
    const doc = await api("POST", "/publish", confirmed);
    banner(t("cs_published_now", { v: doc.bundle_version, n: doc.new_files }), "ok");
  } catch (err) {
    const probs = (err.detail && err.detail.problems) || [];
    const list = el("ul", {}, ...probs.map((p) => el("li", { text: typeof p === "string" ? p : told(p, "text") })));
    banner(t("cs_not_published", { m: err.message }), "error", list);
  }
  await loadOverview();
  await Releases.load();
}

// ---- start -------------------------------------------------------------------------------------

async function start() {
  $("pv-img").alt = t("cs_picture_alt");
  Shell.onLanguage(() => {
    $("pv-img").alt = t("cs_picture_alt");
    if (S.overview) showStatus();
    // The problems in the language just chosen (the hub sent all three).
    if (S.overview) {
      showAllProblems(S.problems);
      if (S.path) showProblems();
    }
  });
  try {
    await loadOverview();
  } catch (err) {
    banner(err.message);
    return;
  }
  ["pv-lang", "pv-shape", "pv-site"].forEach((id) => $(id).addEventListener("change", refreshPreview));
  // One touch, one action: a double tap asks once and publishes once.
  $("publish").addEventListener("click", () => Shell.act(publish));
  // On a phone Publish is over the status line, out of the header's one row.
  const phone = window.matchMedia("(max-width: 600px)");
  const placePublish = () => {
    if (phone.matches) $("cs-status").before($("publish"));
    else document.querySelector("header.bar .tools").prepend($("publish"));
  };
  phone.addEventListener("change", placePublish);
  placePublish();
  window.addEventListener("hashchange", () => openFile(decodeURIComponent(location.hash.slice(1))));
  window.addEventListener("beforeunload", (e) => { if (S.pending) e.preventDefault(); });
  // On a phone the file list folds away once a file is open.
  if (window.matchMedia("(max-width: 800px)").matches) $("files-box").open = false;
  const first = decodeURIComponent(location.hash.slice(1)) || (S.overview.files.find((f) => f.kind === "service") || {}).path;
  await openFile(first);
}

document.addEventListener("DOMContentLoaded", start);
