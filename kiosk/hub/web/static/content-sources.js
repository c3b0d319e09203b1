// Kömək content studio: "Sources to recheck". What the draft's facts rest on, as
// `kiosk content sources` prints it: per service and site every source with the
// day a person read it, every item marked unconfirmed, the sources read more than
// 180 days ago and any item that names no source. Words say what is due, not
// colour alone. Built with textContent only; texts in az, ru and en.
"use strict";

(() => {
  const API = "/api/v1/studio/content/sources";
  const $ = (id) => document.getElementById(id);
  let last = null;

  Shell.addTexts({
    az: {
      src_title: "Yoxlanmalı mənbələr",
      src_summary: "{sources} mənbə, {stale} mənbə {days} gündən çox əvvəl oxunub, {unofficial} rəsmi saytda deyil, {unconfirmed} təsdiqlənməmiş, {missing} mənbəsiz (bu gün {today}).",
      src_unofficial: "RƏSMİ SƏHİFƏ DEYİL: rəsmi səhifə ilə yoxlayın",
      src_checked: "{day} oxunub ({age} gün əvvəl)", src_no_day: "tarixsiz",
      src_recheck: "YENİDƏN YOXLAYIN", src_missing: "Mənbəsi yoxdur: {item}",
      src_unconfirmed: "Təsdiqlənməyib: {item} (göndərilir: {ask}): {text}",
      src_unused: "Heç nə istinad etmir: {key}", src_cannot: "Mənbələr göstərilə bilmir: {error}",
      src_unreadable: "Qaralama oxunmur: əvvəlcə yuxarıdakı problemləri düzəldin.",
      src_notes: "{missing} mənbəsiz, {stale} yoxlanmalı, {unconfirmed} təsdiqlənməmiş",
      src_ask_volunteer: "könüllü", src_ask_142: "142",
    },
    ru: {
      src_title: "Источники для проверки",
      src_summary: "Источников: {sources}, прочитаны более {days} дней назад: {stale}, не на официальном сайте: {unofficial}, не подтверждено: {unconfirmed}, без источника: {missing} (сегодня {today}).",
      src_unofficial: "НЕ ОФИЦИАЛЬНАЯ СТРАНИЦА: сверьте с официальной",
      src_checked: "прочитан {day} ({age} дн. назад)", src_no_day: "без даты",
      src_recheck: "ПРОВЕРИТЬ СНОВА", src_missing: "Нет источника: {item}",
      src_unconfirmed: "Не подтверждено: {item} (направляем: {ask}): {text}",
      src_unused: "Ни на что не ссылается: {key}", src_cannot: "Не удалось показать источники: {error}",
      src_unreadable: "Черновик не читается: сначала исправьте проблемы выше.",
      src_notes: "без источника: {missing}, проверить: {stale}, не подтверждено: {unconfirmed}",
      src_ask_volunteer: "волонтёр", src_ask_142: "142",
    },
    en: {
      src_title: "Sources to recheck",
      src_summary: "{sources} sources, {stale} read over {days} days ago, {unofficial} not on an official domain, {unconfirmed} unconfirmed items, {missing} without a source (today {today}).",
      src_unofficial: "NOT AN OFFICIAL PAGE: recheck against an official one",
      src_checked: "read {day} ({age} days ago)", src_no_day: "no date",
      src_recheck: "RECHECK", src_missing: "No source: {item}",
      src_unconfirmed: "Unconfirmed: {item} (sent to: {ask}): {text}",
      src_unused: "Cited by nothing: {key}", src_cannot: "Cannot list the sources: {error}",
      src_unreadable: "The draft cannot be read: fix the problems above first.",
      src_notes: "{missing} without a source, {stale} to recheck, {unconfirmed} unconfirmed",
      src_ask_volunteer: "the volunteer", src_ask_142: "142",
    },
  });

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "text") node.textContent = v;
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children) if (c) node.append(c);
    return node;
  }

  function sourceRow(s) {
    const when = s.checked ? Shell.t("src_checked", { day: s.checked, age: s.age_days }) : Shell.t("src_no_day");
    const link = el("a", { href: s.url, rel: "noopener noreferrer", target: "_blank", text: s.url });
    const unofficial = s.official === false;
    return el("li", { class: s.stale || unofficial ? "stale" : null },
      el("strong", { text: s.key }), ` ${when}`,
      s.stale ? el("span", { class: "flag", text: ` ${Shell.t("src_recheck")}` }) : null,
      unofficial ? el("span", { class: "flag unofficial", text: ` ${Shell.t("src_unofficial")}` }) : null,
      s.title ? ` — ${s.title}` : "", el("br"), link);
  }

  function fileEntry(f) {
    const due = f.missing.length + f.stale.length + f.unconfirmed.length;
    const summary = el("summary", {},
      el("a", { href: `#${f.file}`, text: `${f.kind} ${f.id}` }),
      due ? el("span", { class: "count", text: ` ${Shell.t("src_notes", {
        missing: f.missing.length, stale: f.stale.length, unconfirmed: f.unconfirmed.length })}` }) : null);
    const body = el("ul", { class: "source-list" });
    for (const m of f.missing) body.append(el("li", { class: "missing", text: Shell.t("src_missing", { item: m }) }));
    for (const s of f.sources) body.append(sourceRow(s));
    for (const u of f.unconfirmed) {
      const ask = Shell.t(u.ask === "142" ? "src_ask_142" : "src_ask_volunteer");
      body.append(el("li", { class: "unconfirmed",
        text: Shell.t("src_unconfirmed", { item: u.item, ask, text: u.text }) }));
    }
    for (const k of f.unused) body.append(el("li", { class: "muted", text: Shell.t("src_unused", { key: k }) }));
    return el("li", {}, el("details", { open: due ? true : null }, summary, body));
  }

  function render() {
    const state = $("sources-summary");
    if (!state || !last) return;
    if (last.error) {
      state.textContent = Shell.t("src_cannot", { error: last.error });
      return;
    }
    if (last.unreadable) {
      state.textContent = Shell.t("src_unreadable");
      $("sources-list").replaceChildren();
      return;
    }
    const t = last.totals;
    state.textContent = Shell.t("src_summary", { sources: t.sources, stale: t.stale, days: last.stale_days,
      unofficial: t.unofficial || 0,
      unconfirmed: t.unconfirmed, missing: t.missing, today: last.today });
    $("sources-list").replaceChildren(...last.files.map(fileEntry));
  }

  async function load() {
    try {
      last = await Shell.api("GET", API);
    } catch (err) {
      last = { error: err.message };
    }
    render();
  }

  // The studio says when it has read the draft's overview: on opening, after a
  // save, a restore and a publish.
  document.addEventListener("studio:overview", load);
  Shell.onLanguage(render);
})();
