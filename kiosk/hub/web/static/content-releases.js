// Kömək content studio, releases: the confirm step before Publish (what changes for
// the fleet: services, texts, recordings, sites, other files, each added, changed or
// removed), the list of releases, and rolling the fleet back to an earlier release
// (published as a new version). Uses content-studio.js's api(), banner() and
// loadOverview(). Data goes into the page with textContent only.
"use strict";

const Releases = (() => {
  const TEXT = {
    az: {
      rel_title: "Buraxılışlar", rel_current: "indiki", rel_by: "{w}", rel_back: "Bu buraxılışa qayıt",
      rel_none: "Hələ buraxılış yoxdur.", rel_files: "{n} fayl",
      confirm_publish: "{v} versiyası dərc edilsin?", confirm_back: "Terminallar {t} versiyasına qaytarılsın?",
      confirm_back_lead: "{t} versiyasının məzmunu yeni {v} versiyası kimi dərc ediləcək. Qaralama dəyişmir.",
      confirm_lead: "Terminallar üçün bu dəyişəcək:", nothing: "Terminallar üçün heç nə dəyişmir.",
      problems: "Əvvəlcə {n} problemi düzəldin.",
      yes_publish: "Dərc et", yes_back: "Qaytar", cancel: "İmtina",
      services: "Xidmətlər", texts: "Mətnlər", recordings: "Səs yazıları", sites: "Məntəqələr", other: "Digər fayllar",
      added: "əlavə edilib", changed: "dəyişib", removed: "silinib",
      rolled_back: "Terminallar {t} versiyasına qaytarıldı: {v} versiyası dərc edildi.",
      back_note: "{t} versiyasına qayıdış",
      voice_warn: "Sintetik səs bunları səhv oxuyacaq. Bu, dərcə mane olmur; mətni düzəldin və ya insan səsi yazın:",
      pilot_label: "Kimə", pilot_all: "Bütün məntəqələr", pilot_one: "Yalnız {s} (sınaq)",
      pilot_of: "sınaq: {s}", promote: "Bütün məntəqələrə ver", every_note: "{t} versiyası bütün məntəqələrə",
      confirm_promote: "{t} versiyası bütün məntəqələrə verilsin?",
      confirm_promote_lead: "{t} versiyasının məzmunu bütün məntəqələr üçün yeni {v} versiyası kimi dərc ediləcək.",
      promoted: "{t} versiyası bütün məntəqələrə verildi: {v} versiyası dərc edildi.",
    },
    ru: {
      rel_title: "Выпуски", rel_current: "текущий", rel_by: "{w}", rel_back: "Вернуть этот выпуск",
      rel_none: "Выпусков пока нет.", rel_files: "{n} файлов",
      confirm_publish: "Опубликовать версию {v}?", confirm_back: "Вернуть терминалы к версии {t}?",
      confirm_back_lead: "Содержимое версии {t} будет опубликовано как новая версия {v}. Черновик не меняется.",
      confirm_lead: "Для терминалов изменится:", nothing: "Для терминалов ничего не меняется.",
      problems: "Сначала исправьте проблемы: {n}.",
      yes_publish: "Опубликовать", yes_back: "Вернуть", cancel: "Отмена",
      services: "Услуги", texts: "Тексты", recordings: "Записи голоса", sites: "Пункты", other: "Другие файлы",
      added: "добавлено", changed: "изменено", removed: "удалено",
      rolled_back: "Терминалы возвращены к версии {t}: опубликована версия {v}.",
      back_note: "возврат к версии {t}",
      voice_warn: "Синтетический голос прочтёт это неправильно. Публикации это не мешает; исправьте текст или запишите живой голос:",
      pilot_label: "Для кого", pilot_all: "Все пункты", pilot_one: "Только {s} (пилот)",
      pilot_of: "пилот: {s}", promote: "Выдать всем пунктам", every_note: "версия {t} для всех пунктов",
      confirm_promote: "Выдать версию {t} всем пунктам?",
      confirm_promote_lead: "Содержимое версии {t} будет опубликовано как новая версия {v} для всех пунктов.",
      promoted: "Версия {t} выдана всем пунктам: опубликована версия {v}.",
    },
    en: {
      rel_title: "Releases", rel_current: "current", rel_by: "{w}", rel_back: "Roll back to this",
      rel_none: "No releases yet.", rel_files: "{n} files",
      confirm_publish: "Publish version {v}?", confirm_back: "Roll the terminals back to version {t}?",
      confirm_back_lead: "The content of version {t} is published as the new version {v}. The draft does not change.",
      confirm_lead: "For the terminals this changes:", nothing: "Nothing changes for the terminals.",
      problems: "Fix {n} problem(s) first.",
      yes_publish: "Publish", yes_back: "Roll back", cancel: "Cancel",
      services: "Services", texts: "Texts", recordings: "Recordings", sites: "Sites", other: "Other files",
      added: "added", changed: "changed", removed: "removed",
      rolled_back: "The terminals go back to version {t}: version {v} is published.",
      back_note: "back to version {t}",
      voice_warn: "The synthetic voice would misread these. This does not stop publishing; rewrite the text or record a human voice:",
      pilot_label: "For", pilot_all: "Every site", pilot_one: "Only {s} (pilot)",
      pilot_of: "pilot: {s}", promote: "Give it to every site", every_note: "version {t} for every site",
      confirm_promote: "Give version {t} to every site?",
      confirm_promote_lead: "The content of version {t} is published as the new version {v} for every site.",
      promoted: "Version {t} goes to every site: version {v} is published.",
    },
  };
  let list = null;

  function lang() {
    const shell = window.Shell || window.Studio;
    const chosen = (shell && shell.lang) || localStorage.getItem("komek.lang") || "az";
    return TEXT[chosen] ? chosen : "az";
  }

  function t(key, vars) {
    let s = TEXT[lang()][key] ?? TEXT.en[key] ?? key;
    for (const [k, v] of Object.entries(vars || {})) s = s.replaceAll(`{${k}}`, String(v));
    return s;
  }

  // Why the hub refused, each reason in the reader's language (the hub sends az, ru, en).
  function reasons(err) {
    const probs = (err.detail && err.detail.problems) || [];
    const said = probs.map((p) => (typeof p === "string" ? p : (p.texts && p.texts[lang()]) || p.text || ""));
    if (!said.length) return "";
    // A sentence of its own: its first letter as the reader's language writes it (az: i -> İ).
    const first = said.join("; ");
    return " " + first.charAt(0).toLocaleUpperCase(lang()) + first.slice(1);
  }

  function node(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function changeList(doc) {
    const box = node("div", "changes");
    if (doc.empty) {
      box.append(node("p", "", t("nothing")));
      return box;
    }
    box.append(node("p", "", t("confirm_lead")));
    const ul = node("ul", "change-list");
    for (const [kind, got] of Object.entries(doc.changes)) {
      for (const how of ["added", "changed", "removed"]) {
        if (!got[how] || !got[how].length) continue;
        const li = node("li", "");
        li.dataset.kind = kind;
        li.dataset.how = how;
        li.append(node("strong", "", `${t(kind)} ${t(how)} (${got[how].length}): `));
        li.append(document.createTextNode(got[how].join(", ")));
        ul.append(li);
      }
    }
    box.append(ul);
    return box;
  }

  // A modal question: resolves true (yes) or false.
  function ask(title, lead, doc, yes, extra) {
    return new Promise((resolve) => {
      const dialog = node("dialog", "confirm");
      dialog.id = "confirm";
      dialog.append(node("h2", "", title));
      if (lead) dialog.append(node("p", "", lead));
      dialog.append(changeList(doc));
      if (extra) dialog.append(extra);
      const row = node("div", "confirm-buttons");
      const ok = node("button", "primary", t(yes));
      ok.type = "button";
      ok.id = "confirm-yes";
      const no = node("button", "tool", t("cancel"));
      no.type = "button";
      no.id = "confirm-no";
      row.append(no, ok);
      dialog.append(row);
      const done = (answer) => {
        dialog.close();
        dialog.remove();
        resolve(answer);
      };
      ok.addEventListener("click", () => done(true));
      no.addEventListener("click", () => done(false));
      dialog.addEventListener("cancel", (e) => {
        e.preventDefault();
        done(false);
      });
      document.body.append(dialog);
      dialog.showModal();
    });
  }

  // The fingerprint of what the admin confirmed, or null when they did not.
  async function confirmPublish() {
    const doc = await api("GET", "/publish/summary");
    if (doc.problems) {
      banner(t("problems", { n: doc.problems }));
      return null;
    }
    // A pilot: one site's terminals install it first (the others wait for "every site").
    // S is content-studio.js's state (a global binding, not a window property).
    const overview = typeof S !== "undefined" && S.overview ? S.overview : { files: [] };
    const sites = (overview.files || [])
      .filter((f) => f.kind === "site")
      .map((f) => f.id);
    const label = node("label", "pilot");
    label.append(node("span", "", `${t("pilot_label")} `));
    const select = node("select", "");
    select.id = "confirm-pilot";
    const every = node("option", "", t("pilot_all"));
    every.value = "";
    select.append(every);
    for (const site of sites) {
      const o = node("option", "", t("pilot_one", { s: site }));
      o.value = site;
      select.append(o);
    }
    label.append(select);
    const extra = node("div", "");
    const warned = doc.voice_warnings || [];
    if (warned.length) {
      // Only warnings: the admin may publish anyway.
      const box = node("div", "voice-warnings");
      box.id = "confirm-voice-warnings";
      box.append(node("p", "", t("voice_warn")));
      const ul = node("ul", "");
      for (const w of warned) ul.append(node("li", "", (w.texts && w.texts[lang()]) || w.text || ""));
      box.append(ul);
      extra.append(box);
    }
    extra.append(label);
    const yes = await ask(t("confirm_publish", { v: doc.next_version }), "", doc, "yes_publish", extra);
    if (!yes) return null;
    return { fingerprint: doc.fingerprint, pilot: select.value ? [select.value] : [] };
  }

  async function rollBack(version, promote = false) {
    try {
      const doc = await api("GET", `/releases/${version}/summary`);
      const next = (doc.published_version || 0) + 1;
      const key = promote ? "promote" : "back";
      const yes = await ask(
        t(`confirm_${key}`, { t: version }),
        t(`confirm_${key}_lead`, { t: version, v: next }),
        doc,
        promote ? "yes_publish" : "yes_back",
      );
      if (!yes) return false; // nothing changed: the next tap is free (Shell.act)
      const done = await api("POST", "/rollback", { version, promote });
      const said = promote ? "promoted" : "rolled_back";
      banner(t(said, { t: done.to_version, v: done.bundle_version }), "ok");
    } catch (err) {
      banner(`${err.message}${reasons(err)}`);
    }
    await load();
    if (typeof loadOverview === "function") await loadOverview();
  }

  function render() {
    const box = document.getElementById("releases");
    if (!box) return;
    const title = document.getElementById("releases-title");
    if (title) title.textContent = t("rel_title");
    box.replaceChildren();
    if (!list) return;
    if (!list.releases.length) box.append(node("li", "muted", t("rel_none")));
    for (const r of list.releases) {
      const li = node("li", "release");
      li.dataset.version = String(r.version);
      const when = new Date(r.at);
      const date = Number.isNaN(when.getTime()) ? r.at : when.toLocaleString(lang());
      const head = [`v${r.version}`, date, r.by].filter(Boolean).join(" · ");
      li.append(node("strong", "", head));
      if (r.current) li.append(node("span", "badge", ` ${t("rel_current")}`));
      let note = r.note;
      if (note.startsWith("rollback to version ")) note = t("back_note", { t: note.split(" ").pop() });
      else if (/^version \d+ for every site$/.test(note)) note = t("every_note", { t: note.split(" ")[1] });
      if (r.sites && r.sites.length) note = [t("pilot_of", { s: r.sites.join(", ") }), note].filter(Boolean).join(" · ");
      const summary = r.summary
        .replace(/\b(services|texts|recordings|sites|other)\b/g, (kind) => t(kind).toLowerCase())
        .replace(/^no changes$/, t("nothing"));
      const said = [note, summary, t("rel_files", { n: r.files })].filter(Boolean).join(" · ");
      li.append(node("div", "muted", said));
      if (!list.publish_problem && r.current && r.sites && r.sites.length) {
        const b = node("button", "tool", t("promote"));
        b.type = "button";
        b.dataset.action = "promote";
        b.addEventListener("click", () => Shell.act(() => rollBack(r.version, true)));
        li.append(b);
      }
      if (!r.current && !list.publish_problem) {
        const b = node("button", "tool", t("rel_back"));
        b.type = "button";
        b.dataset.action = "rollback";
        b.addEventListener("click", () => Shell.act(() => rollBack(r.version)));
        li.append(b);
      }
      box.append(li);
    }
  }

  async function load() {
    try {
      list = await api("GET", "/releases");
    } catch (err) {
      list = null;
    }
    render();
  }

  document.addEventListener("DOMContentLoaded", () => {
    const shell = window.Shell || window.Studio;
    if (shell && shell.onLanguage) shell.onLanguage(render);
    load();
  });

  return { confirmPublish, load, reasons, render, t };
})();
