"""What the content checks say, in az, ru and en: each problem has a stable code
and a text per language, the same pattern as the hub's error catalogue
(kiosk/hub/web/errors.py, which takes these codes into its own TEXTS).

A check says `said("checked_future", date=..., today=...)`: an English sentence
(what `kiosk content validate` prints, what the logs keep) that also carries its
code and values, so the content studio can show the same problem in the admin's
language. A value may be a `Said` itself (why a url or link is refused, what
type a key should have): it is told in the same language. Values are the
content's own words (a key, a file name, a url), shown as they are written.

A new check: add its code and three texts here and say it with `said`; a test
keeps every text's {placeholders} the same in the three languages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

LANGS = ("az", "ru", "en")

# code -> its text in each language ({name} and {name!r} are the values).
TEXTS: dict[str, dict[str, str]] = {
    # ---- files
    "file_missing": {
        "az": "fayl yoxdur",
        "ru": "файл отсутствует",
        "en": "file is missing",
    },
    "toml_invalid": {
        "az": "düzgün TOML deyil: {error}",
        "ru": "это не правильный TOML: {error}",
        "en": "not valid TOML: {error}",
    },
    "too_deep": {
        "az": "{n}-dən çox cədvəl və ya siyahı bir-birinin içindədir",
        "ru": "вложено глубже {n} таблиц или списков",
        "en": "is nested more than {n} tables or lists deep",
    },
    "too_many_files": {
        "az": "{n} faylı var; paketdə ən çoxu {max} fayl ola bilər",
        "ru": "в нём {n} файлов; в пакете может быть не больше {max}",
        "en": "has {n} files; a bundle may have {max}",
    },
    "toml_too_big": {
        "az": "{size:,} baytdır; TOML faylı ən çoxu {limit:,} bayt ({mb}) ola bilər",
        "ru": "{size:,} байт; файл TOML может быть не больше {limit:,} байт ({mb})",
        "en": "is {size:,} bytes; a TOML file may be {limit:,} bytes ({mb})",
    },
    "file_too_big": {
        "az": "{size:,} baytdır; fayl ən çoxu {limit:,} bayt ({mb}) ola bilər",
        "ru": "{size:,} байт; файл может быть не больше {limit:,} байт ({mb})",
        "en": "is {size:,} bytes; a file may be {limit:,} bytes ({mb})",
    },
    "bundle_too_big": {
        "az": "{size} həcmindədir; paket ən çoxu {limit} ola bilər",
        "ru": "занимает {size}; пакет может быть не больше {limit}",
        "en": "is {size}; a bundle may be {limit}",
    },
    "key_too_long": {
        "az": "{n} simvoldan uzun açarı var",
        "ru": "в нём есть ключ длиннее {n} символов",
        "en": "has a key longer than {n} characters",
    },
    "text_too_long": {
        "az": "{n} simvoldur; mətn ən çoxu {max} simvol ola bilər",
        "ru": "длина {n} символов; текст может быть не длиннее {max}",
        "en": "is {n} characters long; a text may be {max}",
    },
    "number_too_big": {
        "az": "{value!r} çox böyükdür: məzmunda ədəd ən çoxu {max:,} ola bilər "
        "(2^53, terminalların və monitorinqin dəqiq oxuduğu)",
        "ru": "{value!r} слишком большое: числа в контенте не больше {max:,} "
        "(2^53, что терминалы и мониторинг читают точно)",
        "en": "{value!r} is too large: numbers in content may be at most {max:,} "
        "(2^53, what terminals and monitoring read exactly)",
    },
    "wrong_type": {
        "az": "{expected} olmalıdır, {got} yox",
        "ru": "должно быть {expected}, а не {got}",
        "en": "must be {expected}, not {got}",
    },
    # what a key should be, and what it was (in "must be X, not Y")
    "t_lang_table": {
        "az": 'dillər cədvəli, məsələn {{ az = "...", ru = "..." }}',
        "ru": 'таблица языков, например {{ az = "...", ru = "..." }}',
        "en": 'a table of languages like {{ az = "...", ru = "..." }}',
    },
    "t_file_table": {
        "az": 'fayl adları cədvəli, məsələn {{ az = "audio/az/x.ogg" }}',
        "ru": 'таблица имён файлов, например {{ az = "audio/az/x.ogg" }}',
        "en": 'a table of file names like {{ az = "audio/az/x.ogg" }}',
    },
    "t_keys": {
        "az": 'mənbə açarı və ya onların siyahısı, məsələn "dsmf" və ya ["dsmf", "mygov"]',
        "ru": 'ключ источника или их список, например "dsmf" или ["dsmf", "mygov"]',
        "en": 'a source key or a list of them, like "dsmf" or ["dsmf", "mygov"]',
    },
    "t_table": {"az": "cədvəl", "ru": "таблица", "en": "a table"},
    "t_list_tables": {
        "az": "cədvəllər siyahısı ([[...]] bölmələri)",
        "ru": "список таблиц (разделы [[...]])",
        "en": "a list of tables ([[...]] sections)",
    },
    "t_list_of": {"az": "siyahı: {inner}", "ru": "список: {inner}", "en": "a list of {inner}"},
    "t_whole": {"az": "tam ədəd", "ru": "целое число", "en": "a whole number"},
    "t_bool": {"az": "true və ya false", "ru": "true или false", "en": "true or false"},
    "t_text": {"az": "mətn", "ru": "текст", "en": "text"},
    "t_text_or_date": {"az": "mətn və ya tarix", "ru": "текст или дата", "en": "text or a date"},
    "t_text_or_list": {
        "az": "mətn və ya mətnlər siyahısı",
        "ru": "текст или список текстов",
        "en": "text or a list of texts",
    },
    "g_table": {"az": "cədvəl", "ru": "таблица", "en": "a table"},
    "g_list": {"az": "siyahı", "ru": "список", "en": "a list"},
    "g_bool": {"az": "true/false", "ru": "true/false", "en": "true/false"},
    "g_number": {"az": "ədəd", "ru": "число", "en": "a number"},
    "g_text": {"az": "mətn", "ru": "текст", "en": "text"},
    # ---- texts in every language
    "text_missing": {
        "az": "'{key}' yoxdur",
        "ru": "нет '{key}'",
        "en": "'{key}' is missing",
    },
    "text_not_table": {
        "az": '\'{key}\' dillər cədvəli olmalıdır, məsələn {{ az = "...", ru = "..." }}',
        "ru": '\'{key}\' должен быть таблицей языков, например {{ az = "...", ru = "..." }}',
        "en": '\'{key}\' must be a table of languages like {{ az = "...", ru = "..." }}',
    },
    "text_empty": {
        "az": "'{key}' mətni yoxdur (tərcümə yazılmayıb)",
        "ru": "у '{key}' нет текста (перевод не написан)",
        "en": "'{key}' has no text",
    },
    "text_invisible": {
        "az": "'{key}' mətnində görünməyən və ya idarəedici simvol var ({char}): silin",
        "ru": "в тексте '{key}' невидимый или управляющий символ ({char}): удалите его",
        "en": "'{key}' holds an invisible or control character ({char}): remove it",
    },
    "text_extra_lang": {
        "az": "'{key}' paketin elan etmədiyi dildədir",
        "ru": "у '{key}' есть язык, которого пакет не объявляет",
        "en": "'{key}' has a language the bundle does not declare",
    },
    "audio_not_table": {
        "az": "'{key}_audio' dillər cədvəli olmalıdır",
        "ru": "'{key}_audio' должен быть таблицей языков",
        "en": "'{key}_audio' must be a table of languages",
    },
    "audio_not_name": {
        "az": "səs yazısı fayl adı olmalıdır",
        "ru": "запись должна быть именем файла",
        "en": "recorded audio must be a file name",
    },
    "audio_outside": {
        "az": "səs yazısı {file!r} paketdən kənardadır",
        "ru": "запись {file!r} лежит вне пакета",
        "en": "recorded audio {file!r} is outside the bundle",
    },
    "audio_kind": {
        "az": "səs yazısı {file!r} .wav, .ogg və ya .mp3 olmalıdır",
        "ru": "запись {file!r} должна быть .wav, .ogg или .mp3",
        "en": "recorded audio {file!r} must be .wav, .ogg or .mp3",
    },
    "audio_missing": {
        "az": "səs yazısı {file!r} yoxdur",
        "ru": "записи {file!r} нет",
        "en": "recorded audio {file!r} does not exist",
    },
    "audio_unreadable": {
        "az": "səs yazısı {file!r} oxunan səs faylı deyil",
        "ru": "запись {file!r} не читается как звук",
        "en": "recorded audio {file!r} is not readable audio",
    },
    # ---- names and pictograms
    "bad_id": {
        "az": "{what} {value!r} yalnız kiçik hərflər, rəqəmlər və tirelərdən ibarət olmalıdır",
        "ru": "{what} {value!r} должен состоять из строчных букв, цифр и дефисов",
        "en": "{what} {value!r} must be lower-case letters, digits and dashes",
    },
    "w_id": {"az": "id", "ru": "id", "en": "id"},
    "w_step_id": {"az": "addımın id-si", "ru": "id шага", "en": "step id"},
    "w_source_key": {"az": "mənbə açarı", "ru": "ключ источника", "en": "source key"},
    "w_place_name": {"az": "yerin adı", "ru": "имя места", "en": "place name"},
    "w_none": {"az": "heç biri", "ru": "ни одного", "en": "none"},
    "bad_icon": {
        "az": "piktoqram {value!r} Material Design Icons adı deyil",
        "ru": "пиктограмма {value!r} не является именем Material Design Icons",
        "en": "pictogram {value!r} is not a Material Design Icons name",
    },
    # ---- sources: the pages a person read, and when
    "sources_not_tables": {
        "az": "'sources' [sources.dsmf] kimi cədvəllər olmalıdır",
        "ru": "'sources' должны быть таблицами вида [sources.dsmf]",
        "en": "'sources' must be tables like [sources.dsmf]",
    },
    "source_not_table": {
        "az": "url və checked olan cədvəl olmalıdır",
        "ru": "должен быть таблицей с url и checked",
        "en": "must be a table with url and checked",
    },
    "source_unknown_key": {
        "az": "naməlum açar {key!r}; mənbədə url, checked, title, note olur",
        "ru": "неизвестный ключ {key!r}; у источника есть url, checked, title, note",
        "en": "unknown key {key!r}; a source has url, checked, title, note",
    },
    "source_no_url": {
        "az": "'url' (insanın oxuduğu səhifə) yoxdur",
        "ru": "нет 'url' (страницы, которую прочитал человек)",
        "en": "'url' (the page a person read) is missing",
    },
    "source_bad_url": {
        "az": "url {url!r}: {why}",
        "ru": "url {url!r}: {why}",
        "en": "url {url!r} {why}",
    },
    "url_spaces": {
        "az": "içində boşluq var",
        "ru": "в нём есть пробелы",
        "en": "has spaces in it",
    },
    "url_unreadable": {
        "az": "veb ünvan kimi oxunmur: {error}",
        "ru": "не читается как веб-адрес: {error}",
        "en": "cannot be read as a web address: {error}",
    },
    "source_not_https": {
        "az": "https:// ilə başlamalıdır (http:// və başqaları olmaz)",
        "ru": "должен начинаться с https:// (не http:// и не другое)",
        "en": "must start with https:// (not http:// or anything else)",
    },
    "url_no_host": {
        "az": "host adı yoxdur",
        "ru": "в нём нет имени хоста",
        "en": "has no host name",
    },
    "url_userinfo": {
        "az": "istifadəçi adı və ya parol saxlamamalıdır",
        "ru": "не должен содержать имя пользователя или пароль",
        "en": "must not hold a user name or password",
    },
    "source_no_checked": {
        "az": "'checked' (insanın səhifəni oxuduğu gün) yoxdur",
        "ru": "нет 'checked' (дня, когда человек прочитал страницу)",
        "en": "'checked' (the day a person read the page) is missing",
    },
    "checked_not_date": {
        "az": "'checked' dırnaqsız yazılmış tarix olmalıdır, məsələn checked = 2026-11-29, "
        "{value!r} yox",
        "ru": "'checked' должен быть датой без кавычек, например checked = 2026-11-29, "
        "а не {value!r}",
        "en": "'checked' must be a date written without quotes, like checked = 2026-11-29, "
        "not {value!r}",
    },
    "checked_too_old": {
        "az": "'checked' {date} 2000-ci ildən əvvəldir: səhv yazılıb?",
        "ru": "'checked' {date} раньше 2000 года: опечатка?",
        "en": "'checked' {date} is before 2000: mistyped?",
    },
    "checked_future": {
        "az": "'checked' {date} gələcəkdədir (bu gün {today})",
        "ru": "'checked' {date} в будущем (сегодня {today})",
        "en": "'checked' {date} is in the future (today is {today})",
    },
    "old_source_keys": {
        "az": "{keys} burada artıq oxunmur: hər səhifəni [sources.KEY] (url, checked) altında "
        'yazın və hər elementdən ona istinad edin (source = "KEY")',
        "ru": "{keys} здесь больше не читается: перечислите каждую страницу в [sources.KEY] "
        '(url, checked) и ссылайтесь на неё из каждого элемента (source = "KEY")',
        "en": "{keys} here is no longer read: list each page under [sources.KEY] (url, checked) "
        'and cite it from each item (source = "KEY")',
    },
    "source_ref_type": {
        "az": 'source mənbə açarı və ya onların siyahısı olmalıdır, məsələn "dsmf"',
        "ru": 'source должен быть ключом источника или их списком, например "dsmf"',
        "en": 'source must be a source key or a list of them, like "dsmf"',
    },
    "unknown_source": {
        "az": "mənbə {key!r} bu faylın [sources] bölməsində yoxdur (orada olanlar: {known}); "
        "url və checked ilə [sources.{key}] əlavə edin",
        "ru": "источника {key!r} нет в [sources] этого файла (там есть: {known}); "
        "добавьте [sources.{key}] с url и checked",
        "en": "source {key!r} is not in this file's [sources] (it has: {known}); "
        "add [sources.{key}] with url and checked",
    },
    "unconfirmed_not_bool": {
        "az": "unconfirmed true və ya false olmalıdır",
        "ru": "unconfirmed должно быть true или false",
        "en": "unconfirmed must be true or false",
    },
    "bad_ask": {
        "az": "ask {value!r} bunlardan biri olmalıdır: {choices}",
        "ru": "ask {value!r} должно быть одним из: {choices}",
        "en": "ask {value!r} must be one of {choices}",
    },
    "no_source": {
        "az": 'mənbə göstərilməyib: faylın [sources] bölməsindən birinə istinad edin (source = "KEY") '
        "və ya unconfirmed = true yazın",
        "ru": 'не указан источник: сошлитесь на один из [sources] файла (source = "KEY") '
        "или отметьте unconfirmed = true",
        "en": 'names no source: cite one of the file\'s [sources] (source = "KEY") '
        "or mark it unconfirmed = true",
    },
    # ---- the bundle
    "language_incomplete": {
        "az": "code və name lazımdır",
        "ru": "нужны code и name",
        "en": "needs code and name",
    },
    "language_required": {
        "az": "{code!r} dili mütləqdir",
        "ru": "язык {code!r} обязателен",
        "en": "language {code!r} is required",
    },
    "bad_version": {
        "az": "1 və ya daha böyük tam ədəd olmalıdır",
        "ru": "должно быть целым числом от 1",
        "en": "must be a whole number, 1 or more",
    },
    "string_missing": {
        "az": "yoxdur",
        "ru": "отсутствует",
        "en": "is missing",
    },
    "no_services": {"az": "xidmət yoxdur", "ru": "нет услуг", "en": "no services"},
    "no_sites": {
        "az": "məntəqə profili yoxdur",
        "ru": "нет профилей пунктов",
        "en": "no site profiles",
    },
    "id_twice": {
        "az": "id {file} faylında da istifadə olunub",
        "ru": "этот id уже используется в {file}",
        "en": "id is also used in {file}",
    },
    # ---- services and their steps
    "file_name": {
        "az": "faylın adı {name}.toml olmalıdır",
        "ru": "файл должен называться {name}.toml",
        "en": "file name must be {name}.toml",
    },
    "no_steps": {"az": "addımı yoxdur", "ru": "нет шагов", "en": "has no steps"},
    "bad_step_kind": {
        "az": "naməlum növ {value!r}; bunlardan birini yazın: {choices}",
        "ru": "неизвестный вид {value!r}; используйте один из: {choices}",
        "en": "unknown kind {value!r}; use one of {choices}",
    },
    "bad_action": {
        "az": "naməlum əməl {value!r}",
        "ru": "неизвестное действие {value!r}",
        "en": "unknown action {value!r}",
    },
    "choice_target": {
        "az": "go, flow və ya action-dan dəqiq biri lazımdır",
        "ru": "нужно ровно одно из go, flow или action",
        "en": "needs exactly one of go, flow or action",
    },
    "question_choices": {
        "az": "sualın iki-dörd seçimi olmalıdır",
        "ru": "у вопроса должно быть от двух до четырёх вариантов",
        "en": "a question needs two to four choices",
    },
    "document_say_table": {
        "az": "'say' dillər cədvəli olmalıdır, məsələn {{ ru = \"...\" }}",
        "ru": "'say' должен быть таблицей языков, например {{ ru = \"...\" }}",
        "en": "'say' must be a table of languages like {{ ru = \"...\" }}",
    },
    "bad_link": {
        "az": "keçid {link!r} icazəli domendə ({domains}) https deyil: {why}",
        "ru": "ссылка {link!r} не https на разрешённом домене ({domains}): {why}",
        "en": "link {link!r} is not https on an allowed domain ({domains}): {why}",
    },
    "step_id_twice": {
        "az": "addım id-si {id!r} iki dəfə istifadə olunub",
        "ru": "id шага {id!r} используется дважды",
        "en": "step id {id!r} is used twice",
    },
    "choice_unknown_step": {
        "az": "seçim naməlum addıma {step!r} aparır",
        "ru": "вариант ведёт к неизвестному шагу {step!r}",
        "en": "choice leads to unknown step {step!r}",
    },
    "choice_unknown_service": {
        "az": "seçim naməlum xidmətə {service!r} aparır",
        "ru": "вариант ведёт к неизвестной услуге {service!r}",
        "en": "choice leads to unknown service {service!r}",
    },
    "last_not_finish": {
        "az": "sonuncu addımdır, amma bitiş addımı deyil",
        "ru": "это последний шаг, но не шаг завершения",
        "en": "is the last step but not a finish step",
    },
    "next_unknown_step": {
        "az": "'next' naməlum addıma {step!r} aparır",
        "ru": "'next' ведёт к неизвестному шагу {step!r}",
        "en": "'next' leads to unknown step {step!r}",
    },
    "documents_step_needs": {
        "az": "sənədlər addımı üçün xidmətin 'documents' siyahısı lazımdır",
        "ru": "шагу документов нужен список 'documents' услуги",
        "en": "a documents step needs the service's 'documents'",
    },
    "online_step_needs": {
        "az": "onlayn addım üçün xidmətin 'link' keçidi lazımdır",
        "ru": "онлайн-шагу нужна ссылка 'link' услуги",
        "en": "an online step needs the service's 'link'",
    },
    "no_way_to_finish": {
        "az": "buradan heç bir yol bitiş addımına çatmır",
        "ru": "отсюда ни один путь не ведёт к шагу завершения",
        "en": "no way from here reaches a finish step",
    },
    # ---- groups
    "group_unknown_service": {
        "az": "naməlum xidməti {service!r} göstərir",
        "ru": "в списке неизвестная услуга {service!r}",
        "en": "lists unknown service {service!r}",
    },
    "group_empty": {
        "az": "heç bir xidmət göstərmir",
        "ru": "в списке нет услуг",
        "en": "lists no services",
    },
    "group_count": {
        "az": "ana ekranda 1-dən 6-ya qədər qrup olur, {n} yox",
        "ru": "на главном экране от 1 до 6 групп, а не {n}",
        "en": "the home screen shows 1 to 6 groups, not {n}",
    },
    "unknown_group": {
        "az": "qrup {group!r} groups.toml faylında yoxdur",
        "ru": "группы {group!r} нет в groups.toml",
        "en": "group {group!r} is not in groups.toml",
    },
    "not_in_group": {
        "az": "groups.toml faylında {group!r} qrupunda göstərilməyib",
        "ru": "не указана в группе {group!r} в groups.toml",
        "en": "is not listed in group {group!r} in groups.toml",
    },
    # ---- sites and help points
    "example_point": {
        "az": "nümunə kimi işarələnib: onu həqiqi yerlə (ad, telefon və ya ünvan, mənbə) əvəz "
        "edin və ya silin; sakinlər heç vaxt nümunə görməməlidir",
        "ru": "помечено как пример: замените настоящим местом (название, телефон или адрес, "
        "источник) или удалите; жители никогда не должны видеть пример",
        "en": "is marked as an example: replace it with a real place (name, phone or address, "
        "source) or delete it; residents must never see an example",
    },
    "point_no_contact": {
        "az": "sakinin istifadə edə biləcəyi telefon və ya ünvan lazımdır",
        "ru": "нужен телефон или адрес, которым житель может воспользоваться",
        "en": "needs a phone or an address a resident can use",
    },
    "bad_phone": {
        "az": "telefon {phone!r} rəqəmlərdən, boşluqlardan və tirelərdən ibarət olmalıdır",
        "ru": "телефон {phone!r} должен состоять из цифр, пробелов и дефисов",
        "en": "phone {phone!r} must be digits, spaces and dashes",
    },
    "placeholder_word": {
        "az": "'{key}' içində yer tutan söz {word!r} var",
        "ru": "в '{key}' есть слово-заглушка {word!r}",
        "en": "'{key}' holds the placeholder word {word!r}",
    },
    "no_help_points": {
        "az": "ən azı bir kömək yeri lazımdır",
        "ru": "нужно хотя бы одно место помощи",
        "en": "needs at least one help point",
    },
    "places_not_tables": {
        "az": "'places' [places.social] kimi cədvəllər olmalıdır",
        "ru": "'places' должны быть таблицами вида [places.social]",
        "en": "'places' must be tables like [places.social]",
    },
    "place_missing": {
        "az": "{{place:{key}}} istifadə edir, amma məntəqə {site!r} onu demir "
        "(sites/{site}.toml faylına [places.{key}] əlavə edin)",
        "ru": "использует {{place:{key}}}, но пункт {site!r} его не называет "
        "(добавьте [places.{key}] в sites/{site}.toml)",
        "en": "uses {{place:{key}}} but site {site!r} does not say it "
        "(add [places.{key}] to sites/{site}.toml)",
    },
    # ---- links (what may become a QR code)
    "link_empty": {
        "az": "keçid boşdur və ya mətn deyil",
        "ru": "ссылка пустая или не текст",
        "en": "the link is empty or not text",
    },
    "link_too_long": {
        "az": "keçid {n} simvoldan uzundur",
        "ru": "ссылка длиннее {n} символов",
        "en": "the link is longer than {n} characters",
    },
    "link_contains": {
        "az": "keçiddə {what} var",
        "ru": "в ссылке есть {what}",
        "en": "the link contains {what}",
    },
    "char_backslash": {
        "az": "tərs xətt (brauzerlər onu '/' kimi oxuyur)",
        "ru": "обратная косая черта (браузеры читают её как '/')",
        "en": "a backslash (browsers read it as '/')",
    },
    "char_invisible": {
        "az": "görünməyən və ya idarəetmə simvolu ({code})",
        "ru": "невидимый или управляющий символ ({code})",
        "en": "an invisible or control character ({code})",
    },
    "link_https": {
        "az": "keçid https:// ilə başlamalıdır",
        "ru": "ссылка должна начинаться с https://",
        "en": "the link must start with https://",
    },
    "link_unparsable": {
        "az": "keçid oxunmur ({error})",
        "ru": "ссылку не удаётся разобрать ({error})",
        "en": "the link cannot be parsed ({error})",
    },
    "link_userinfo": {
        "az": "keçiddə istifadəçi adı və ya parol var",
        "ru": "в ссылке есть имя пользователя или пароль",
        "en": "the link carries a user name or password",
    },
    "link_address": {
        "az": "host domen adı olmalıdır, ünvan yox",
        "ru": "хост должен быть доменным именем, а не адресом",
        "en": "the host must be a domain name, not an address",
    },
    "link_port": {
        "az": "keçid {port!r} portunu göstərir; yalnız https-in öz portu olar",
        "ru": "в ссылке порт {port!r}; разрешён только порт https по умолчанию",
        "en": "the link names port {port!r}; only the https default is allowed",
    },
    "host_empty": {
        "az": "host adı boşdur və ya boş hissəsi var",
        "ru": "имя хоста пустое или в нём пустая часть",
        "en": "the host name is empty or has an empty part",
    },
    "host_invalid": {
        "az": "host adı düzgün domen adı deyil ({error})",
        "ru": "имя хоста не является правильным доменным именем ({error})",
        "en": "the host name is not a valid domain name ({error})",
    },
    "host_not_allowed": {
        "az": "host {host} icazəli domen deyil və onun altında deyil",
        "ru": "хост {host} не является разрешённым доменом и не входит в него",
        "en": "the host {host} is not an allowed domain or under one",
    },
    # ---- what the synthetic voice would read wrongly (warnings: the bundle loads)
    "say_web": {
        "az": "veb ünvan səslə oxunur: saytın adını sözlərlə deyin",
        "ru": "веб-адрес читается вслух: назовите сайт словами",
        "en": "a web address is read aloud: name the site in words instead",
    },
    "say_latin": {
        "az": "{words} latın hərfli sözlərini ingilis səsi oxuyur: onları rusca danışanın dediyi kimi kiril hərfləri ilə yazın",
        "ru": "латинские слова {words} читает английский голос: напишите их кириллицей, как их произносит русскоговорящий",
        "en": "Latin words {words} are read by the English voice: write them in Cyrillic as a Russian speaker says them",
    },
    "say_spelled": {
        "az": "{words} hərf-hərf oxunacaq: deyildiyi kimi yazın (məsələn, 'sim kart')",
        "ru": "{words} будет прочитано по буквам: напишите так, как говорят (например, 'sim kart')",
        "en": "{words} would be spelled letter by letter: write it as it is said (for example 'sim kart')",
    },
    # ---- why publishing was refused (kiosk/core/content/publish.py)
    "publish_symlink": {
        "az": "{file}: simvolik keçiddir; faylın özünü paketə köçürün",
        "ru": "{file}: это символическая ссылка; скопируйте в пакет сам файл",
        "en": "{file}: is a symbolic link; copy the file into the bundle instead",
    },
    "publish_reserved_name": {
        "az": "{file}: bu ad dərc edilən faylların siyahısı üçün ayrılıb",
        "ru": "{file}: это имя занято списком опубликованных файлов",
        "en": "{file}: this name is reserved for the published file list",
    },
    "publish_version_low": {
        "az": "bundle.toml: {version} versiyası dərc edilmiş {published} versiyasından yuxarı deyil; onu {next} edin",
        "ru": "bundle.toml: версия {version} не выше опубликованной версии {published}; поднимите её до {next}",
        "en": "bundle.toml: version {version} is not above the published version {published}; raise it to {next}",
    },
    "publish_clock_behind": {
        "az": "bu maşının saatı {now} UTC göstərir, bu, indiki buraxılışın imzalandığı vaxtdan ({signed} UTC) əvvəldir: saatı düzəldin (şəbəkə vaxtı) və yenidən cəhd edin; heç nə imzalanmadı",
        "ru": "часы этой машины показывают {now} UTC, раньше, чем был подписан текущий выпуск ({signed} UTC): исправьте часы (сетевое время) и попробуйте снова; ничего не подписано",
        "en": "this machine's clock reads {now} UTC, before the current release was signed ({signed} UTC): set the clock right (network time) and try again; nothing was signed",
    },
    "publish_key_missing": {
        "az": "{role}.pem açarlar qovluğunda yoxdur",
        "ru": "{role}.pem нет в папке ключей",
        "en": "{role}.pem is missing from the keys folder",
    },
    "publish_key_wrong": {
        "az": "{role}.pem bu repozitorinin {role} açarı deyil",
        "ru": "{role}.pem не является ключом {role} этого репозитория",
        "en": "{role}.pem is not the {role} key of this repository",
    },
    "publish_delegated": {
        "az": "bu repozitorinin paketi hubun açarına həvalə edilib",
        "ru": "пакет этого репозитория делегирован ключу хаба",
        "en": "this repository's bundle is delegated to the hub's key",
    },
    "publish_not_delegated": {
        "az": "bu repozitori dərci hubun açarına həvalə etmir (ləğv edilib və ya heç həvalə edilməyib): oflayn açarların sahiblərinə müraciət edin",
        "ru": "этот репозиторий не доверяет публикацию ключу хаба (доверие отозвано или не давалось): обратитесь к владельцам офлайн-ключей",
        "en": "this repository does not delegate publishing to the hub's key (revoked, or never delegated): ask the holders of the offline keys",
    },
    "publish_not_repo": {
        "az": "{repo} məzmun repozitorisi deyil; əvvəlcə dərc edin",
        "ru": "{repo} не является репозиторием контента; сначала опубликуйте",
        "en": "{repo} is not a content repository; publish first",
    },
    "publish_damaged": {
        "az": "{repo}: repozitorinin metaməlumatı natamam və ya zədəlidir ({error})",
        "ru": "{repo}: метаданные репозитория неполны или повреждены ({error})",
        "en": "{repo}: repository metadata is incomplete or damaged ({error})",
    },
    "publish_unknown_site": {
        "az": "paketdə {site!r} məntəqəsi yoxdur (olanlar: {known})",
        "ru": "в пакете нет пункта {site!r} (есть: {known})",
        "en": "no site {site!r} in the bundle (it has {known})",
    },
    "publish_keys_exist": {
        "az": "{path} artıq var; açarların üzərinə yazılmır",
        "ru": "{path} уже есть; ключи не перезаписываются",
        "en": "{path} already exists; refusing to overwrite keys",
    },
    "publish_key_exists": {
        "az": "{path} artıq var; açarın üzərinə yazılmır",
        "ru": "{path} уже есть; ключ не перезаписывается",
        "en": "{path} already exists; refusing to overwrite a key",
    },
    "publish_not_key": {
        "az": "{path}: bu, gizli açar faylı deyil ({error})",
        "ru": "{path}: это не файл закрытого ключа ({error})",
        "en": "{path}: not a private key file ({error})",
    },
    "publish_not_empty": {
        "az": "{repo} boş deyil və məzmun repozitorisi deyil",
        "ru": "{repo} не пуст и не является репозиторием контента",
        "en": "{repo} is not empty and is not a content repository",
    },
    "publish_new_repo_keys": {
        "az": "yeni repozitori üçün bütün açarlar lazımdır; bunlar yoxdur: {missing}",
        "ru": "новому репозиторию нужны все ключи; нет: {missing}",
        "en": "a new repository needs every key; missing {missing}",
    },
    "publish_expired": {
        "az": "buraxılışın imzasının vaxtı {date} tarixində bitib; yenidən dərc edin",
        "ru": "срок подписи выпуска истёк {date}; опубликуйте снова",
        "en": "the release's targets signature expired on {date}; publish again",
    },
    "publish_not_delegating": {
        "az": "{repo} dərci hubun açarına həvalə etmir; ləğv ediləcək heç nə yoxdur",
        "ru": "{repo} не доверяет публикацию ключу хаба; отзывать нечего",
        "en": "{repo} does not delegate to a hub key; nothing to revoke",
    },
    "release_no_version": {
        "az": "{repo} repozitorisində {version} versiyalı buraxılış yoxdur",
        "ru": "в {repo} нет выпуска с версией {version}",
        "en": "{repo} has no release with bundle version {version}",
    },
    "release_file_missing": {
        "az": "versiya {version}: {file} faylı repozitoridə yoxdur",
        "ru": "версия {version}: файла {file} нет в репозитории",
        "en": "version {version}: {file} is missing from the repository",
    },
    "release_hash_wrong": {
        "az": "versiya {version}: {file} faylı öz yoxlama cəminə (hash) uyğun gəlmir: fayl dəyişib və ya zədələnib",
        "ru": "версия {version}: файл {file} не совпадает со своей контрольной суммой (hash): он изменён или повреждён",
        "en": "version {version}: {file} does not match its hash",
    },
    "release_no_version_line": {
        "az": "bundle.toml: artırılacaq 'version = N' sətri yoxdur",
        "ru": "bundle.toml: нет строки 'version = N', которую можно поднять",
        "en": "bundle.toml: no 'version = N' line to raise",
    },
    "release_none_yet": {
        "az": "{repo} repozitorisində hələ buraxılış yoxdur; geri qaytarmağa bir şey yoxdur",
        "ru": "в {repo} ещё нет выпусков; откатываться не к чему",
        "en": "{repo} has no release yet; nothing to roll back to",
    },
    "release_is_current": {
        "az": "{version} versiyası onsuz da indiki buraxılışdır",
        "ru": "версия {version} уже является текущим выпуском",
        "en": "version {version} is the current release already",
    },
    "release_for_every_site": {
        "az": "{version} versiyası onsuz da bütün məntəqələr üçündür",
        "ru": "версия {version} уже для всех пунктов",
        "en": "version {version} is for every site already",
    },
}

# The words of an item ("service 'x' step 'y' choice 2") in each language; what
# is quoted is the content's own name and stays as written.
ITEM_WORDS: dict[str, dict[str, str]] = {
    "help point": {"az": "kömək yeri", "ru": "место помощи"},
    "service": {"az": "xidmət", "ru": "услуга"},
    "step": {"az": "addım", "ru": "шаг"},
    "choice": {"az": "seçim", "ru": "вариант"},
    "source": {"az": "mənbə", "ru": "источник"},
    "group": {"az": "qrup", "ru": "группа"},
    "string": {"az": "sətir", "ru": "строка"},
    "site": {"az": "məntəqə", "ru": "пункт"},
    "place": {"az": "yer", "ru": "место"},
    "document": {"az": "sənəd", "ru": "документ"},
    "title": {"az": "başlıq", "ru": "заголовок"},
    "summary": {"az": "xülasə", "ru": "описание"},
    "text": {"az": "mətn", "ru": "текст"},
    "say": {"az": "səsli mətn", "ru": "озвучка"},
    "languages": {"az": "dillər", "ru": "языки"},
    "version": {"az": "versiya", "ru": "версия"},
}
_WORD = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, ITEM_WORDS), key=len, reverse=True)) + r")\b"
)
_QUOTED = re.compile(r"('[^']*')")


class Said(str):
    """An English sentence of the content checks that knows its code and values."""

    code: str
    args: Mapping[str, Any]

    def __new__(cls, text: str, code: str = "", args: Mapping[str, Any] | None = None) -> Said:
        self = super().__new__(cls, text)
        self.code = code
        self.args = dict(args or {})
        return self

    def told(self, lang: str) -> str:
        """This sentence in `lang` (az, ru or en)."""
        return tell(self.code, lang, self.args) if self.code in TEXTS else str(self)


def said(code: str, /, **args: Any) -> Said:
    """The sentence of `code` with its values, in English, carrying both."""
    return Said(tell(code, "en", args), code, args)


def tell(code: str, lang: str, args: Mapping[str, Any]) -> str:
    texts = TEXTS[code]
    template = texts.get(lang) or texts["en"]
    values = {k: v.told(lang) if isinstance(v, Said) else v for k, v in args.items()}
    return template.format(**values)


def told(message: str, lang: str) -> str:
    """`message` in `lang` when it is a `Said`; other words as they are."""
    return message.told(lang) if isinstance(message, Said) else str(message)


def code_of(message: str) -> str:
    """The stable code of a message ("content_problem" for words without one)."""
    return message.code if isinstance(message, Said) and message.code else "content_problem"


def item_told(item: str, lang: str) -> str:
    """An item's place in its file in `lang`: "service 'x' step 'y'" -> "xidmət 'x' addım 'y'"."""
    if lang == "en" or not item:
        return item
    parts = _QUOTED.split(item)
    for i in range(0, len(parts), 2):  # outside the quotes
        parts[i] = _WORD.sub(lambda m: ITEM_WORDS[m[1]].get(lang, m[1]), parts[i])
    return "".join(parts)
