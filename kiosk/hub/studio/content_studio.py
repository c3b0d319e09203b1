"""The content studio at /studio/content/: admins edit the content in the
browser, see each problem beside its field and a picture of the screen, and
publish a release signed by the hub's delegated key.

Admins only (the console's login and its admin flag): a volunteer gets 403,
on the page and on every API call. Changes need the session's CSRF token and a
same-origin request, like the console; bodies are bounded and strict JSON by
the hub's input guard (kiosk/hub/guard.py), as on every route. The draft, its history and conflicts
are kiosk/hub/studio/content_drafts.py; signing is kiosk/core/content/publish.py.
Rendering a screen runs Kömək's own off-screen renderer in a child process
(kiosk/preview/), and speech runs in the narration's own speech
process, so neither ever blocks the web server.
"""

from __future__ import annotations

import base64
import logging
import os
import re
import tempfile
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi import Path as Path_
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse
from pydantic import BaseModel, Field

from kiosk.core.content import wording
from kiosk.core.content.limits import MAX_NUMBER, number_problem
from kiosk.core.content.loader import Problem
from kiosk.core.content.provenance import OFFICIAL_SOURCE_DOMAINS
from kiosk.hub.context import HubContext, hub_context
from kiosk.hub.fields import SiteId, shown
from kiosk.hub.queue.console_api import changing, current_session
from kiosk.hub.store import AuditAction, Session
from kiosk.hub.studio.content_drafts import Draft, DraftError, draft_dir, file_kind, seed_dir
from kiosk.hub.web.errors import LANGS, code_for, told
from kiosk.hub.web.errors import text as error_text
from kiosk.hub.web.shell import page_admin, shell_page
from kiosk.preview.renderer import RendererError, ScreenRenderer

log = logging.getLogger(__name__)

router = APIRouter(tags=["content studio"])
API = "/api/v1/studio/content"
STATIC_DIR = Path(__file__).parents[1] / "web" / "static"
# Screen shapes an admin can look at: the terminals' usual panels.
SHAPES = {
    "1280x800": (1280, 800),
    "1366x768": (1366, 768),
    "1920x1080": (1920, 1080),
    "1080x1920": (1080, 1920),
}


# ---- who may ------------------------------------------------------------------


def _admin(session: Session | None) -> Session:
    if session is None:
        raise HTTPException(401, "log in first")
    if not session.volunteer.admin:
        raise HTTPException(403, "only admins edit content")
    return session


def require_admin(session: Annotated[Session | None, Depends(current_session)]) -> Session:
    return _admin(session)


def changing_admin(session: Annotated[Session, Depends(changing)]) -> Session:
    """An admin making a change, with the session's CSRF token."""
    return _admin(session)


# ---- the studio on the hub ----------------------------------------------------------


class Studio:
    """The hub's content studio: the draft, where it publishes, the renderer and the voice."""

    def __init__(self, settings: Any, data_dir: Path):
        home = draft_dir(data_dir).parent
        self.allowlist = list(settings["hub.content_allowlist"])
        self.draft = Draft(draft_dir(data_dir), home / "history.db", seed_dir(settings))
        repo = settings["hub.content_repo"]
        self.repo = Path(os.path.expanduser(repo)) if repo else Path(data_dir) / "content-repo"
        keys = settings["hub.content_keys"]
        self.keys = Path(os.path.expanduser(keys)) if keys else None
        if self.keys is not None:
            from kiosk.core.content.publish import key_exposure

            for problem in key_exposure(self.keys):  # also in `kiosk doctor --hub-config`
                log.warning("content studio: %s", problem)
        self.home = home
        # The hub's today (its clock, in hub.time_zone): a source checked after it
        # is refused. The app sets it; date.today only outside a hub.
        self.today: Callable[[], date] = date.today
        self.renderer = ScreenRenderer(home / "renderer.log")
        self._speech: Any = None
        self._speech_lock = threading.Lock()
        self.publish_lock = threading.Lock()  # one publish at a time

    def close(self) -> None:
        self.renderer.close()
        with self._speech_lock:
            if self._speech is not None:
                self._speech.close()
        self.draft.close()

    def speak(self, text: str, voice: str, out: Path) -> None:
        from kiosk.core.narration.speech_process import ProcessEngine

        with self._speech_lock:
            if self._speech is None:
                self._speech = ProcessEngine()
            self._speech.synthesize(text, voice, 150, out)  # narration.rate's default

    def take_voices(self, store: Any, data_dir: Path, who: str, now: Any) -> list[str] | None:
        """Write every approved recording into the draft (audio/<lang>/<key>.wav, named
        in its TOML file, recorded in the history as `who`'s change), so the next
        release has it. Returns what was written; None when the draft does not load
        now (the voices go in at a later approval or publish)."""
        from kiosk.core.content import BundleError
        from kiosk.hub.studio import recordings

        def write(rel: str, text: str) -> None:
            self.draft.write_text(rel, text, who, now, "approved voices written in")

        with self.draft.locked():
            try:
                result = recordings.export(
                    store, data_dir, self.draft.root, write_text=write, check=False
                )
            except (BundleError, recordings.RecordingRefused) as exc:
                log.warning("content studio: approved voices not written into the draft: %s", exc)
                return None
        for line in result.skipped:
            log.info("content studio: voice not written into the draft: %s", line)
        return result.written

    def withdraw_voice(self, store: Any, data_dir: Path, row: Any, who: str, now: Any) -> bool:
        """A rejected recording leaves the draft when the draft plays it (recordings.withdraw);
        another approved recording of the text then goes in instead."""
        from kiosk.core.content import BundleError
        from kiosk.hub.studio import recordings

        def write(rel: str, text: str) -> None:
            self.draft.write_text(rel, text, who, now, "rejected voice taken out")

        with self.draft.locked():
            try:
                changed = recordings.withdraw(store, data_dir, self.draft.root, row, write)
            except (BundleError, OSError, KeyError) as exc:
                log.warning("content studio: a rejected voice stays in the draft: %s", exc)
                return False
        self.take_voices(store, data_dir, who, now)  # an older approved take, if any
        return changed

    def publish_problem(self) -> str:
        """Why Publish cannot work on this hub; "" when it can."""
        if self.keys is None:
            return (
                "publishing is not set up: set hub.content_keys to the folder with hub.pem "
                "(from `kiosk content delegate`), snapshot.pem and timestamp.pem"
            )
        if not (self.keys / "hub.pem").exists():
            return f"no hub.pem in {self.keys}: run `kiosk content delegate` with the offline keys"
        return ""


def studio(request: Request) -> Studio:
    found = getattr(request.app.state, "content_studio", None)
    if found is None:
        raise HTTPException(404, "the content studio is not set up on this hub")
    return found


# ---- problems beside their fields -------------------------------------------------

_ITEM = re.compile(
    r"^(?P<kind>service|group|site|string) '(?P<id>[^']*)'"
    r"(?: step '(?P<step>[^']*)')?(?: choice (?P<choice>\d+))?(?: help point (?P<point>\d+))?"
    r"(?: source '(?P<source>[^']*)')?(?: place '(?P<place>[^']*)')?(?: document (?P<doc>\d+))?"
)
_FIELD = re.compile(r"^'(?P<field>[a-z_]+)'")
# A source's problems belong beside its address or its date.
_CODE_FIELD = {
    "source_bad_url": "url",
    "source_no_url": "url",
    "source_no_checked": "checked",
    "checked_not_date": "checked",
    "checked_too_old": "checked",
    "checked_future": "checked",
    # An item's citations and unconfirmed mark: beside its provenance controls.
    "unknown_source": "source",
    "no_source": "source",
    "source_ref_type": "source",
    "unconfirmed_not_bool": "source",
    "bad_ask": "source",
}


def problem_json(p: Problem) -> dict[str, Any]:
    """A validator problem with where it belongs: file, step/choice/help point, field, language."""
    out: dict[str, Any] = {
        "file": p.file,
        "item": p.item,
        "lang": p.lang,
        "message": p.message,
        "text": str(p),
        # The code, and the line and message in az, ru and en (the page shows the
        # admin's language; `message` and `text` stay English for scripts).
        **told(p),
    }
    if m := _ITEM.match(p.item or ""):
        out["step"] = m["step"] or ""
        out["choice"] = int(m["choice"]) if m["choice"] else 0
        out["point"] = int(m["point"]) if m["point"] else 0
        out["source"] = m["source"] or ""
        out["place"] = m["place"] or ""
        out["document"] = int(m["doc"]) if m["doc"] else 0
        if m["kind"] in ("group", "string"):
            out["entry"] = m["id"]
    if (code := out.get("code")) in _CODE_FIELD:
        out["field"] = _CODE_FIELD[code]
    elif f := _FIELD.match(p.message):
        out["field"] = f["field"]
    elif p.message.startswith("link "):
        out["field"] = "link"
    return out


def _problems(st: Studio) -> list[dict[str, Any]]:
    return [problem_json(p) for p in st.draft.problems(st.allowlist, st.today())]


def _table(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _word(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _languages(st: Studio) -> list[dict[str, str]]:
    """bundle.toml's languages as far as they are well formed."""
    found = _table(st.draft.read("bundle.toml")["data"]).get("languages")
    out = []
    for lang in found if isinstance(found, list) else []:
        lang = _table(lang)
        if _word(lang.get("code")):
            out.append({"code": lang["code"], "voice": _word(lang.get("voice"))})
    return out


def _overview(st: Studio) -> dict[str, Any]:
    from kiosk.core.content.publish import published_bundle_version

    # A file of the wrong shape (saved before saves were checked, or edited on the
    # hub's disk) must not stop this answer: it lists what it can, and the
    # problems say what is wrong.
    files = []
    help_points_step = None  # where a site's help points are shown, for its picture
    for path in st.draft.paths():
        doc = st.draft.read(path)
        data = _table(doc["data"])
        steps = data.get("steps") if doc["kind"] == "service" else None
        for step in steps if isinstance(steps, list) else []:
            step = _table(step)
            if help_points_step is None and step.get("kind") == "help_points":
                help_points_step = {"item": _word(data.get("id")), "step": _word(step.get("id"))}
        title = _table(data.get("title") or data.get("name"))
        files.append(
            {
                "path": path,
                "kind": file_kind(path),
                "id": _word(data.get("id")) or path,
                "title": _word(title.get("az")),
                "revision": doc["revision"],
            }
        )
    last = st.draft.last_publish()
    try:
        published = published_bundle_version(st.repo)
    except Exception as exc:  # a damaged repository: say so, keep the studio usable
        published = None
        log.warning("content studio: repository %s unreadable: %s", st.repo, exc)
    languages = _languages(st)
    return {
        "files": files,
        # For the form's source fields: the hub's today (no later date checked) and
        # the domains whose pages count as official (others are flagged).
        "today": st.today().isoformat(),
        "official_domains": list(OFFICIAL_SOURCE_DOMAINS),
        "languages": [lang["code"] for lang in languages],
        "voices": {lang["code"]: lang["voice"] for lang in languages},
        "shapes": list(SHAPES),
        "help_points_step": help_points_step,
        "problems": _problems(st),
        "unpublished": st.draft.changes_since(last["at"] if last else None),
        "last_publish": last,
        "published_version": published,
        "publish_problem": st.publish_problem(),
        "publish_problem_texts": _problem_texts(st.publish_problem()),
    }


def _problem_texts(problem: str) -> dict[str, str]:
    """Why Publish cannot work here, in az, ru and en ({} when it can)."""
    if not problem:
        return {}
    code = code_for(409, problem)
    return {lang: error_text(code, lang) for lang in LANGS}


# ---- shapes ---------------------------------------------------------------------------


class SaveIn(BaseModel):
    base_revision: int = Field(ge=0, le=10**9)
    data: dict[str, Any]


class RestoreIn(BaseModel):
    path: str = Field(min_length=1, max_length=120)
    revision: int = Field(ge=0, le=10**9)
    base_revision: int = Field(ge=0, le=10**9)


class PreviewIn(BaseModel):
    lang: str = Field(pattern=r"^[a-z]{2}$")
    screen: str = Field(pattern=r"^(home|group|step)$")
    item: str = Field(default="", max_length=64, pattern=r"^[a-z0-9-]*$")
    step: str = Field(default="", max_length=64, pattern=r"^[a-z0-9-]*$")
    shape: str = Field(default="1280x800", max_length=16)
    site: str = Field(default="", max_length=64, pattern=r"^[a-z0-9-]*$")


# ---- the page ---------------------------------------------------------------------------


@router.get("/studio/content", include_in_schema=False)
def studio_redirect() -> Response:
    return Response(status_code=307, headers={"Location": "/studio/content/"})


@router.get("/studio/content/", response_class=HTMLResponse, include_in_schema=False)
def content_page(request: Request, session: Annotated[Session, Depends(page_admin)]) -> Response:
    """The editor for admins; a volunteer gets the shell's "admins only" page (403),
    whoever is not logged in the login page."""
    main = (STATIC_DIR / "content-studio.html").read_text(encoding="utf-8")
    return shell_page(
        request,
        session,
        "content",
        main,
        title="title_content",
        scripts=["content-studio.js", "content-releases.js", "content-sources.js"],
        styles=["content-studio.css"],
        tools=PUBLISH_BUTTON,
        banners=BANNER,
    )


PUBLISH_BUTTON = (
    '<button type="button" id="publish" class="tool publish" data-t="cs_publish"></button>\n    '
)
BANNER = '<div id="banner" class="banner" role="alert" hidden></div>\n  '


# ---- the API ----------------------------------------------------------------------------


class Refusal(BaseModel):
    """What the content studio says when it refuses: a sentence, or (a conflict, a
    refused save or publish) a table with `message` and what stands in the way
    (`problems`, `changes`, `current_revision`); 422 from the request's own
    checks is FastAPI's list of errors."""

    detail: str | dict[str, Any] | list[Any]


_REFUSALS = {
    401: "not logged in",
    403: "not an admin, or no CSRF token",
    404: "no such file, version, language or recording (or no studio on this hub)",
    409: "in the way: someone saved since, problems in the draft, publishing not set up",
    413: "the file would be too large",
    422: "not a file the studio takes: the wrong shape, type or number",
    503: "the screen renderer or the synthetic voice is not available",
}


def refusals(*codes: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a content studio route: the refusals it gives, in /openapi.json."""
    return {code: {"model": Refusal, "description": _REFUSALS[code]} for code in codes}


def _reasons(reasons: list[str]) -> list[dict[str, Any]]:
    """Why publishing was refused, each in az, ru and en (`texts`, as the content
    problems are; a reason without a code is in English in all three)."""
    return [
        {
            "text": str(r),
            "code": wording.code_of(r),
            "texts": {lang: wording.told(r, lang) for lang in wording.LANGS},
        }
        for r in reasons
    ]


def _refused(status: int, reasons: list[str], head: str = "") -> HTTPException:
    """A refusal with its reasons, each with a code and its az/ru/en text (the
    release, the file, the date named in each; at most 10 reasons, none from the request)."""
    reasons = list(reasons)[:10]
    english = "; ".join(str(r) for r in reasons)
    return HTTPException(status, {"message": head or english, "problems": _reasons(reasons)})


def _draft_error(exc: DraftError) -> HTTPException:
    detail: Any = {"message": str(exc), **exc.detail} if exc.detail else str(exc)
    return HTTPException(exc.code, detail)


@router.get(f"{API}/files", responses=refusals(401, 403, 404))
def files(
    session: Annotated[Session, Depends(require_admin)],
    st: Annotated[Studio, Depends(studio)],
) -> dict[str, Any]:
    """Every file of the draft, the problems in it, and what is published."""
    return {"who": session.volunteer.name, "csrf_token": session.csrf, **_overview(st)}


@router.get(f"{API}/sources", responses=refusals(401, 403, 404))
def sources(
    session: Annotated[Session, Depends(require_admin)],
    st: Annotated[Studio, Depends(studio)],
) -> dict[str, Any]:
    """What the draft's facts rest on (as `kiosk content sources --json`): per
    service and site every source with its checked date, every unconfirmed item,
    the sources due for a recheck and any item that names no source."""
    return st.draft.sources(st.allowlist, st.today())


@router.get(f"{API}/files/{{path:path}}", responses=refusals(401, 403, 404, 422))
def read_file(
    path: str,
    session: Annotated[Session, Depends(require_admin)],
    st: Annotated[Studio, Depends(studio)],
) -> dict[str, Any]:
    try:
        return st.draft.read(path)
    except DraftError as exc:
        raise _draft_error(exc) from None


@router.put(f"{API}/files/{{path:path}}", responses=refusals(401, 403, 404, 409, 413, 422))
def save_file(
    path: str,
    body: SaveIn,
    session: Annotated[Session, Depends(changing_admin)],
    st: Annotated[Studio, Depends(studio)],
    ctx: Annotated[HubContext, Depends(hub_context)],
) -> dict[str, Any]:
    """Save into the draft (refused on a conflict), then check the whole draft."""
    try:
        saved = st.draft.save(
            path, body.data, body.base_revision, session.volunteer.name, ctx.clock.now()
        )
    except DraftError as exc:
        log.info(
            "content studio: %s could not save %s: %s", session.volunteer.name, shown(path), exc
        )
        raise _draft_error(exc) from None
    if saved.diff:
        log.info(
            "content studio: %s saved %s version %d", session.volunteer.name, path, saved.revision
        )
        ctx.store.audit(
            session.volunteer.name,
            AuditAction.CONTENT_SAVE,
            path,
            ctx.clock.now(),
            revision=saved.revision,
        )
    return {
        "path": path,
        "revision": saved.revision,
        "diff": saved.diff,
        "problems": _problems(st),
    }


@router.get(f"{API}/history", responses=refusals(401, 403, 404, 422))
def history(
    session: Annotated[Session, Depends(require_admin)],
    st: Annotated[Studio, Depends(studio)],
    path: Annotated[str | None, Query(max_length=120)] = None,
) -> dict[str, Any]:
    """Changes, newest first: who, when, what (a diff)."""
    return {"changes": st.draft.history(path)}


@router.post(f"{API}/restore", responses=refusals(401, 403, 404, 409, 413, 422))
def restore(
    body: RestoreIn,
    session: Annotated[Session, Depends(changing_admin)],
    st: Annotated[Studio, Depends(studio)],
    ctx: Annotated[HubContext, Depends(hub_context)],
) -> dict[str, Any]:
    """Bring back an earlier version of a file (recorded as a new change)."""
    try:
        saved = st.draft.restore(
            body.path, body.revision, body.base_revision, session.volunteer.name, ctx.clock.now()
        )
    except DraftError as exc:
        raise _draft_error(exc) from None
    log.info(
        "content studio: %s restored %s to version %d",
        session.volunteer.name,
        body.path,
        body.revision,
    )
    ctx.store.audit(
        session.volunteer.name,
        AuditAction.CONTENT_RESTORE,
        body.path,
        ctx.clock.now(),
        revision=body.revision,
    )
    return {"path": body.path, "revision": saved.revision, "problems": _problems(st)}


@router.post(f"{API}/preview", responses=refusals(401, 403, 404, 422, 503))
async def preview(
    body: PreviewIn,
    session: Annotated[Session, Depends(changing_admin)],
    st: Annotated[Studio, Depends(studio)],
) -> dict[str, Any]:
    """A picture of one screen of the draft, as a resident would see it."""
    if body.shape not in SHAPES:
        raise HTTPException(422, f"shape must be one of {', '.join(SHAPES)}")
    languages = {g["code"] for g in _languages(st)}
    if languages and body.lang not in languages:
        # Not a picture in another language labelled as this one.
        raise HTTPException(404, f"the bundle has no language {shown(body.lang)}")
    return await run_in_threadpool(_render, st, body)


def _render(st: Studio, body: PreviewIn) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(dir=st.home, prefix=".preview-") as tmp:
        content = Path(tmp) / "content"
        st.draft.snapshot(content)
        out = Path(tmp) / "screen.png"
        try:
            answer = st.renderer.render(
                {
                    "content": str(content),
                    "site": body.site,
                    "lang": body.lang,
                    "screen": body.screen,
                    "item": body.item,
                    "step": body.step,
                    "out": str(out),
                },
                SHAPES[body.shape],
            )
        except RendererError as exc:
            raise HTTPException(503, str(exc)) from None
        if not answer.get("ok"):
            return {"image": "", "problems": [], "error": answer.get("error", "no picture")}
        image = "data:image/png;base64," + base64.b64encode(out.read_bytes()).decode()
    return {"image": image, "problems": answer.get("problems", []), "error": ""}


@router.get(
    f"{API}/listen",
    response_class=Response,
    responses={200: {"content": {"audio/wav": {}}}, **refusals(401, 403, 404, 422, 503)},
)
async def listen(
    session: Annotated[Session, Depends(require_admin)],
    st: Annotated[Studio, Depends(studio)],
    lang: Annotated[str, Query(pattern=r"^[a-z]{2}$")],
    text: Annotated[str, Query(min_length=1, max_length=1000)],
) -> Response:
    """The text spoken by the terminals' synthetic voice (WAV)."""
    voice = next((g["voice"] for g in _languages(st) if g["code"] == lang), None)
    if not voice:
        raise HTTPException(404, f"the bundle has no language {shown(lang)}")
    return await run_in_threadpool(_speak, st, text, voice)


@router.get(
    f"{API}/recording",
    response_class=FileResponse,
    responses={
        200: {"content": {"audio/wav": {}, "audio/ogg": {}, "audio/mpeg": {}}},
        **refusals(401, 403, 404, 422),
    },
)
def recording(
    session: Annotated[Session, Depends(require_admin)],
    st: Annotated[Studio, Depends(studio)],
    file: Annotated[str, Query(min_length=1, max_length=255)],
) -> FileResponse:
    """A recorded clip of the draft (a `text_audio` / `say_audio` file), to listen to."""
    from kiosk.core.content.loader import AUDIO_SUFFIXES

    root = st.draft.root.resolve()
    path = (root / file).resolve()
    if root not in path.parents or path.suffix.lower() not in AUDIO_SUFFIXES or not path.is_file():
        raise HTTPException(404, f"no recording {shown(file)} in the draft")
    media = {".wav": "audio/wav", ".ogg": "audio/ogg", ".mp3": "audio/mpeg"}
    return FileResponse(
        path, media_type=media[path.suffix.lower()], headers={"Cache-Control": "no-store"}
    )


def _speak(st: Studio, text: str, voice: str) -> Response:
    from kiosk.core.narration.engines import EngineError

    with tempfile.TemporaryDirectory(dir=st.home, prefix=".listen-") as tmp:
        out = Path(tmp) / "say.wav"
        try:
            st.speak(text, voice, out)
        except EngineError as exc:
            raise HTTPException(503, f"no synthetic voice on this hub: {exc}") from None
        return Response(
            out.read_bytes(), media_type="audio/wav", headers={"Cache-Control": "no-store"}
        )


class PublishIn(BaseModel):
    # What the admin confirmed (from /publish/summary); "" publishes without asking.
    fingerprint: str = Field(default="", max_length=64, pattern=r"^[0-9a-f]*$")
    # A pilot: only these sites' terminals install it, until it is given to every site.
    pilot: list[SiteId] = Field(default=[], max_length=20)


class RollbackIn(BaseModel):
    version: int = Field(ge=1, le=2**31)
    promote: bool = False  # a pilot release's content to every site


def _set_version(path: Path, version: int) -> None:
    """bundle.toml's version in a copy of the draft (as Draft.set_bundle_version writes it)."""
    import tomlkit

    doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    doc["version"] = version
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")


def _changes_json(changes: Any) -> dict[str, Any]:
    return {"changes": changes.as_json(), "line": changes.line(), "empty": changes.empty}


@router.get(f"{API}/publish/summary", responses=refusals(401, 403, 404, 409))
def publish_summary(
    session: Annotated[Session, Depends(require_admin)],
    st: Annotated[Studio, Depends(studio)],
    ctx: Annotated[HubContext, Depends(hub_context)],
) -> dict[str, Any]:
    """What publishing the draft now would change for the fleet (services, texts,
    recordings, sites, other files: added, changed, removed), to confirm first."""
    return run_summary(st, ctx, session.volunteer.name)


def run_summary(st: Studio, ctx: HubContext, who: str) -> dict[str, Any]:
    from kiosk.core.content.publish import PublishError, published_bundle_version
    from kiosk.core.content.releases import compare_with_published, fingerprint

    with st.publish_lock:
        st.take_voices(ctx.store, ctx.data_dir, who, ctx.clock.now())
        try:
            published = published_bundle_version(st.repo)
        except PublishError as exc:
            raise _refused(409, exc.problems) from None
        with tempfile.TemporaryDirectory(dir=st.home, prefix=".summary-") as tmp:
            st.draft.snapshot(Path(tmp) / "content")
            try:
                changes = compare_with_published(st.repo, Path(tmp) / "content")
            except PublishError as exc:
                raise _refused(409, exc.problems) from None
            mark = fingerprint(Path(tmp) / "content")
            warnings = _voice_warnings(Path(tmp) / "content", st)
    return {
        **_changes_json(changes),
        "fingerprint": mark,
        "published_version": published,
        "next_version": (published or 0) + 1,
        "problems": len(_problems(st)),
        # What the synthetic voice would misread: shown before publishing, never blocking.
        "voice_warnings": warnings,
    }


def _voice_warnings(folder: Path, st: Studio, most: int = 50) -> list[dict[str, Any]]:
    """The draft's voice warnings (as `kiosk content validate` prints them), each with
    its code and its line in az, ru and en; at most `most` of them."""
    from kiosk.core.content.loader import check_bundle
    from kiosk.core.content.speech import speech_warnings

    bundle, _ = check_bundle(folder, st.allowlist, today=st.today())
    return [problem_json(p) for p in speech_warnings(bundle)[:most]] if bundle else []


@router.get(f"{API}/releases", responses=refusals(401, 403, 404, 409))
def releases(
    session: Annotated[Session, Depends(require_admin)],
    st: Annotated[Studio, Depends(studio)],
) -> dict[str, Any]:
    """Every release in the repository, newest first: version, when, who, what changed."""
    from kiosk.core.content.publish import PublishError
    from kiosk.core.content.releases import list_releases

    try:
        found = list_releases(st.repo)
    except PublishError as exc:
        raise _refused(409, exc.problems) from None
    return {
        "releases": [
            {
                "version": r.version,
                "at": r.at,
                "by": r.by,
                "note": r.note,
                "summary": r.summary,
                "files": len(r.files),
                "current": r.current,
                "sites": list(r.sites),
            }
            for r in found
        ],
        "publish_problem": st.publish_problem(),
    }


@router.get(f"{API}/releases/{{version}}/summary", responses=refusals(401, 403, 404, 422))
def rollback_summary(
    version: Annotated[int, Path_(ge=1, le=2**31)],
    session: Annotated[Session, Depends(require_admin)],
    st: Annotated[Studio, Depends(studio)],
) -> dict[str, Any]:
    """What rolling the fleet back to `version` would change, to confirm first."""
    from kiosk.core.content.publish import PublishError, published_bundle_version
    from kiosk.core.content.releases import checkout, compare_with_published, find_release

    try:
        published = published_bundle_version(st.repo)
        with tempfile.TemporaryDirectory(dir=st.home, prefix=".summary-") as tmp:
            folder = checkout(st.repo, find_release(st.repo, version), Path(tmp) / "content")
            changes = compare_with_published(st.repo, folder)
    except PublishError as exc:
        raise _refused(404, exc.problems) from None
    return {**_changes_json(changes), "published_version": published, "version": version}


@router.post(f"{API}/rollback", responses=refusals(401, 403, 404, 409, 413, 422))
def rollback_fleet(
    body: RollbackIn,
    session: Annotated[Session, Depends(changing_admin)],
    st: Annotated[Studio, Depends(studio)],
    ctx: Annotated[HubContext, Depends(hub_context)],
) -> dict[str, Any]:
    """Publish an earlier release's content again as the next version (terminals never
    take a lower one). The draft is not changed: its next publish says what it brings back."""
    from kiosk.core.content.publish import PublishError
    from kiosk.core.content.releases import rollback

    who, now = session.volunteer.name, ctx.clock.now()
    if problem := st.publish_problem():
        raise HTTPException(409, problem)
    assert st.keys is not None
    with st.publish_lock:
        try:
            result, changes = rollback(
                st.repo,
                st.keys,
                body.version,
                who,
                st.allowlist,
                now=now,
                work=st.home,
                promote=body.promote,
            )
        except PublishError as exc:
            raise _refused(409, exc.problems, "nothing was published") from None
        st.draft.record_publish(who, now, result.bundle_version, f"rollback to {body.version}")
    log.info(
        "content studio: %s rolled the fleet back to version %d as version %d",
        who,
        body.version,
        result.bundle_version,
    )
    ctx.store.audit(
        who,
        AuditAction.CONTENT_PROMOTE if body.promote else AuditAction.CONTENT_ROLLBACK,
        "",
        now,
        version=result.bundle_version,
        to_version=body.version,
        summary=changes.line(),
    )
    return {"bundle_version": result.bundle_version, "to_version": body.version}


@router.post(f"{API}/publish", responses=refusals(401, 403, 404, 409, 413, 422))
def publish_draft(
    session: Annotated[Session, Depends(changing_admin)],
    st: Annotated[Studio, Depends(studio)],
    ctx: Annotated[HubContext, Depends(hub_context)],
    body: PublishIn | None = None,
) -> dict[str, Any]:
    """Check the draft, raise its version, sign it with the hub's key and write the
    repository. With the `fingerprint` the admin confirmed, a draft that changed
    since is refused (409) instead of published unseen."""
    from kiosk.core.content.publish import PublishError, publish, published_bundle_version
    from kiosk.core.content.releases import check_pilot, compare_with_published, fingerprint

    who, now = session.volunteer.name, ctx.clock.now()
    if problem := st.publish_problem():
        raise HTTPException(409, problem)
    with st.publish_lock:
        # Voices approved since (also with `kiosk hub recordings approve`) go in first.
        st.take_voices(ctx.store, ctx.data_dir, who, now)
        problems = _problems(st)
        if problems:
            raise HTTPException(
                409,
                {
                    "message": f"fix {len(problems)} problem(s) first; nothing was published",
                    "problems": problems,
                },
            )
        try:
            published = published_bundle_version(st.repo)
        except PublishError as exc:
            raise _refused(409, exc.problems) from None
        current = _table(st.draft.read("bundle.toml")["data"]).get("version", 0)
        current = current if isinstance(current, int) and not isinstance(current, bool) else 0
        version = max(current, (published or 0) + 1)
        if version > MAX_NUMBER:
            raise HTTPException(
                409,
                {
                    "message": "nothing was published",
                    "problems": [
                        f"bundle.toml: version: {number_problem(version)}; the repository's "
                        f"last version is {published}: publish to a new repository"
                    ],
                },
            )
        try:
            assert st.keys is not None
            # A copy: what is checked is exactly what is signed, whoever saves meanwhile.
            with tempfile.TemporaryDirectory(dir=st.home, prefix=".publish-") as tmp:
                content = Path(tmp) / "content"
                st.draft.snapshot(content)
                # The copy carries the new version; the draft only once it is published,
                # so a refused publish leaves the draft as it was.
                _set_version(content / "bundle.toml", version)
                confirmed = body.fingerprint if body else ""
                if confirmed and fingerprint(content) != confirmed:
                    raise HTTPException(
                        409,
                        {
                            "message": "the draft changed since you looked at the changes; "
                            "nothing was published. Look at the changes again.",
                            "changed": True,
                        },
                    )
                changes = compare_with_published(st.repo, content)
                release: dict[str, Any] = {"by": who, "summary": changes.line()}
                if body and body.pilot:
                    check_pilot(content, body.pilot)
                    release["sites"] = sorted(set(body.pilot))
                result = publish(content, st.repo, st.keys, allowlist=st.allowlist, release=release)
        except (PublishError, DraftError) as exc:
            reasons = exc.problems if isinstance(exc, PublishError) else [str(exc)]
            st.draft.record_publish(who, now, version, "refused: " + "; ".join(reasons))
            log.warning("content studio: publish by %s refused: %s", who, "; ".join(reasons))
            ctx.store.audit(
                who,
                AuditAction.CONTENT_PUBLISH_REFUSED,
                "",
                now,
                reason="; ".join(reasons)[:300],
            )
            raise HTTPException(
                409, {"message": "nothing was published", "problems": _reasons(reasons)}
            ) from None
        st.draft.set_bundle_version(version, who, now)
        st.draft.record_publish(who, now, version, "published")
    log.info(
        "content studio: %s published bundle version %d (%d files, %d new)",
        who,
        result.bundle_version,
        result.files,
        result.new_files,
    )
    pilot = {"pilot": ", ".join(body.pilot)} if body and body.pilot else {}
    ctx.store.audit(
        who,
        AuditAction.CONTENT_PUBLISH,
        "",
        now,
        **pilot,
        version=result.bundle_version,
        files=result.files,
        new_files=result.new_files,
        summary=changes.line(),
    )
    return {
        "bundle_version": result.bundle_version,
        "files": result.files,
        "new_files": result.new_files,
        "repo": str(st.repo),
    }
