// Kömək admin page: the volunteers' accounts. Their display names (what the
// waiting room sees and hears), disable (their sessions end at once), enable, remove. Names go into the page with textContent only.
"use strict";

Studio.addTexts({
  az: {
    vol_title: "Könüllülər", vol_lead: "Hesablar və onların vəziyyəti. Söndürülən könüllü daxil ola bilmir, açıq sessiyaları dərhal bitir. «Ekranda adı»: gözləmə zalının ekranı və səsli çağırış könüllünü belə adlandırır; boşdursa, heç bir ad deyilmir (hesabın adı heç vaxt).",
    vol_name: "Ad", vol_site: "Məntəqə", vol_role: "Rolu", vol_state: "Vəziyyəti", vol_sessions: "Açıq sessiyalar", vol_actions: "",
    vol_admin: "Admin", vol_volunteer: "Könüllü", vol_active: "Aktiv", vol_disabled: "Söndürülüb ({d})", vol_you: "(siz)",
    vol_disable: "Söndür", vol_enable: "Yandır", vol_remove: "Sil",
    vol_confirm_remove: "{n} hesabı silinsin? Keçmiş müraciətlərdə adı qalacaq.",
    vol_confirm_disable: "{n} söndürülsün? Açıq sessiyaları dərhal bitəcək.",
    vol_done_disable: "{n} söndürüldü.", vol_done_enable: "{n} yenidən daxil ola bilər.", vol_done_remove: "{n} silindi.",
    vol_add_hint: "Yeni könüllünü hub kompüterində əlavə edin:", vol_none: "Hələ könüllü yoxdur.",
    vol_display: "Ekranda adı", vol_display_save: "Saxla", vol_display_unset: "—",
    vol_display_label: "{n} — gözləmə zalının ekranında və səsli çağırışda adı",
    vol_done_display: "{n}: ekranda «{d}».", vol_done_display_none: "{n}: ekranda ad göstərilmir.",
  },
  ru: {
    vol_title: "Волонтёры", vol_lead: "Учётные записи и их состояние. Отключённый волонтёр не может войти, его открытые сессии сразу заканчиваются. «Имя на экране»: так волонтёра называют экран зала ожидания и голосовой вызов; если пусто, имя не называется (имя учётной записи — никогда).",
    vol_name: "Имя", vol_site: "Пункт", vol_role: "Роль", vol_state: "Состояние", vol_sessions: "Открытые сессии", vol_actions: "",
    vol_admin: "Администратор", vol_volunteer: "Волонтёр", vol_active: "Активен", vol_disabled: "Отключён ({d})", vol_you: "(вы)",
    vol_disable: "Отключить", vol_enable: "Включить", vol_remove: "Удалить",
    vol_confirm_remove: "Удалить учётную запись {n}? Имя останется в прошлых заявках.",
    vol_confirm_disable: "Отключить {n}? Открытые сессии сразу закончатся.",
    vol_done_disable: "{n} отключён(а).", vol_done_enable: "{n} снова может войти.", vol_done_remove: "{n} удалён(а).",
    vol_add_hint: "Нового волонтёра добавляют на компьютере хаба:", vol_none: "Волонтёров пока нет.",
    vol_display: "Имя на экране", vol_display_save: "Сохранить", vol_display_unset: "—",
    vol_display_label: "{n} — имя на экране зала ожидания и в голосовом вызове",
    vol_done_display: "{n}: на экране «{d}».", vol_done_display_none: "{n}: имя на экране не показывается.",
  },
  en: {
    vol_title: "Volunteers", vol_lead: "Accounts and their state. A disabled volunteer cannot log in; their open sessions end at once. Display name: what the waiting-room display shows and the spoken call says for them; empty, no name is said (never the account's name).",
    vol_name: "Name", vol_site: "Site", vol_role: "Role", vol_state: "State", vol_sessions: "Open sessions", vol_actions: "",
    vol_admin: "Admin", vol_volunteer: "Volunteer", vol_active: "Active", vol_disabled: "Disabled ({d})", vol_you: "(you)",
    vol_disable: "Disable", vol_enable: "Enable", vol_remove: "Remove",
    vol_confirm_remove: "Remove the account {n}? Past requests keep the name.",
    vol_confirm_disable: "Disable {n}? Their open sessions end at once.",
    vol_done_disable: "{n} is disabled.", vol_done_enable: "{n} can log in again.", vol_done_remove: "{n} is removed.",
    vol_add_hint: "Add a new volunteer on the hub's computer:", vol_none: "No volunteers yet.",
    vol_display: "Display name", vol_display_save: "Save", vol_display_unset: "—",
    vol_display_label: "{n} — name on the waiting-room display and in the spoken call",
    vol_done_display: "{n}: the display says “{d}”.", vol_done_display_none: "{n}: the display names no one.",
  },
});

const vols = { doc: null, typing: new Map() }; // typing: display names typed, not saved yet

const VOL_COLUMNS = ["vol_name", "vol_display", "vol_site", "vol_role", "vol_state", "vol_sessions", "vol_actions"];

function volCell(row, text) {
  const td = document.createElement("td");
  td.textContent = text;
  td.dataset.label = Studio.t(VOL_COLUMNS[row.children.length] || "");
  row.appendChild(td);
  return td;
}

function volButton(cell, label, cls, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = cls;
  b.dataset.action = label;
  b.textContent = Studio.t(label);
  b.addEventListener("click", onClick);
  cell.appendChild(b);
}

function renderVolunteers() {
  const body = document.querySelector("#vol-table tbody");
  body.replaceChildren();
  if (!vols.doc) return;
  if (!vols.doc.volunteers.length) {
    const tr = document.createElement("tr");
    const td = volCell(tr, Studio.t("vol_none"));
    td.colSpan = 7;
    body.appendChild(tr);
  }
  for (const v of vols.doc.volunteers) {
    const tr = document.createElement("tr");
    tr.dataset.name = v.name;
    const me = v.name === vols.doc.me;
    volCell(tr, me ? `${v.name} ${Studio.t("vol_you")}` : v.name);
    displayNameCell(volCell(tr, ""), v);
    volCell(tr, v.site);
    volCell(tr, Studio.t(v.admin ? "vol_admin" : "vol_volunteer"));
    const state = volCell(tr, v.disabled_at ? Studio.t("vol_disabled", { d: v.disabled_at.slice(0, 10) }) : Studio.t("vol_active"));
    state.dataset.state = v.disabled_at ? "disabled" : "active";
    volCell(tr, String(v.sessions));
    const actions = volCell(tr, "");
    actions.className = "actions";
    if (!me) {
      // One touch, one action: a double tap on Disable does not also press the Enable in its place.
      if (v.disabled_at) volButton(actions, "vol_enable", "tool", () => Studio.act(() => change(v.name, "enable")));
      else volButton(actions, "vol_disable", "tool", () => Studio.act(() => change(v.name, "disable")));
      volButton(actions, "vol_remove", "tool danger", () => Studio.act(() => change(v.name, "remove")));
    }
    body.appendChild(tr);
  }
}

// The name the waiting room sees and hears (never the account's name): typed,
// then saved; a refused one stays in the box with the hub's reason beside it.
function displayNameCell(cell, v) {
  const form = document.createElement("form");
  form.className = "display-name";
  const input = document.createElement("input");
  input.type = "text";
  input.maxLength = 30;
  input.autocomplete = "off";
  input.value = vols.typing.has(v.name) ? vols.typing.get(v.name) : v.display_name || "";
  input.placeholder = Studio.t("vol_display_unset");
  input.setAttribute("aria-label", Studio.t("vol_display_label", { n: v.name }));
  input.addEventListener("input", () => vols.typing.set(v.name, input.value));
  const save = document.createElement("button");
  save.type = "submit";
  save.className = "tool";
  save.textContent = Studio.t("vol_display_save");
  form.append(input, save);
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    Studio.act(() => saveDisplayName(v, input));
  });
  cell.appendChild(form);
}

async function saveDisplayName(v, input) {
  const said = document.getElementById("vol-said");
  const error = document.getElementById("vol-error");
  Studio.say(said, "");
  try {
    const path = `/api/v1/admin/volunteers/${encodeURIComponent(v.name)}/display-name`;
    const doc = await Studio.api("POST", path, { display_name: input.value });
    vols.typing.delete(v.name);
    Studio.say(error, "");
    const d = doc.volunteer.display_name;
    Studio.say(said, d ? "vol_done_display" : "vol_done_display_none", { n: v.name, d });
    await loadVolunteers();
  } catch (e) {
    Studio.say(error, e); // what was typed stays in the box
  }
}

async function loadVolunteers() {
  const error = document.getElementById("vol-error");
  try {
    vols.doc = await Studio.api("GET", "/api/v1/admin/volunteers");
    Studio.say(error, "");
  } catch (e) {
    Studio.say(error, e);
  }
  renderVolunteers();
}

async function change(name, verb) {
  const said = document.getElementById("vol-said");
  const error = document.getElementById("vol-error");
  Studio.say(said, "");
  if (verb !== "enable" && !window.confirm(Studio.t(`vol_confirm_${verb}`, { n: name }))) return false;
  try {
    const path = `/api/v1/admin/volunteers/${encodeURIComponent(name)}`;
    if (verb === "remove") await Studio.api("DELETE", path);
    else await Studio.api("POST", `${path}/${verb}`);
    Studio.say(error, "");
    Studio.say(said, `vol_done_${verb}`, { n: name });
  } catch (e) {
    Studio.say(error, e);
  }
  await loadVolunteers();
}

document.addEventListener("DOMContentLoaded", () => {
  Studio.onLanguage(renderVolunteers);
  loadVolunteers();
});
