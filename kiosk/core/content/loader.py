"""Load a content bundle from its folder and check it.

The same checks run on the admin's machine (`kiosk content validate`, `kiosk
content publish`) and on the terminal before a bundle is switched in. Every
problem names the file, the item and the language; loading never stops at the
first one, so an admin sees all of them at once.

Layout of a bundle folder:
    bundle.toml          version and languages
    strings.toml         UI strings, one table per key
    groups.toml          [[groups]] in the order shown on the home screen
    services/*.toml      one service and its guided flow per file
    sites/*.toml         one site profile (district) per file
    audio/...            recorded narration, named from texts (optional)
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kiosk.core.content import limits
from kiosk.core.content.links import LinkProblem, canonical_link
from kiosk.core.content.model import (
    NO_PROVENANCE,
    Action,
    Ask,
    Bundle,
    Choice,
    Group,
    HelpPoint,
    Language,
    Provenance,
    Service,
    Site,
    Source,
    Step,
    StepKind,
    Text,
)
from kiosk.core.content.provenance import missing_in
from kiosk.core.content.wording import Said, code_of, item_told, said, told
from kiosk.core.textclean import INVISIBLE
from kiosk.paths import DEFAULT_CONTENT, ICON_CODEPOINTS

REQUIRED_LANGUAGES = ("az", "ru")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
AUDIO_SUFFIXES = (".wav", ".ogg", ".mp3")
# UI strings the screens use; a bundle must define each in every language.
REQUIRED_STRINGS = (
    "attract.title",
    "attract.touch",
    "language.say",
    "home.title",
    "home.say",
    "nav.back",
    "nav.home",
    "nav.next",
    "nav.speaker",
    "finish.slip",
    "finish.help",
    "finish.home",
    "idle.title",
    "idle.say",
    "idle.more_time",
    "documents.title",
    "online.scan",
    "help_points.title",
    "narration.missing",
    "slip.documents",
    "slip.scan",
    "slip.help",
    "slip.phone",
    "slip.volunteer_phone",
    "slip.pin_warning",
    "slip.date",
    "slip.terminal",
    "slip.ticket",
    "slip.ticket_wait",
    "slip.ahead",
    "slip.unconfirmed",
    "slip.unconfirmed_line",
    "unconfirmed.volunteer",
    "unconfirmed.volunteer_say",
    "unconfirmed.line",
    "unconfirmed.line_say",
    "unconfirmed.mark",
)


def required_strings() -> tuple[str, ...]:
    """REQUIRED_STRINGS and the words about the keys (kiosk.core.access: guided
    mode, what each key does, each key's name)."""
    from kiosk.core.access import STRING_KEYS  # imported here: access needs the model

    return REQUIRED_STRINGS + STRING_KEYS


@dataclass(frozen=True)
class Problem:
    """One problem: the file, the item in it, the language, and what is wrong
    (English; a `Said` that also has a code and is told in az and ru, see
    kiosk/core/content/wording.py)."""

    file: str
    item: str
    lang: str
    message: str

    def __str__(self) -> str:
        return self.told("en")

    @property
    def code(self) -> str:
        return code_of(self.message)

    def told(self, lang: str) -> str:
        """The whole line in `lang`: file, item, language and what is wrong."""
        where = self.file
        if self.item:
            where += f": {item_told(self.item, lang)}"
        if self.lang:
            where += f" [{self.lang}]"
        return f"{where}: {told(self.message, lang)}"


class BundleError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(
            f"{len(problems)} problem(s) in content bundle: " + "; ".join(map(str, problems[:5]))
        )


@cache
def icon_names() -> frozenset[str]:
    return frozenset(json.loads(ICON_CODEPOINTS.read_text()))


class _Reader:
    """Builds model objects from parsed TOML while collecting problems."""

    def __init__(self, root: Path, languages: tuple[str, ...], today: date | None = None):
        self.root = root
        self.languages = languages
        self.today = today  # when given, a source checked after it is refused
        self.problems: list[Problem] = []

    def problem(self, file: str, item: str, message: str, lang: str = "") -> None:
        self.problems.append(Problem(file, item, lang, message))

    def read_toml(self, rel: str) -> dict[str, Any] | None:
        path = self.root / rel
        try:
            if too_big := limits.size_problem(rel, path.stat().st_size):
                self.problem(rel, "", too_big)
                return None
            doc = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            self.problem(rel, "", said("file_missing"))
            return None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            self.problem(rel, "", said("toml_invalid", error=str(exc)))
            return None
        except RecursionError:
            self.problem(rel, "", said("too_deep", n=limits.MAX_DEPTH))
            return None
        return self.checked_shape(rel, doc)

    def checked_shape(self, rel: str, doc: dict[str, Any]) -> dict[str, Any] | None:
        """The parsed file if it is within the limits and its known keys have the
        right types; otherwise its problems are reported and the readers skip it."""
        problems = limits.doc_problems(rel, doc)
        for key, message in problems:
            self.problem(rel, key, message)
        return None if problems else doc

    def text(
        self, file: str, item: str, table: dict[str, Any], key: str, required: bool = True
    ) -> Text:
        raw = table.get(key)
        audio_raw = table.get(f"{key}_audio", {})
        if raw is None:
            if required:
                self.problem(file, item, said("text_missing", key=key))
            return Text({})
        if not isinstance(raw, dict):
            self.problem(file, item, said("text_not_table", key=key))
            return Text({})
        values = {k: v for k, v in raw.items() if isinstance(v, str)}
        for lang in self.languages:
            if not values.get(lang, "").strip():
                self.problem(file, item, said("text_empty", key=key), lang)
        for lang, value in values.items():
            # A bidi override, a NUL or a bell would reach every terminal's screen, voice
            # and slip (it reorders or hides what is shown beside it): refused, named.
            if (char := _invisible_char(value)) is not None:
                self.problem(file, item, said("text_invisible", key=key, char=char), lang)
        for lang in raw:
            if lang not in self.languages:
                self.problem(file, item, said("text_extra_lang", key=key), lang)
        audio: dict[str, str] = {}
        if not isinstance(audio_raw, dict):
            self.problem(file, item, said("audio_not_table", key=key))
        else:
            for lang, rel in audio_raw.items():
                if self.check_audio(file, item, lang, rel):
                    audio[lang] = rel
        return Text(values, audio)

    def check_audio(self, file: str, item: str, lang: str, rel: Any) -> bool:
        if not isinstance(rel, str):
            self.problem(file, item, said("audio_not_name"), lang)
            return False
        path = (self.root / rel).resolve()
        if self.root.resolve() not in path.parents:
            self.problem(file, item, said("audio_outside", file=rel), lang)
            return False
        if path.suffix.lower() not in AUDIO_SUFFIXES:
            self.problem(file, item, said("audio_kind", file=rel), lang)
            return False
        if not path.is_file():
            self.problem(file, item, said("audio_missing", file=rel), lang)
            return False
        if not _looks_like_audio(path):
            self.problem(file, item, said("audio_unreadable", file=rel), lang)
            return False
        return True

    def ident(self, file: str, item: str, value: Any, what: str = "w_id") -> str:
        """`value` if it is an id; `what` is its name's code (w_id, w_step_id ...)."""
        if not isinstance(value, str) or not ID_RE.match(value):
            self.problem(file, item, said("bad_id", what=said(what), value=value))
            return str(value)
        return value

    def icon(self, file: str, item: str, value: Any) -> str:
        if not isinstance(value, str) or value not in icon_names():
            self.problem(file, item, said("bad_icon", value=value))
            return "help-circle"
        return value


def _invisible_char(text: str) -> str | None:
    """The first character a reader cannot see or that steers the text (bidi
    controls, zero-width and control characters; a line break is fine), as U+XXXX."""
    for ch in text:
        if ch != "\n" and unicodedata.category(ch) in INVISIBLE:
            return f"U+{ord(ch):04X}"
    return None


def _own_table(table: Any, key: str) -> dict[str, Any]:
    """A text that is a table of its own (a UI string, a document) keeps its
    recorded voice inside: { az = "...", ru = "...", audio = { az = "a.ogg" } }."""
    if isinstance(table, dict) and "audio" in table:
        texts = {k: v for k, v in table.items() if k != "audio"}
        return {key: texts, f"{key}_audio": table["audio"]}
    return {key: table}


def _looks_like_audio(path: Path) -> bool:
    try:
        head = path.read_bytes()[:12]
    except OSError:
        return False
    if path.suffix.lower() == ".wav":
        return head[:4] == b"RIFF" and head[8:12] == b"WAVE"
    if path.suffix.lower() == ".ogg":
        return head[:4] == b"OggS"
    return head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)


PROVENANCE_KEYS = ("source", "unconfirmed", "ask")
SOURCE_URL_SCHEMES = ("https",)
EARLIEST_CHECK = date(2000, 1, 1)


def _split_provenance(table: Any) -> tuple[Any, dict[str, Any]]:
    """A document or a place is a table of languages that may also say where its
    facts came from: (the table without those keys, those keys)."""
    if not isinstance(table, dict):
        return table, {}
    rest = {k: v for k, v in table.items() if k not in PROVENANCE_KEYS}
    return rest, {k: table[k] for k in PROVENANCE_KEYS if k in table}


def _read_sources(r: _Reader, rel: str, item: str, doc: dict[str, Any]) -> dict[str, Source]:
    """The file's `[sources.KEY]` tables: the pages a person read, and when."""
    raw = doc.get("sources", {})
    if not isinstance(raw, dict):
        r.problem(rel, item, said("sources_not_tables"))
        return {}
    sources: dict[str, Source] = {}
    for key, table in raw.items():
        sitem = f"{item} source {key!r}"
        r.ident(rel, sitem, key, "w_source_key")
        if not isinstance(table, dict):
            r.problem(rel, sitem, said("source_not_table"))
            continue
        for extra in sorted(set(table) - {"url", "checked", "title", "note"}):
            r.problem(rel, sitem, said("source_unknown_key", key=extra))
        url = table.get("url")
        if not isinstance(url, str) or not url:
            r.problem(rel, sitem, said("source_no_url"))
            url = ""
        elif problem := _source_url_problem(url):
            r.problem(rel, sitem, said("source_bad_url", url=url, why=problem))
        checked = table.get("checked")
        when = ""
        if checked is None:
            r.problem(rel, sitem, said("source_no_checked"))
        elif not isinstance(checked, date) or isinstance(checked, datetime):
            r.problem(rel, sitem, said("checked_not_date", value=checked))
        elif checked < EARLIEST_CHECK:
            r.problem(rel, sitem, said("checked_too_old", date=checked.isoformat()))
        elif r.today is not None and checked > r.today:
            r.problem(
                rel,
                sitem,
                said("checked_future", date=checked.isoformat(), today=r.today.isoformat()),
            )
        else:
            when = checked.isoformat()
        sources[key] = Source(
            key=key,
            url=url,
            checked=when,
            title=str(table.get("title", "")),
            note=str(table.get("note", "")),
        )
    return sources


def _source_url_problem(url: str) -> Said | str:
    """Why `url` cannot be a source's address ("" if it can). A source is for the
    admin who rechecks it, never a resident's QR code: official or reputable
    pages, https, with a host name (a page off the official domains is flagged,
    not refused: provenance.official_source)."""
    if any(c.isspace() for c in url):
        return said("url_spaces")
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as exc:
        return said("url_unreadable", error=str(exc))
    if parts.scheme not in SOURCE_URL_SCHEMES:
        return said("source_not_https")
    if not host or "." not in host:
        return said("url_no_host")
    if parts.username or parts.password:
        return said("url_userinfo")
    return ""


def _old_keys(
    r: _Reader, rel: str, item: str, table: dict[str, Any], service: bool = False
) -> None:
    """Before [sources], a service or help point said `source = "https://..."`,
    `checked` and `source_date` itself: refused with how to write it now."""
    old = [k for k in ("checked", "source_date") if k in table]
    if "source" in table and (service or "://" in str(table["source"])):
        old.insert(0, "source")  # a service's own, or a page's address instead of a key
    if old:
        r.problem(rel, item, said("old_source_keys", keys=", ".join(repr(k) for k in old)))


def _read_provenance(
    r: _Reader, rel: str, item: str, raw: dict[str, Any], sources: dict[str, Source]
) -> Provenance:
    """An item's `source = "KEY"` / `["KEY1", "KEY2"]`, `unconfirmed`, `ask`; every
    key must be one of the file's own `[sources]`."""
    src = raw.get("source")
    keys: tuple[str, ...] = ()
    if src is None:
        pass
    elif isinstance(src, str):
        keys = (src,)
    elif isinstance(src, list) and all(isinstance(k, str) for k in src):
        keys = tuple(src)
    else:
        r.problem(rel, item, said("source_ref_type"))
    for key in keys:
        if key not in sources and "://" not in key:  # an address: _old_keys says it
            known = ", ".join(sources) or said("w_none")
            r.problem(rel, item, said("unknown_source", key=key, known=known))
    unconfirmed = raw.get("unconfirmed", False)
    if not isinstance(unconfirmed, bool):
        r.problem(rel, item, said("unconfirmed_not_bool"))
        unconfirmed = False
    ask = Ask.VOLUNTEER
    if "ask" in raw:
        try:
            ask = Ask(str(raw["ask"]))
        except ValueError:
            choices = ", ".join(repr(a.value) for a in Ask)
            r.problem(rel, item, said("bad_ask", value=raw["ask"], choices=choices))
    if not keys and not unconfirmed and "ask" not in raw:
        return NO_PROVENANCE
    return Provenance(sources=keys, unconfirmed=unconfirmed, ask=ask)


def _read_languages(r: _Reader, doc: dict[str, Any]) -> tuple[Language, ...]:
    langs = []
    for i, raw in enumerate(doc.get("languages", [])):
        code = raw.get("code", "")
        name = raw.get("name", "")
        voice = raw.get("voice", code)
        if not code or not name:
            r.problem("bundle.toml", f"languages[{i}]", said("language_incomplete"))
            continue
        langs.append(Language(code, name, voice))
    codes = [lang.code for lang in langs]
    for req in REQUIRED_LANGUAGES:
        if req not in codes:
            r.problem("bundle.toml", "languages", said("language_required", code=req))
    return tuple(langs)


def _read_step(
    r: _Reader,
    file: str,
    service_id: str,
    raw: dict[str, Any],
    sources: dict[str, Source] | None = None,
) -> Step | None:
    sid = r.ident(file, f"service {service_id!r} step", raw.get("id"), "w_step_id")
    item = f"service {service_id!r} step {sid!r}"
    try:
        kind = StepKind(raw.get("kind", "info"))
    except ValueError:
        kinds = ", ".join(k.value for k in StepKind)
        r.problem(file, item, said("bad_step_kind", value=raw.get("kind"), choices=kinds))
        return None
    text = r.text(file, item, raw, "text")
    say = r.text(file, item, raw, "say", required=False)
    if not say.values:
        say = Text(dict(text.values), dict(text.audio))
    choices = []
    for j, c in enumerate(raw.get("choices", [])):
        citem = f"{item} choice {j + 1}"
        action = None
        if "action" in c:
            try:
                action = Action(c["action"])
            except ValueError:
                r.problem(file, citem, said("bad_action", value=c["action"]))
        targets = [k for k in ("go", "flow", "action") if k in c]
        if len(targets) != 1:
            r.problem(file, citem, said("choice_target"))
        choice_say = r.text(file, citem, c, "say", required=False)
        choices.append(
            Choice(
                say=choice_say if choice_say.values else None,
                label=r.text(file, citem, c, "label"),
                icon=r.icon(file, citem, c.get("icon")),
                go=c.get("go"),
                flow=c.get("flow"),
                action=action,
            )
        )
    if kind == StepKind.QUESTION and not 2 <= len(choices) <= 4:
        r.problem(file, item, said("question_choices"))
    if kind == StepKind.FINISH and not choices:
        choices = [
            Choice(Text({}), "printer", action=Action.SLIP),
            Choice(Text({}), "account-voice", action=Action.HELP),
            Choice(Text({}), "home", action=Action.HOME),
        ]
    return Step(
        id=sid,
        kind=kind,
        icon=r.icon(file, item, raw.get("icon")),
        text=text,
        say=say,
        choices=tuple(choices),
        next=raw.get("next"),
        provenance=_read_provenance(r, file, item, raw, sources or {}),
    )


def _read_service(
    r: _Reader, rel: str, doc: dict[str, Any], allowlist: tuple[str, ...]
) -> Service | None:
    sid = r.ident(rel, "service", doc.get("id"))
    item = f"service {sid!r}"
    if Path(rel).stem != sid:
        r.problem(rel, item, said("file_name", name=sid))
    sources = _read_sources(r, rel, item, doc)
    steps = [s for raw in doc.get("steps", []) if (s := _read_step(r, rel, sid, raw, sources))]
    if not steps:
        r.problem(rel, item, said("no_steps"))
        return None
    link = doc.get("link", "")
    if link:
        _check_link(r, rel, item, link, allowlist)
    _old_keys(r, rel, item, doc, service=True)
    documents, documents_say, documents_provenance = [], [], []
    for i, d in enumerate(doc.get("documents", [])):
        ditem = f"{item} document {i + 1}"
        d, said_where = _split_provenance(dict(d) if isinstance(d, dict) else {})
        documents_provenance.append(_read_provenance(r, rel, ditem, said_where, sources))
        say_raw = d.pop("say", {})  # how the voice reads the line, where it differs
        text = r.text(rel, ditem, _own_table(d, "text"), "text")
        spoken = dict(text.values)
        if isinstance(say_raw, dict):
            spoken.update({k: v for k, v in say_raw.items() if isinstance(v, str)})
        else:
            r.problem(rel, ditem, said("document_say_table"))
        documents.append(text)
        documents_say.append(Text(spoken, dict(text.audio)) if spoken != text.values else text)
    return Service(
        id=sid,
        group=doc.get("group", ""),
        icon=r.icon(rel, item, doc.get("icon")),
        title=r.text(rel, item, doc, "title"),
        summary=r.text(rel, item, doc, "summary"),
        steps=tuple(steps),
        link=link,
        link_label=doc.get("link_label", "") or _short_link(link),
        documents=tuple(documents),
        documents_say=tuple(documents_say),
        documents_provenance=tuple(documents_provenance),
        sources=sources,
        needs_esign=bool(doc.get("needs_esign", False)),
        admin_note=doc.get("admin_note", ""),
        file=rel,
    )


def _check_link(r: _Reader, rel: str, item: str, link: Any, allowlist: tuple[str, ...]) -> None:
    """A service link must pass the same parser that decides what becomes a QR code."""
    try:
        canonical_link(link, allowlist)
    except LinkProblem as exc:
        why = exc.args[0] if exc.args else str(exc)  # a Said: told in the admin's language
        r.problem(rel, item, said("bad_link", link=link, domains=", ".join(allowlist), why=why))


def _short_link(link: str) -> str:
    if not link:
        return ""
    parts = urlsplit(link)
    return (parts.hostname or "") + (parts.path.rstrip("/") if parts.path not in ("", "/") else "")


def _check_flows(r: _Reader, services: dict[str, Service]) -> None:
    before = len(r.problems)
    for svc in services.values():
        ids = [s.id for s in svc.steps]
        for dup in {i for i in ids if ids.count(i) > 1}:
            r.problem(svc.file, f"service {svc.id!r}", said("step_id_twice", id=dup))
        for step in svc.steps:
            item = f"service {svc.id!r} step {step.id!r}"
            for c in step.choices:
                if c.go and c.go not in ids:
                    r.problem(svc.file, item, said("choice_unknown_step", step=c.go))
                if c.flow and c.flow not in services:
                    r.problem(svc.file, item, said("choice_unknown_service", service=c.flow))
            if step.kind not in (StepKind.QUESTION, StepKind.FINISH):
                nxt = svc.next_of(step)
                if nxt is None:
                    r.problem(svc.file, item, said("last_not_finish"))
                elif nxt not in ids:
                    r.problem(svc.file, item, said("next_unknown_step", step=nxt))
            if step.kind == StepKind.DOCUMENTS and not svc.documents:
                r.problem(svc.file, item, said("documents_step_needs"))
            if step.kind == StepKind.ONLINE and not svc.link:
                r.problem(svc.file, item, said("online_step_needs"))
    if len(r.problems) == before:  # every reference resolves: now follow them
        for svc in services.values():
            _check_reaches_finish(r, svc, services)


def _check_reaches_finish(r: _Reader, svc: Service, services: dict[str, Service]) -> None:
    """Every step must lead, by some choices, to a finish step (here or in another flow)."""
    good: set[tuple[str, str]] = set()
    nodes = [(s.id, st.id) for s in services.values() for st in s.steps]
    changed = True
    while changed:
        changed = False
        for sid, stid in nodes:
            if (sid, stid) in good:
                continue
            owner = services[sid]
            step = owner.step(stid)
            succ: list[tuple[str, str]] = []
            if step.kind == StepKind.FINISH:
                ok = True
            else:
                for c in step.choices:
                    if c.go:
                        succ.append((sid, c.go))
                    elif c.flow:
                        succ.append((c.flow, services[c.flow].first_step.id))
                if step.kind != StepKind.QUESTION and (n := owner.next_of(step)):
                    succ.append((sid, n))
                ok = any(x in good for x in succ) or any(c.action for c in step.choices)
            if ok:
                good.add((sid, stid))
                changed = True
    for step in svc.steps:
        if (svc.id, step.id) not in good:
            r.problem(
                svc.file,
                f"service {svc.id!r} step {step.id!r}",
                said("no_way_to_finish"),
            )


# Words that mark a text as an instruction to the admin or a stand-in, never for
# residents. A help point or place holding one fails validation.
PLACEHOLDER_WORDS = (
    "inzibatçı",
    "nümunə",
    "администратор",
    "впишет",
    "пример",
    "admin",
    "example",
    "placeholder",
    "todo",
    "xxx",
    "...",
)
PLACE_RE = re.compile(r"\{place:([a-z0-9-]+)\}")


def _read_help_point(
    r: _Reader, rel: str, pitem: str, p: dict[str, Any], sources: dict[str, Source]
) -> HelpPoint:
    if "example" in p:
        r.problem(rel, pitem, said("example_point"))
    _old_keys(r, rel, pitem, p)
    provenance = _read_provenance(r, rel, pitem, p, sources)
    cited = [sources[k] for k in provenance.sources if k in sources]
    point = HelpPoint(
        name=r.text(rel, pitem, p, "name"),
        address=r.text(rel, pitem, p, "address", required=False),
        hours=r.text(rel, pitem, p, "hours", required=False),
        phone=str(p.get("phone", "")),
        source="; ".join(s.url for s in cited),
        checked=min((s.checked for s in cited if s.checked), default=""),
        provenance=provenance,
    )
    if not point.phone and not point.address.values:
        r.problem(rel, pitem, said("point_no_contact"))
    if point.phone and not re.fullmatch(r"[0-9][0-9 ()-]*", point.phone):
        r.problem(rel, pitem, said("bad_phone", phone=point.phone))
    return point


def _placeholder_problems(r: _Reader, rel: str, item: str, texts: dict[str, Text]) -> None:
    """A site's words go to residents as they are: no admin instructions, no stand-ins."""
    for key, text in texts.items():
        for lang, value in text.values.items():
            low = value.lower()
            for word in PLACEHOLDER_WORDS:
                if word in low:
                    r.problem(rel, item, said("placeholder_word", key=key, word=word), lang)


def _read_site(r: _Reader, rel: str, doc: dict[str, Any]) -> Site:
    sid = r.ident(rel, "site", doc.get("id"))
    item = f"site {sid!r}"
    sources = _read_sources(r, rel, item, doc)
    points = []
    for i, p in enumerate(doc.get("help_points", [])):
        pitem = f"{item} help point {i + 1}"
        point = _read_help_point(r, rel, pitem, p, sources)
        _placeholder_problems(
            r, rel, pitem, {"name": point.name, "address": point.address, "hours": point.hours}
        )
        points.append(point)
    if not points:
        r.problem(rel, item, said("no_help_points"))
    places: dict[str, Text] = {}
    place_provenance: dict[str, Provenance] = {}
    raw_places = doc.get("places", {})
    if not isinstance(raw_places, dict):
        r.problem(rel, item, said("places_not_tables"))
        raw_places = {}
    for key, table in raw_places.items():
        pitem = f"{item} place {key!r}"
        r.ident(rel, pitem, key, "w_place_name")
        table, said_where = _split_provenance(table)
        place_provenance[key] = _read_provenance(r, rel, pitem, said_where, sources)
        places[key] = r.text(rel, pitem, {"text": table}, "text")
    _placeholder_problems(r, rel, item, {f"place {k}": t for k, t in places.items()})
    return Site(
        id=sid,
        name=r.text(rel, item, doc, "name"),
        help_points=tuple(points),
        volunteer_phone=doc.get("volunteer_phone", ""),
        places=places,
        sources=sources,
        place_provenance=place_provenance,
    )


def _file_limits(r: _Reader, root: Path) -> list[Problem]:
    """Too many files, a file or the whole bundle too large (kiosk.core.content.limits)."""
    for rel, message in limits.file_problems(root):
        r.problem(rel or "bundle", "", message)
    return r.problems


def service_texts(svc: Service) -> Iterator[tuple[str, Text]]:
    """Every resident-facing text of a service, with where it is, for checks."""
    yield "title", svc.title
    yield "summary", svc.summary
    for i, d in enumerate(svc.documents):
        yield f"document {i + 1}", d
    for i, d in enumerate(svc.documents_say):
        if d is not svc.documents[i]:
            yield f"document {i + 1} say", d
    for step in svc.steps:
        yield f"step {step.id!r} text", step.text
        yield f"step {step.id!r} say", step.say
        for j, c in enumerate(step.choices):
            yield f"step {step.id!r} choice {j + 1}", c.label
            if c.say is not None:
                yield f"step {step.id!r} choice {j + 1} say", c.say


def _check_places(r: _Reader, services: dict[str, Service], sites: dict[str, Site]) -> None:
    """Every "{place:X}" a service uses is said by every site, in every language."""
    for svc in services.values():
        for where, text in service_texts(svc):
            for lang, value in text.values.items():
                for key in PLACE_RE.findall(value):
                    for site in sites.values():
                        place = site.places.get(key)
                        if place is None or not place.has(lang):
                            r.problem(
                                svc.file,
                                f"service {svc.id!r} {where}",
                                said("place_missing", key=key, site=site.id),
                                lang,
                            )


def _default_strings(root: Path) -> dict[str, dict[str, Any]]:
    """The bundled default content's screen words, {key: table}; none for the
    default content itself (or when it cannot be read: the word stays missing)."""
    if root.resolve() == DEFAULT_CONTENT.resolve():
        return {}
    return _read_default_strings()


@cache
def _read_default_strings() -> dict[str, dict[str, Any]]:
    try:
        doc = tomllib.loads((DEFAULT_CONTENT / "strings.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    return {k: v for k, v in doc.items() if isinstance(v, dict)}


def check_bundle(
    root: Path,
    allowlist: list[str] | tuple[str, ...] = ("gov.az", "e-gov.az", "edu.az"),
    *,
    draft: bool = False,
    today: date | None = None,
    borrow_strings: bool = False,
) -> tuple[Bundle | None, list[Problem]]:
    """Load and check the bundle at `root`: (bundle, []) or (None, problems).

    `borrow_strings=True` (a terminal's load) takes a screen word this software
    needs but the bundle predates (it was published before the word existed) from
    the bundled default content, listed in `Bundle.borrowed`, instead of refusing
    the whole bundle: a software upgrade never throws away the admins' content.
    The admin's side leaves it out, so validate, publish and the studio still name
    every missing word.

    `today` (the admin's side: validate, publish, the studio) also refuses a
    source checked after that day; a terminal leaves it out, so a wrong clock
    never refuses a signed bundle.

    `draft=True` builds the bundle despite problems where it can, (bundle,
    problems): only for drawing an unfinished draft in the content studio,
    never for what a terminal shows or what is published.
    """
    root = Path(root)
    allow = tuple(allowlist)
    boot = _Reader(root, ())
    if too_big := _file_limits(boot, root):
        return None, too_big  # nothing is parsed from a bundle over the limits
    meta = boot.read_toml("bundle.toml")
    if meta is None:
        return None, boot.problems
    languages = _read_languages(boot, meta)
    version = meta.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        boot.problem("bundle.toml", "version", said("bad_version"))
        version = 0
    elif version > limits.MAX_NUMBER:
        version = 0  # already named by the limits check
    r = _Reader(root, tuple(lang.code for lang in languages), today)
    r.problems.extend(boot.problems)

    strings: dict[str, Text] = {}
    borrowed: list[str] = []
    if (doc := r.read_toml("strings.toml")) is not None:
        for key, table in doc.items():
            strings[key] = r.text("strings.toml", f"string {key!r}", _own_table(table, "t"), "t")
        for key in required_strings():
            if key in strings:
                continue
            if borrow_strings and key in (defaults := _default_strings(root)):
                # Its words only: a recording of them lives in the default content.
                words = {k: v for k, v in defaults[key].items() if k != "audio"}
                table = {"t": words}
                strings[key] = r.text("strings.toml", f"string {key!r}", table, "t")
                borrowed.append(key)
            else:
                r.problem("strings.toml", f"string {key!r}", said("string_missing"))

    services: dict[str, Service] = {}
    for path in sorted((root / "services").glob("*.toml")):
        rel = path.relative_to(root).as_posix()
        if (doc := r.read_toml(rel)) is not None and (svc := _read_service(r, rel, doc, allow)):
            if svc.id in services:
                r.problem(rel, f"service {svc.id!r}", said("id_twice", file=services[svc.id].file))
            services[svc.id] = svc
    if not services:
        r.problem("services/", "", said("no_services"))

    groups: list[Group] = []
    in_groups: set[str] = set()
    if (doc := r.read_toml("groups.toml")) is not None:
        for i, g in enumerate(doc.get("groups", [])):
            gid = r.ident("groups.toml", f"group {i + 1}", g.get("id"))
            item = f"group {gid!r}"
            members = tuple(g.get("services", []))
            for m in members:
                if m not in services:
                    r.problem("groups.toml", item, said("group_unknown_service", service=m))
                in_groups.add(m)
            if not members:
                r.problem("groups.toml", item, said("group_empty"))
            title = r.text("groups.toml", item, g, "title")
            say = r.text("groups.toml", item, g, "say", required=False)
            groups.append(
                Group(
                    gid,
                    r.icon("groups.toml", item, g.get("icon")),
                    title,
                    say if say.values else title,
                    members,
                )
            )
        if not 1 <= len(groups) <= 6:
            r.problem("groups.toml", "", said("group_count", n=len(groups)))
    for svc in services.values():
        if svc.group and svc.group not in {g.id for g in groups}:
            r.problem(svc.file, f"service {svc.id!r}", said("unknown_group", group=svc.group))
        if svc.group and svc.id not in in_groups:
            r.problem(
                svc.file,
                f"service {svc.id!r}",
                said("not_in_group", group=svc.group),
            )

    sites: dict[str, Site] = {}
    for path in sorted((root / "sites").glob("*.toml")):
        rel = path.relative_to(root).as_posix()
        if (doc := r.read_toml(rel)) is not None:
            site = _read_site(r, rel, doc)
            sites[site.id] = site
    if not sites:
        r.problem("sites/", "", said("no_sites"))

    _check_flows(r, services)
    _check_places(r, services, sites)
    # Every fact names its source or says it is unconfirmed (provenance.py).
    for file, item, message in missing_in(services.values(), sites.values()):
        r.problem(file, item, message)
    if r.problems and not draft:
        return None, r.problems
    bundle = Bundle(
        root=root,
        version=version,
        languages=languages,
        strings=strings,
        groups=tuple(groups),
        services=services,
        sites=sites,
        borrowed=tuple(borrowed),
    )
    return bundle, r.problems


def load_bundle(
    root: Path,
    allowlist: list[str] | tuple[str, ...] = ("gov.az", "e-gov.az", "edu.az"),
    *,
    borrow_strings: bool = False,
) -> Bundle:
    """The checked bundle at `root`, or BundleError listing every problem
    (`borrow_strings`: see check_bundle)."""
    bundle, problems = check_bundle(root, allowlist, borrow_strings=borrow_strings)
    if bundle is None:
        raise BundleError(problems)
    return bundle
