// Kömək content studio (/studio/content/): edit the content draft in forms,
// every text in az, ru and en side by side; each save is checked by the hub
// (the same validator as `kiosk content validate`) and every problem is shown
// beside its field; a picture of the screen is rendered by the hub. No inline
// script, no HTML from data: everything is built with textContent.
"use strict";

const API = "/api/v1/studio/content";
const KINDS = ["info", "question", "documents", "online", "help_points", "finish"];
const TARGETS = ["go", "flow", "action"];
const ACTIONS = ["slip", "help", "home"];
const SAVE_AFTER_MS = 900;

const S = {
  csrf: "",
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
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c) node.append(c);
  return node;
}

async function api(method, path, body) {
  const opts = { method, headers: { Accept: "application/json" }, credentials: "same-origin" };
  if (body !== undefined) {
    opts.headers["Content-Type"] = "application/json";
    opts.headers["X-CSRF-Token"] = S.csrf;
    opts.body = JSON.stringify(body);
  }
  const res = await fetch(API + path, opts);
  let doc = null;
  try { doc = await res.json(); } catch { doc = null; }
  if (!res.ok) {
    const err = new Error(message(doc) || `HTTP ${res.status}`);
    err.status = res.status;
    err.detail = doc && doc.detail;
    throw err;
  }
  return doc;
}

function message(doc) {
  if (!doc) return "";
  const d = doc.detail;
  if (typeof d === "string") return d;
  if (d && d.message) return d.message;
  if (Array.isArray(d)) return d.map((x) => x.msg).join("; ");
  return "";
}

function banner(text, kind = "error", extra = null) {
  const b = $("banner");
  b.replaceChildren(el("span", { text }));
  if (extra) b.append(extra);
  b.className = `banner ${kind}`;
  b.hidden = !text;
}

// ---- the file list and the status bar ------------------------------------------

async function loadOverview() {
  const doc = await api("GET", "/files");
  S.overview = doc;
  S.csrf = doc.csrf_token;
  S.langs = doc.languages.length ? doc.languages : S.langs;
  S.voices = doc.voices;
  $("who").textContent = doc.who + " · admin";
  const lists = { service: $("list-service"), site: $("list-site"), other: $("list-other") };
  Object.values(lists).forEach((l) => l.replaceChildren());
  for (const f of doc.files) {
    const n = doc.problems.filter((p) => p.file === f.path).length;
    const label = f.kind === "service" || f.kind === "site" ? `${f.title || f.id}` : f.path;
    const a = el("a", { href: `#${f.path}`, "aria-current": f.path === S.path ? "page" : null,
      dataset: { path: f.path } }, el("span", { text: label }));
    if (n) a.append(el("span", { class: "count", text: `${n} problem${n > 1 ? "s" : ""}` }));
    (lists[f.kind] || lists.other).append(el("li", {}, a));
  }
  fillSelect($("pv-lang"), S.langs, $("pv-lang").value || S.langs[0]);
  fillSelect($("pv-shape"), doc.shapes, $("pv-shape").value || doc.shapes[0]);
  const sites = doc.files.filter((f) => f.kind === "site").map((f) => f.id);
  fillSelect($("pv-site"), sites, $("pv-site").value || sites[0]);
  showStatus();
  showAllProblems(doc.problems);
}

function fillSelect(select, values, chosen) {
  select.replaceChildren(...values.map((v) => el("option", { value: v, text: v, selected: v === chosen })));
}

function showStatus() {
  const o = S.overview;
  const parts = [];
  parts.push(o.published_version ? `published: version ${o.published_version}` : "nothing published yet");
  if (o.unpublished) parts.push(`${o.unpublished} change${o.unpublished > 1 ? "s" : ""} not published`);
  const n = S.problems.length || o.problems.length;
  parts.push(n ? `${n} problem${n > 1 ? "s" : ""}` : "no problems");
  $("status").textContent = parts.join(" · ");
  const pub = $("publish");
  pub.disabled = Boolean(n || o.publish_problem);
  pub.title = o.publish_problem || (n ? "Fix every problem first" : "Sign and publish the draft");
}

function showAllProblems(problems) {
  S.problems = problems;
  const list = $("all-problems");
  list.replaceChildren(...problems.map((p) => {
    const a = el("a", { href: `#${p.file}`, text: p.text });
    return el("li", {}, a);
  }));
  if (!problems.length) list.append(el("li", { class: "ok", text: "No problems. Ready to publish." }));
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
  $("file-title").textContent = path;
  document.querySelectorAll(".files a").forEach((a) =>
    a.toggleAttribute("aria-current", a.dataset.path === path));
  if (doc.parse_error) {
    $("form").replaceChildren(el("p", { class: "error", text: `Not valid TOML: ${doc.parse_error}` }));
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

function label(key) {
  const names = { say: "spoken", text: "shown", title: "title", summary: "summary", label: "label" };
  return names[key] || key.replace(/_/g, " ");
}

function fields(obj, path, depth) {
  const box = el("div", { class: depth ? "fields" : "fields top" });
  for (const [key, value] of Object.entries(obj)) {
    box.append(field(key, value, [...path, key], depth, obj));
  }
  // A step (or any table with text) may get a spoken text that differs from the shown one.
  if ("text" in obj && !("say" in obj) && isLangTable(obj.text)) {
    box.append(el("button", { type: "button", class: "small", text: "Add a spoken text",
      onclick: () => { obj.say = Object.fromEntries(S.langs.map((l) => [l, obj.text[l] || ""])); changed(true); } }));
  }
  return box;
}

function field(key, value, path, depth, parent) {
  const row = el("div", { class: "field", dataset: { key, path: path.join(".") } });
  if (isLangTable(value)) {
    row.classList.add("langs");
    row.append(el("span", { class: "name", text: label(key) }));
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
        el("button", { type: "button", class: "listen small", "aria-label": `Listen (${lang})`,
          text: recorded() ? "▶ Listen (recording)" : "▶ Listen",
          onclick: () => listen(lang, input.value, recorded()) }));
      grid.append(cell);
    }
    row.append(grid);
    if (key === "say") {
      row.append(el("button", { type: "button", class: "small", text: "Remove spoken text (say the shown text)",
        onclick: () => { delete parent.say; changed(true); } }));
    }
    return row;
  }
  if (Array.isArray(value) && (value.length === 0 || typeof value[0] === "object")) {
    return list(key, value, path, depth);
  }
  const id = `f-${path.join("-")}`;
  row.append(el("label", { class: "name", for: id, text: label(key) }));
  let input;
  if (key === "kind") {
    input = el("select", { id });
    KINDS.forEach((k) => input.append(el("option", { value: k, text: k, selected: k === value })));
    input.addEventListener("change", () => { parent.kind = input.value; changed(true); });
  } else if (key === "action") {
    input = el("select", { id });
    ACTIONS.forEach((k) => input.append(el("option", { value: k, text: k, selected: k === value })));
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
    const other = el("select", { "aria-label": "leads to" });
    TARGETS.forEach((t) => other.append(el("option", { value: t, text: `leads by ${t}`, selected: t === key })));
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
  box.append(el("legend", { text: label(key) }));
  items.forEach((item, i) => {
    const title = item.id || (item.label && item.label[S.langs[0]]) || (item.name && item.name[S.langs[0]]) ||
      item[S.langs[0]] || `${i + 1}`;
    const card = el("div", { class: "card", dataset: { index: i, id: item.id || "" } });
    const head = el("div", { class: "card-head" },
      el("strong", { text: `${label(key).replace(/s$/, "")} ${i + 1}: ${title}` }));
    if (key === "steps" && item.id) {
      head.append(el("button", { type: "button", class: "small", text: "Show screen",
        onclick: () => setPreview("step", S.data.id, item.id) }));
    }
    if (key === "groups" && item.id) {
      head.append(el("button", { type: "button", class: "small", text: "Show screen",
        onclick: () => setPreview("group", item.id, "") }));
    }
    head.append(
      el("button", { type: "button", class: "small", text: "↑", "aria-label": "Move up", disabled: i === 0,
        onclick: () => { items.splice(i - 1, 0, items.splice(i, 1)[0]); changed(true); } }),
      el("button", { type: "button", class: "small", text: "↓", "aria-label": "Move down",
        disabled: i === items.length - 1,
        onclick: () => { items.splice(i + 1, 0, items.splice(i, 1)[0]); changed(true); } }),
      el("button", { type: "button", class: "small danger", text: "Remove",
        onclick: () => { items.splice(i, 1); changed(true); } }));
    card.append(head);
    card.append(isLangTable(item) ? field("text", item, [...path, i], depth + 1, items)
      : fields(item, [...path, i], depth + 1));
    box.append(card);
  });
  box.append(el("button", { type: "button", class: "small", text: `Add ${label(key).replace(/s$/, "")}`,
    onclick: () => { items.push(blank(items, key)); changed(true); } }));
  return box;
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

// ---- saving, checked on every save ---------------------------------------------------

function changed(structural = false) {
  S.pending = true;
  $("save-state").textContent = "Not saved yet…";
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
  $("save-state").textContent = "Saving…";
  S.saving = (async () => {
    try {
      const doc = await api("PUT", `/files/${S.path}`, body);
      S.revision = doc.revision;
      showAllProblems(doc.problems);
      refreshPreview();
      await loadOverview();
      showProblems();
      await loadHistory();
      $("save-state").textContent = `Saved (version ${doc.revision}) and checked`;
    } catch (err) {
      if (err.status === 409) {
        S.conflict = true;
        $("save-state").textContent = "Not saved: conflict";
        const d = err.detail || {};
        const diffs = el("div", { class: "conflict" });
        for (const c of d.changes || []) {
          diffs.append(el("p", { text: `${c.author} · ${c.at} · version ${c.revision}` }), el("pre", { text: c.diff }));
        }
        diffs.append(el("button", { type: "button", text: "Reload their version", onclick: () => openFile(S.path) }));
        banner(err.message, "error", diffs);
      } else {
        S.pending = true;
        $("save-state").textContent = "Not saved";
        banner(`Not saved: ${err.message}`);
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
      const note = el("p", { class: "field-problem", role: "note", text: p.lang ? `${p.lang}: ${p.message}` : p.message });
      (spot.matches(".lang-cell") ? spot : spot).append(note);
    } else {
      $("file-problems").append(el("li", { text: p.text }));
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
    const what = h.action === "original" ? "as it was before the studio" : (h.note || h.action);
    const item = el("li", {}, el("strong", { text: `Version ${h.revision}` }),
      el("span", { class: "muted", text: ` ${h.author || ""} · ${h.at.replace("T", " ").slice(0, 16)} · ${what}` }));
    if (h.diff) item.append(el("details", {}, el("summary", { text: "What changed" }), el("pre", { class: "diff", text: h.diff })));
    if (h.revision !== S.revision) {
      item.append(el("button", { type: "button", class: "small", text: `Restore version ${h.revision}`,
        onclick: () => restore(h.revision) }));
    }
    list.append(item);
  }
  if (!doc.changes.length) list.append(el("li", { class: "muted", text: "No changes yet." }));
}

async function restore(revision) {
  await flushSave();
  try {
    await api("POST", "/restore", { path: S.path, revision, base_revision: S.revision });
    await openFile(S.path);
    await loadOverview();
    showProblems();
    $("save-state").textContent = `Restored version ${revision}`;
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
  const what = screen === "step" ? `${item} · step ${step}` : screen === "group" ? `group ${item}` : "home screen";
  $("pv-what").textContent = what;
  $("pv-state").textContent = "Drawing the screen…";
  $("pv-img").setAttribute("aria-busy", "true");
  try {
    const doc = await api("POST", "/preview", { lang: $("pv-lang").value, shape: $("pv-shape").value,
      site: $("pv-site").value, screen, item, step });
    if (seq !== S.previewSeq) return; // a newer picture is on its way
    $("pv-img").removeAttribute("aria-busy");
    if (doc.error) {
      $("pv-state").textContent = S.problems.length
        ? "No picture while the draft has problems: fix them first." : `No picture: ${doc.error}`;
      $("pv-img").hidden = true;
    } else {
      $("pv-img").src = doc.image;
      $("pv-img").hidden = false;
      $("pv-img").dataset.seq = String(seq);
      $("pv-state").textContent = doc.problems.length ? "Text does not fit:" : "Everything fits.";
    }
    $("pv-problems").replaceChildren(...(doc.problems || []).map((p) => el("li", { text: p })));
  } catch (err) {
    if (seq === S.previewSeq) $("pv-state").textContent = `No picture: ${err.message}`;
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
  try { await player.play(); } catch (err) { banner(`Cannot play: ${err.message}`); }
}

// ---- publish ---------------------------------------------------------------------------------

async function publish() {
  await flushSave();
  const btn = $("publish");
  let fingerprint = null;
  try {
    fingerprint = await Releases.confirmPublish(); // the change summary, confirmed
  } catch (err) {
    banner(`Not published: ${err.message}`);
  }
  if (fingerprint === null) return;
  btn.disabled = true;
  banner("Publishing…", "info");
  try {
    const doc = await api("POST", "/publish", { fingerprint });
    banner(`Published version ${doc.bundle_version} (${doc.new_files} new or changed files). ` +
      "Terminals pick it up at their next check.", "ok");
  } catch (err) {
    const probs = (err.detail && err.detail.problems) || [];
    const list = el("ul", {}, ...probs.map((p) => el("li", { text: typeof p === "string" ? p : p.text })));
    banner(`Not published: ${err.message}`, "error", list);
  }
  await loadOverview();
  await Releases.load();
}

// ---- start -------------------------------------------------------------------------------------

async function start() {
  try {
    await loadOverview();
  } catch (err) {
    banner(err.message);
    return;
  }
  ["pv-lang", "pv-shape", "pv-site"].forEach((id) => $(id).addEventListener("change", refreshPreview));
  $("publish").addEventListener("click", publish);
  window.addEventListener("hashchange", () => openFile(decodeURIComponent(location.hash.slice(1))));
  window.addEventListener("beforeunload", (e) => { if (S.pending) e.preventDefault(); });
  const first = decodeURIComponent(location.hash.slice(1)) || (S.overview.files.find((f) => f.kind === "service") || {}).path;
  await openFile(first);
}

document.addEventListener("DOMContentLoaded", start);
