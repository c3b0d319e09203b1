// The impact report page: its texts; the form itself downloads the PDF or CSV.
"use strict";

Studio.addTexts({
  az: {
    report_title: "Aylıq hesabat", report_month: "Ay", report_site: "Rayon",
    report_all: "Bütün rayonlar", report_lang: "Hesabatın dili",
    report_pdf: "PDF yüklə", report_csv: "CSV yüklə",
    report_intro: "Neçə sakinə kömək edildi, hansı xidmətlərlə və nə qədər tez: maliyyəçilər və rayon idarələri üçün.",
    report_privacy: "Yalnız anonim saylar; 5-dən az olan saylar «< 5» kimi göstərilir. Ad, telefon və bilet nömrəsi hesabata düşmür.",
  },
  ru: {
    report_title: "Отчёт за месяц", report_month: "Месяц", report_site: "Район",
    report_all: "Все районы", report_lang: "Язык отчёта",
    report_pdf: "Скачать PDF", report_csv: "Скачать CSV",
    report_intro: "Скольким жителям помогли, с какими услугами и как быстро: для тех, кто финансирует, и районных органов.",
    report_privacy: "Только анонимные числа; числа меньше 5 показаны как «< 5». Имена, телефоны и номера талонов в отчёт не попадают.",
  },
  en: {
    report_title: "Monthly impact report", report_month: "Month", report_site: "District",
    report_all: "All districts", report_lang: "Report language",
    report_pdf: "Download PDF", report_csv: "Download CSV",
    report_intro: "How many residents were helped, with what, and how fast: for funders and district offices.",
    report_privacy: "Anonymous counts only; counts under 5 are shown as \"< 5\". No name, phone or ticket number reaches the report.",
  },
});

Studio.onLanguage((lang) => {
  const pick = document.getElementById("report-lang");
  if (pick && !pick.dataset.touched) pick.value = lang;
  for (const option of document.querySelectorAll("#report-site option[data-names]")) {
    const names = JSON.parse(option.dataset.names);
    option.textContent = names[lang] || names.az || option.value;
  }
});
document.getElementById("report-lang")?.addEventListener("change", (e) => {
  e.target.dataset.touched = "1";
});
