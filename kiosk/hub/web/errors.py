"""The hub's refusals in the reader's language: every error answer keeps its
English `detail` (for curl, scripts and the logs) and adds a stable `code` and a
`message` in az, ru or en.

    {"detail": "log in first", "code": "login_first", "message": "Əvvəlcə daxil olun.",
     "messages": {"az": "Əvvəlcə daxil olun.", "ru": "Сначала войдите.", "en": "Log in first."}}

Which language: the `komek_lang` cookie (the pages' language switch sets it),
else the request's Accept-Language, else Azerbaijani. Pages show `message`
(kiosk/hub/web/static/shell.js does); a program branches on `code`, never on the
English words. A detail the catalogue does not know gets its status's general
code (`not_found`, `forbidden`, ...), so a reader is never left with English only.

A new refusal: raise HTTPException(status, "english words") as before and add
the words (or their fixed beginning) to KNOWN with a code, and the code's three
texts to TEXTS. Never puts data from the request into `message`.

The content checks' problems (a missing source, a bad url, a text with no
translation ...) are in this catalogue too: their codes and texts are declared
beside the checks (kiosk/core/content/wording.py, so `kiosk content validate`
has the same codes) and taken into TEXTS below. Their texts name the file and
item they are about: `told(problem)` gives each problem in az, ru and en.
"""

from __future__ import annotations

from collections.abc import Mapping
from http.cookies import SimpleCookie
from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kiosk.core.content import wording
from kiosk.core.content.loader import Problem

LANGS = ("az", "ru", "en")
LANG_COOKIE = "komek_lang"

# code -> its text in each language.
TEXTS: dict[str, dict[str, str]] = {
    "login_first": {
        "az": "Əvvəlcə daxil olun.",
        "ru": "Сначала войдите.",
        "en": "Log in first.",
    },
    "account_disabled": {
        "az": "Bu hesab söndürülüb. Administratora müraciət edin.",
        "ru": "Эта учётная запись отключена. Обратитесь к администратору.",
        "en": "This account is disabled. Ask an admin.",
    },
    "own_account": {
        "az": "Öz hesabınızı söndürə və ya silə bilməzsiniz.",
        "ru": "Нельзя отключить или удалить свою учётную запись.",
        "en": "You cannot disable or remove your own account.",
    },
    "display_name_long": {
        "az": "Ekrandakı ad ən çoxu 30 hərfdir. Heç nə dəyişmədi.",
        "ru": "Имя на экране — не больше 30 букв. Ничего не изменено.",
        "en": "A display name is at most 30 characters. Nothing was changed.",
    },
    "display_name_invisible": {
        "az": "Ekrandakı adda görünməyən və ya idarəedici simvol var (məsələn, mətnin istiqamətini dəyişən). Adı yenidən yazın; heç nə dəyişmədi.",
        "ru": "В имени на экране есть невидимый или управляющий символ (например, меняющий направление текста). Наберите имя заново; ничего не изменено.",
        "en": "The display name holds an invisible or control character (one that reorders text, for example). Type the name again; nothing was changed.",
    },
    "display_name_letters": {
        "az": "Ekrandakı ad yalnız hərflər, boşluq və - . ' ola bilər. Heç nə dəyişmədi.",
        "ru": "Имя на экране — только буквы, пробелы и - . '. Ничего не изменено.",
        "en": "A display name is letters, spaces and - . ' only. Nothing was changed.",
    },
    "no_volunteer": {
        "az": "Belə könüllü yoxdur.",
        "ru": "Такого волонтёра нет.",
        "en": "There is no such volunteer.",
    },
    "save_empties_file": {
        "az": "Yadda saxlanmadı: bu məlumatla fayl boşalardı (onun heç bir yazısı qalmırdı). Heç nə dəyişmədi.",
        "ru": "Не сохранено: с этими данными файл опустел бы (в нём не осталось бы ни одной записи). Ничего не изменено.",
        "en": "Not saved: with this data the file would be empty (none of its entries would stay). Nothing was changed.",
    },
    "draft_changed": {
        "az": "Siz baxandan sonra qaralama dəyişib; heç nə dərc edilmədi. Dəyişikliklərə yenidən baxın.",
        "ru": "Черновик изменился после вашего просмотра; ничего не опубликовано. Посмотрите изменения снова.",
        "en": "The draft changed after you looked; nothing was published. Look at the changes again.",
    },
    "release_current": {
        "az": "Bu buraxılış artıq indikidir.",
        "ru": "Этот выпуск уже текущий.",
        "en": "This release is the current one already.",
    },
    "no_release": {
        "az": "Belə buraxılış yoxdur.",
        "ru": "Такого выпуска нет.",
        "en": "There is no such release.",
    },
    "release_damaged": {
        "az": "Bu buraxılışın faylı repozitoridə yoxdur və ya zədəlidir; heç nə dəyişmədi.",
        "ru": "Файла этого выпуска нет в репозитории, или он повреждён; ничего не изменено.",
        "en": "A file of this release is missing or damaged in the repository; nothing was changed.",
    },
    "repo_damaged": {
        "az": "Məzmun repozitorisi yoxdur və ya zədəlidir; heç nə dəyişmədi.",
        "ru": "Репозитория контента нет, или он повреждён; ничего не изменено.",
        "en": "The content repository is missing or damaged; nothing was changed.",
    },
    "publish_off": {
        "az": "Bu hubda dərc qurulmayıb: hub.content_keys açarlar qovluğunu göstərməlidir (hub.pem, snapshot.pem, timestamp.pem).",
        "ru": "Публикация на этом хабе не настроена: hub.content_keys должен указывать на папку ключей (hub.pem, snapshot.pem, timestamp.pem).",
        "en": "Publishing is not set up on this hub: hub.content_keys must name the keys folder (hub.pem, snapshot.pem, timestamp.pem).",
    },
    "publish_no_hub_key": {
        "az": "Açarlar qovluğunda hub.pem yoxdur: oflayn açarlarla `kiosk content delegate` işlədin.",
        "ru": "В папке ключей нет hub.pem: выполните `kiosk content delegate` с офлайн-ключами.",
        "en": "There is no hub.pem in the keys folder: run `kiosk content delegate` with the offline keys.",
    },
    "save_too_deep": {
        "az": "Yadda saxlanmadı: məlumat həddən çox iç-içədir. Heç nə dəyişmədi.",
        "ru": "Не сохранено: данные вложены слишком глубоко. Ничего не изменено.",
        "en": "Not saved: the data is nested too deeply. Nothing was changed.",
    },
    "save_bad_key": {
        "az": "Yadda saxlanmadı: sahənin adı boşdur və ya çox uzundur (ən çoxu 64 hərf). Heç nə dəyişmədi.",
        "ru": "Не сохранено: имя поля пустое или слишком длинное (не больше 64 букв). Ничего не изменено.",
        "en": "Not saved: a field's name is empty or too long (at most 64 characters). Nothing was changed.",
    },
    "save_empty_value": {
        "az": "Yadda saxlanmadı: boş dəyər olmaz; lazım deyilsə, sahəni silin. Heç nə dəyişmədi.",
        "ru": "Не сохранено: пустое значение недопустимо; если поле не нужно, удалите его. Ничего не изменено.",
        "en": "Not saved: empty values are not allowed; remove the field instead. Nothing was changed.",
    },
    "save_bad_value": {
        "az": "Yadda saxlanmadı: belə dəyər məzmun faylında ola bilməz (yalnız mətn, rəqəm, bəli/xeyr, siyahı, cədvəl). Heç nə dəyişmədi.",
        "ru": "Не сохранено: такое значение не может быть в файле контента (только текст, число, да/нет, список, таблица). Ничего не изменено.",
        "en": "Not saved: a content file cannot hold such a value (only text, numbers, yes/no, lists, tables). Nothing was changed.",
    },
    "no_file_version": {
        "az": "Bu faylın belə versiyası yoxdur.",
        "ru": "У этого файла нет такой версии.",
        "en": "This file has no such version.",
    },
    "toml_broken": {
        "az": "Hubdakı bu fayl düzgün TOML deyil; onu hubun özündə düzəltmək lazımdır.",
        "ru": "Этот файл на хабе — неправильный TOML; его нужно исправить на самом хабе.",
        "en": "This file on the hub is not valid TOML; it must be fixed on the hub itself.",
    },
    "not_published": {
        "az": "Heç nə dərc edilmədi.",
        "ru": "Ничего не опубликовано.",
        "en": "Nothing was published.",
    },
    "bad_key": {
        "az": "Açar yanlışdır, naməlumdur və ya ləğv edilib.",
        "ru": "Ключ неверный, неизвестный или отозван.",
        "en": "The key is missing, unknown or revoked.",
    },
    "wrong_password": {
        "az": "Ad və ya parol səhvdir.",
        "ru": "Неверное имя или пароль.",
        "en": "Wrong name or password.",
    },
    "locked": {
        "az": "Çox səhv cəhd. Bir az gözləyin və yenidən cəhd edin.",
        "ru": "Слишком много неверных попыток. Подождите и попробуйте снова.",
        "en": "Too many wrong passwords. Wait a little and try again.",
    },
    "busy": {
        "az": "Hub indi çox məşğuldur. Bir neçə saniyədən sonra yenidən cəhd edin.",
        "ru": "Хаб сейчас занят. Попробуйте снова через несколько секунд.",
        "en": "The hub is busy just now. Try again in a few seconds.",
    },
    "csrf": {
        "az": "Səhifə köhnəlib. Səhifəni yeniləyin və yenidən cəhd edin.",
        "ru": "Страница устарела. Обновите страницу и попробуйте снова.",
        "en": "This page is out of date. Reload it and try again.",
    },
    "cross_site": {
        "az": "Başqa saytdan gələn sorğu qəbul edilmir.",
        "ru": "Запрос с другого сайта не принимается.",
        "en": "A request from another site is refused.",
    },
    "admins_only": {
        "az": "Bunu yalnız administrator edə bilər.",
        "ru": "Это может сделать только администратор.",
        "en": "Only an admin may do this.",
    },
    "nobody_waiting": {
        "az": "Gözləyən yoxdur.",
        "ru": "Никто не ждёт.",
        "en": "Nobody is waiting.",
    },
    "request_changed": {
        "az": "Bu müraciəti artıq başqa könüllü dəyişib.",
        "ru": "Эту заявку уже изменил другой волонтёр.",
        "en": "Another volunteer already changed this request.",
    },
    "reopen_day_closed": {
        "az": "Bu müraciət gün bitəndə bağlanıb; onu yenidən açmaq olmaz.",
        "ru": "Эта заявка закрылась вместе с днём; открыть её снова нельзя.",
        "en": "This request was closed when its day ended; it cannot be reopened.",
    },
    "reopen_too_late": {
        "az": "Bu müraciət çoxdan bağlanıb; yenidən açmaq olmaz. Sakin hələ buradadırsa, terminalda yeni növbə götürsün.",
        "ru": "Эта заявка закрыта слишком давно, открыть её снова нельзя. Если житель ещё здесь, пусть возьмёт новый талон в терминале.",
        "en": "This request was closed too long ago to reopen. If the resident is still here, they take a new ticket at the terminal.",
    },
    "reopen_not_yours": {
        "az": "Bu müraciəti başqa könüllü bağlayıb: onu yalnız o və ya administrator yenidən aça bilər.",
        "ru": "Эту заявку закрыл другой волонтёр: открыть её снова может только он или администратор.",
        "en": "Another volunteer closed this request: only they or an admin may reopen it.",
    },
    "no_request": {
        "az": "Belə müraciət yoxdur.",
        "ru": "Такой заявки нет.",
        "en": "There is no such request.",
    },
    "consent_needed": {
        "az": "Səs yazısı yalnız danışanın razılığı ilə saxlanılır.",
        "ru": "Запись хранится только с согласия говорящего.",
        "en": "A recording is only kept with the speaker's consent.",
    },
    "no_recording": {
        "az": "Belə səs yazısı yoxdur.",
        "ru": "Такой записи нет.",
        "en": "There is no such recording.",
    },
    "not_a_recording": {
        "az": "Bu fayl səs yazısı kimi oxunmadı. WAV faylı və ya studiyada yazılan səs göndərin.",
        "ru": "Этот файл не читается как запись. Отправьте WAV или запись из студии.",
        "en": "This file could not be read as a recording. Send a WAV file or one the studio recorded.",
    },
    "rec_empty": {
        "az": "Səs yazısı boşdur: heç nə yazılmayıb.",
        "ru": "Запись пустая: ничего не записано.",
        "en": "The recording is empty: nothing was recorded.",
    },
    "rec_silent": {
        "az": "Səs yazısında səs yoxdur: mikrofona icazə verildiyini və səsin bağlı olmadığını yoxlayın.",
        "ru": "В записи тишина: проверьте, что микрофон разрешён и не выключен.",
        "en": "The recording is silent: check that the microphone is allowed and not muted.",
    },
    "rec_clipped": {
        "az": "Səs çox ucadır və pozulub: telefonu bir az uzaq tutub yenidən yazın.",
        "ru": "Запись слишком громкая и искажена: держите телефон чуть дальше и запишите снова.",
        "en": "The recording is too loud and distorted: hold the phone a little further away and record again.",
    },
    "rec_too_long": {
        "az": "Səs yazısı çox uzundur: yalnız mətnin sözlərini yazın.",
        "ru": "Запись слишком длинная: запишите только слова текста.",
        "en": "The recording is too long: record only the words of the text.",
    },
    "rec_too_short": {
        "az": "Səs yazısı mətn üçün çox qısadır: bütün sözləri yazın.",
        "ru": "Запись слишком короткая для этого текста: запишите все слова.",
        "en": "The recording is too short to be the text: record all the words.",
    },
    "rec_too_quiet": {
        "az": "Səs çox zəifdir: mikrofona yaxın danışıb yenidən yazın.",
        "ru": "Запись слишком тихая: говорите ближе к микрофону и запишите снова.",
        "en": "The recording is too quiet to hear any words: record again closer.",
    },
    "rec_too_big": {
        "az": "Fayl çox böyükdür: bir mətn bir neçə saniyəlikdir.",
        "ru": "Файл слишком большой: текст длится несколько секунд.",
        "en": "The file is too large: a text takes seconds to say.",
    },
    "rec_quota": {
        "az": "Səs yazılarınız hubda sizə ayrılan yeri doldurub: administratora deyin.",
        "ru": "Ваши записи заняли всё отведённое вам место на хабе: сообщите администратору.",
        "en": "Your recordings fill the space the hub keeps for you: ask an admin.",
    },
    "text_changed": {
        "az": "Siz yazarkən mətn dəyişib: siyahını yeniləyin və yeni sözləri yazın.",
        "ru": "Текст изменился, пока вы записывали: обновите список и запишите новые слова.",
        "en": "The text changed while you were recording: reload the list and record the new words.",
    },
    "text_gone": {
        "az": "Bu mətn artıq məzmunda yoxdur: siyahını yeniləyin.",
        "ru": "Этого текста больше нет в контенте: обновите список.",
        "en": "This text is no longer in the content: reload the list.",
    },
    "no_language": {
        "az": "Məzmunda bu dil yoxdur.",
        "ru": "В контенте нет этого языка.",
        "en": "The content has no such language.",
    },
    "content_broken": {
        "az": "Hubun məzmunu yüklənmir. Administratora deyin.",
        "ru": "Контент хаба не загружается. Сообщите администратору.",
        "en": "The hub's content does not load. Tell an admin.",
    },
    "studio_off": {
        "az": "Bu hubda məzmun studiyası qurulmayıb.",
        "ru": "На этом хабе студия контента не настроена.",
        "en": "The content studio is not set up on this hub.",
    },
    "not_content_file": {
        "az": "Studiya belə fayl redaktə etmir.",
        "ru": "Студия не редактирует такой файл.",
        "en": "The studio does not edit such a file.",
    },
    "edit_conflict": {
        "az": "Bu faylı siz yazarkən başqası dəyişib.",
        "ru": "Пока вы писали, этот файл изменил кто-то другой.",
        "en": "Somebody else changed this file while you were writing.",
    },
    "not_publishable": {
        "az": "Dərc edilmədi: əvvəlcə problemləri düzəldin.",
        "ru": "Не опубликовано: сначала исправьте проблемы.",
        "en": "Not published: fix the problems first.",
    },
    "renderer_failed": {
        "az": "Ekranın şəkli çəkilə bilmədi.",
        "ru": "Не удалось нарисовать экран.",
        "en": "The screen could not be drawn.",
    },
    "no_voice": {
        "az": "Bu hubda sintetik səs yoxdur.",
        "ru": "На этом хабе нет синтетического голоса.",
        "en": "There is no synthetic voice on this hub.",
    },
    "unknown_host": {
        "az": "Hub bu adla açılmır. Administratorun verdiyi ünvanı istifadə edin.",
        "ru": "Хаб не отвечает по этому имени. Используйте адрес от администратора.",
        "en": "The hub does not answer to this name. Use the address your admin gave you.",
    },
    # General ones, by status, for any detail the catalogue does not know.
    "bad_request": {
        "az": "Sorğu qəbul edilmədi.",
        "ru": "Запрос не принят.",
        "en": "The request was not accepted.",
    },
    "forbidden": {
        "az": "Buna icazəniz yoxdur.",
        "ru": "У вас нет на это права.",
        "en": "You are not allowed to do this.",
    },
    "not_found": {
        "az": "Tapılmadı.",
        "ru": "Не найдено.",
        "en": "Not found.",
    },
    "conflict": {
        "az": "Bu artıq dəyişib. Səhifəni yeniləyin.",
        "ru": "Это уже изменилось. Обновите страницу.",
        "en": "This has changed meanwhile. Reload the page.",
    },
    "too_large": {
        "az": "Göndərilən çox böyükdür.",
        "ru": "Отправленное слишком велико.",
        "en": "What you sent is too large.",
    },
    "invalid": {
        "az": "Yazılanlarda səhv var; yoxlayın və yenidən göndərin.",
        "ru": "В данных ошибка; проверьте и отправьте снова.",
        "en": "Something in what you sent is not valid; check it and send again.",
    },
    "too_many": {
        "az": "Çox tez-tez. Bir az gözləyin və yenidən cəhd edin.",
        "ru": "Слишком часто. Подождите и попробуйте снова.",
        "en": "Too many at once. Wait a little and try again.",
    },
    "failed": {
        "az": "Alınmadı, yenidən cəhd edin.",
        "ru": "Не получилось, попробуйте ещё раз.",
        "en": "That did not work; try again.",
    },
}

# The content checks' codes: one catalogue (no code is both a refusal and a problem).
assert not set(TEXTS) & set(wording.TEXTS), set(TEXTS) & set(wording.TEXTS)
TEXTS.update(wording.TEXTS)


def told(problem: Problem) -> dict[str, Any]:
    """A content problem's code, and its line and message in each language: the
    file and item named in every one."""
    return {
        "code": problem.code,
        "texts": {lang: problem.told(lang) for lang in LANGS},
        "messages": {lang: wording.told(problem.message, lang) for lang in LANGS},
    }


# English detail (or its fixed beginning) -> code. First match wins.
KNOWN: tuple[tuple[str, str], ...] = (
    ("log in first", "login_first"),
    ("this account is disabled", "account_disabled"),
    ("your own account", "own_account"),
    ("no such volunteer", "no_volunteer"),
    ("a display name is at most", "display_name_long"),
    ("a display name may not hold invisible", "display_name_invisible"),
    ("a display name is letters", "display_name_letters"),
    ("the draft changed since you looked", "draft_changed"),
    ("is the current release already", "release_current"),
    ("has no release with bundle version", "no_release"),
    ("nothing to roll back to", "no_release"),
    ("nothing was published", "not_published"),
    ("the data is nested too deeply", "save_too_deep"),
    ("empty values are not allowed", "save_empty_value"),
    ("unsupported value", "save_bad_value"),
    (" is not valid TOML on the hub", "toml_broken"),
    ("is missing from the repository", "release_damaged"),
    ("does not match its hash", "release_damaged"),
    ("repository metadata is incomplete or damaged", "repo_damaged"),
    ("is not a content repository", "repo_damaged"),
    ("publishing is not set up", "publish_off"),
    ("no hub.pem in", "publish_no_hub_key"),
    ("unknown or revoked terminal key", "bad_key"),
    ("unknown or revoked hub key", "bad_key"),
    ("wrong name or password", "wrong_password"),
    ("bad key ", "save_bad_key"),
    (" has no version ", "no_file_version"),
    ("too many wrong passwords", "locked"),
    ("too many logins at once", "busy"),
    ("missing or wrong CSRF token", "csrf"),
    ("cross-site request refused", "cross_site"),
    ("only admins", "admins_only"),
    ("only an admin", "admins_only"),
    ("nobody is waiting", "nobody_waiting"),
    ("request is ", "request_changed"),
    ("closed with its day; it cannot be reopened", "reopen_day_closed"),
    ("closed too long ago to be reopened", "reopen_too_late"),
    ("who closed this request or an admin may reopen", "reopen_not_yours"),
    ("no such request", "no_request"),
    ("a recording is only kept with the speaker's consent", "consent_needed"),
    ("no such recording", "no_recording"),
    ("no recording", "no_recording"),
    ("is not a recording", "not_a_recording"),
    ("this is a playlist", "not_a_recording"),
    ("hub.recording_quota_mib", "rec_quota"),
    ("no sound in it", "not_a_recording"),
    ("the recording is empty", "rec_empty"),
    ("the recording is silent", "rec_silent"),
    ("too loud and distorted", "rec_clipped"),
    ("seconds long; a text takes seconds", "rec_too_long"),
    ("the recording is too short", "rec_too_short"),
    ("the recording is too quiet", "rec_too_quiet"),
    ("the file is larger than", "rec_too_big"),
    ("the text changed while you were recording", "text_changed"),
    ("in the content: it was removed or renamed", "text_gone"),
    ("the content has no language", "no_language"),
    ("the bundle has no language", "no_language"),
    ("the hub's content does not load", "content_broken"),
    ("the content studio is not set up", "studio_off"),
    ("is not a content file the studio edits", "not_content_file"),
    ("so it would empty the file", "save_empties_file"),
    ("the screen renderer", "renderer_failed"),
    ("no synthetic voice", "no_voice"),
    ("unknown Host header", "unknown_host"),
    ("request body larger than", "too_large"),
)

BY_STATUS = {
    400: "bad_request",
    401: "login_first",
    403: "forbidden",
    404: "not_found",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "too_many",
    503: "busy",
}


def language(headers: Mapping[str, str]) -> str:
    """The reader's language from the page's cookie or Accept-Language (az when neither)."""
    raw = headers.get("cookie")
    if raw:
        cookie: SimpleCookie = SimpleCookie()
        try:
            cookie.load(raw)
        except Exception:  # a malformed cookie header: fall back to Accept-Language
            cookie = SimpleCookie()
        chosen = cookie.get(LANG_COOKIE)
        if chosen is not None and chosen.value in LANGS:
            return chosen.value
    for part in headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip()[:2].lower()
        if code in LANGS:
            return code
    return "az"


def code_for(status: int, detail: Any) -> str:
    """The stable code of one refusal."""
    words = detail.get("message", "") if isinstance(detail, dict) else detail
    if isinstance(words, list):  # a field's check: its own reason ("Value error, ...")
        words = " ".join(str(e.get("msg", "")) for e in words if isinstance(e, dict))
    if isinstance(words, str):
        for known, code in KNOWN:
            if known in words:
                return code
    if status == 409 and isinstance(detail, dict) and "changes" in detail:
        return "edit_conflict"
    return BY_STATUS.get(status, "failed")


def text(code: str, lang: str) -> str:
    texts = TEXTS.get(code) or TEXTS["failed"]
    return texts.get(lang) or texts["en"]


def error_body(status: int, detail: Any, headers: Mapping[str, str]) -> dict[str, Any]:
    """`detail` as given, plus the code, the message in the reader's language and
    in every language (`messages`: a page shows a refusal it already said in the
    language its reader switches to)."""
    code = code_for(status, detail)
    return {
        "detail": detail,
        "code": code,
        "message": text(code, language(headers)),
        "messages": {lang: text(code, lang) for lang in LANGS},
    }


async def http_error(request: Request, exc: Exception) -> JSONResponse:
    """Every HTTPException the hub raises, with its code and translated message."""
    assert isinstance(exc, StarletteHTTPException)
    body = error_body(exc.status_code, exc.detail, request.headers)
    return JSONResponse(jsonable_encoder(body), status_code=exc.status_code, headers=exc.headers)
