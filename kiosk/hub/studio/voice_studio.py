"""The voice studio at /studio/: volunteers record the texts residents hear, in
the browser (MediaRecorder), on a phone or a laptop; admins listen and approve.

The page is the hub page shell (web/shell.py) around studio-voice.js. The API lists
the texts of the hub's content (the studios' draft, the one content both studios
work on; see content_drafts.hub_content_dir) for one language, most heard
first (weighted by the hub's usage counts), with their state; takes a recording
(multipart upload, volunteer session and CSRF token, consent required); plays
one back; and lets an admin approve or reject. Processing and storage are in
recordings.py; nothing is stored for a refused upload.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse

from kiosk.core.content import Bundle, load_bundle, wording
from kiosk.core.content.speech import say_problems
from kiosk.core.narration.voices import coverage
from kiosk.hub.context import HubContext, hub_context
from kiosk.hub.fields import RowId, answers, shown
from kiosk.hub.queue.console_api import changing, require_session
from kiosk.hub.store import AuditAction, Session, StoreError
from kiosk.hub.studio import recordings
from kiosk.hub.web.shell import page_session, shell_page

router = APIRouter(tags=["studio"])
API = "/api/v1/studio/voice"
UPLOAD = f"{API}/recordings"
UPLOAD_BODY_LIMIT = recordings.MAX_UPLOAD_BYTES + 64 * 1024  # the form's other fields

MAIN = """<h1 data-t="voice_title"></h1>
<p class="lead" data-t="voice_lead"></p>
<div class="studio-tools">
  <label for="voice-lang" data-t="voice_lang"></label>
  <select id="voice-lang"></select>
  <label for="voice-filter" data-t="voice_show"></label>
  <select id="voice-filter">
    <option value="all" data-t="filter_all"></option>
    <option value="todo" data-t="filter_todo"></option>
    <option value="recorded" data-t="filter_recorded"></option>
  </select>
  <input id="voice-search" type="search" maxlength="200" autocomplete="off" data-t-placeholder="voice_search" data-t-label="voice_search">
  <button type="button" id="voice-next" class="primary" data-t="voice_next"></button>
</div>
<p id="voice-found" class="found" role="status" aria-live="polite"></p>
<div class="coverage" id="voice-coverage" aria-live="polite"></div>
<p id="voice-error" class="error" role="alert"></p>
<ol id="voice-texts" class="texts"></ol>
"""

_cache_lock = threading.Lock()
_cache: dict[Path, tuple[tuple[int, ...], Bundle]] = {}


def _signature(root: Path) -> tuple[int, ...]:
    return tuple(sorted(p.stat().st_mtime_ns for p in root.rglob("*.toml")))


def studio_bundle(ctx: HubContext) -> Bundle:
    """The hub's content, loaded again only when one of its TOML files changed."""
    root = ctx.content_dir
    sig = _signature(root)
    with _cache_lock:
        hit = _cache.get(root)
        if hit and hit[0] == sig:
            return hit[1]
    try:
        bundle = load_bundle(root)
    except Exception as exc:
        raise HTTPException(503, f"the hub's content does not load: {exc}") from None
    with _cache_lock:
        _cache[root] = (sig, bundle)
    return bundle


def _opened(ctx: HubContext) -> dict[str, int]:
    return {r["service"]: r["opened"] or 0 for r in ctx.store.usage_by_service() if r["service"]}


def _recording_json(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "id": row["id"],
        "by": row["by"],
        "created_at": row["created_at"],
        "status": row["status"],
        "seconds": row["seconds"],
        "words": row["words"],
        "loudness_in": row["loudness_in"],
        "loudness_out": row["loudness_out"],
        "reviewed_by": row["reviewed_by"] or "",
        "audio": f"{API}/recordings/{row['id']}/audio",
    }


def voice_warnings(words: str, lang: str) -> list[dict[str, Any]]:
    """What the synthetic voice would read wrongly in `words`: each warning's code and
    its text in az, ru and en (as `kiosk content validate` says them)."""
    return [
        {"code": wording.code_of(m), "texts": {lg: wording.told(m, lg) for lg in wording.LANGS}}
        for m in say_problems(words, lang)
    ]


def texts_json(ctx: HubContext, lang: str, site: str | None = None) -> dict[str, Any]:
    bundle = studio_bundle(ctx)
    if lang not in bundle.language_codes:
        raise HTTPException(404, f"the content has no language {shown(lang)}")
    opened = _opened(ctx)
    states = recordings.text_states(ctx.store, bundle, lang, opened, site)
    total = sum(s.spoken.weight for s in states) or 1.0
    human = [s for s in states if s.state in ("recorded", "approved")]
    approved = [s for s in states if s.state == "approved"]
    return {
        "lang": lang,
        "languages": [{"code": lg.code, "name": lg.name} for lg in bundle.languages],
        "coverage": {
            "approved": len(approved),
            "recorded": len(human),
            "total": len(states),
            "share": round(sum(s.spoken.weight for s in approved) / total, 4),
            "bundle": coverage(bundle, lang, opened).share,
        },
        "consent": recordings.CONSENT,
        "texts": [
            {
                "key": s.spoken.key,
                "words": s.spoken.words(lang),
                "where": s.spoken.where,
                "weight": round(s.spoken.weight, 4),
                "state": s.state,
                "recording": _recording_json(s.recording),
                # What the synthetic voice would misread (a warning: recording it fixes it).
                "warnings": voice_warnings(s.spoken.words(lang), lang),
            }
            for s in states
        ],
    }


@router.get("/studio/", response_class=HTMLResponse, include_in_schema=False)
def voice_page(
    request: Request, session: Annotated[Session, Depends(page_session)]
) -> HTMLResponse:
    return shell_page(
        request,
        session,
        "voice",
        MAIN,
        title="title_voice",
        scripts=["studio-voice.js"],
        styles=["studio.css"],
    )


@router.get(f"{API}/texts", responses=answers(401, 404, 503))
def texts(
    session: Annotated[Session, Depends(require_session)],
    ctx: Annotated[HubContext, Depends(hub_context)],
    lang: str = "az",
) -> dict[str, Any]:
    """Every text heard in `lang`, most heard first, with its state and coverage."""
    return texts_json(ctx, lang, session.volunteer.site)


@router.post(UPLOAD, status_code=201, responses=answers(400, 401, 403))
async def upload(
    session: Annotated[Session, Depends(changing)],
    ctx: Annotated[HubContext, Depends(hub_context)],
    audio: Annotated[UploadFile, File()],
    key: Annotated[str, Form(max_length=200)],
    lang: Annotated[str, Form(max_length=10)],
    words: Annotated[str, Form(max_length=2000)],
    consent: Annotated[str, Form(max_length=10)] = "",
    ui_lang: Annotated[str, Form(max_length=10)] = "en",
) -> dict[str, Any]:
    """One recording of the text `key` in `lang`, for the exact `words` shown.
    The file was spooled to disk while it arrived; it is decoded from there."""
    if consent != "yes":
        raise HTTPException(400, "a recording is only kept with the speaker's consent")
    consent_text = recordings.CONSENT.get(ui_lang, recordings.CONSENT["en"])

    def store() -> dict[str, Any]:
        return recordings.add_recording(
            ctx.store,
            ctx.data_dir,
            studio_bundle(ctx),
            audio=audio.file,
            key=key,
            lang=lang,
            by=session.volunteer.name,
            consent=consent_text,
            source="studio",
            now=ctx.clock.now(),
            words=words,
            site=session.volunteer.site,
            quota_bytes=ctx.settings["hub.recording_quota_mib"] * 1024 * 1024,
        )

    try:
        row = await run_in_threadpool(store)
    except recordings.RecordingRefused as exc:
        raise HTTPException(exc.code, str(exc)) from None
    ctx.store.audit(
        session.volunteer.name,
        AuditAction.VOICE_UPLOAD,
        key,
        ctx.clock.now(),
        lang=lang,
        recording=row["id"],
    )
    return {"recording": _recording_json(row)}


@router.get(
    f"{API}/recordings/{{recording_id}}/audio",
    response_class=FileResponse,
    responses={200: {"content": {"audio/wav": {}}}, **answers(401, 404)},
)
def recording_audio(
    recording_id: RowId,
    session: Annotated[Session, Depends(require_session)],
    ctx: Annotated[HubContext, Depends(hub_context)],
) -> FileResponse:
    row = ctx.store.recording(recording_id, site=session.volunteer.site)  # another site's: 404
    path = recordings.recordings_dir(ctx.data_dir) / row["file"] if row else None
    if path is None or not path.is_file():
        raise HTTPException(404, "no such recording")
    return FileResponse(path, media_type="audio/wav", headers={"Cache-Control": "no-store"})


@router.post(
    f"{API}/recordings/{{recording_id}}/{{verdict}}", responses=answers(401, 403, 404, 409)
)
def review(
    recording_id: RowId,
    verdict: str,
    request: Request,
    session: Annotated[Session, Depends(changing)],
    ctx: Annotated[HubContext, Depends(hub_context)],
) -> dict[str, Any]:
    """An admin approves a recording (it is written into the studios' draft at once,
    so the next release from the content studio has it) or rejects one."""
    if verdict not in ("approve", "reject"):
        raise HTTPException(404, "approve or reject")
    if not session.volunteer.admin:
        raise HTTPException(403, "only an admin may approve or reject recordings")
    status = "approved" if verdict == "approve" else "rejected"
    try:
        row = ctx.store.review_recording(
            recording_id,
            status,
            session.volunteer.name,
            ctx.clock.now(),
            site=session.volunteer.site,  # another site's recording: 404
        )
    except StoreError as exc:
        raise HTTPException(exc.code, str(exc)) from None
    ctx.store.audit(
        session.volunteer.name,
        AuditAction.VOICE_APPROVE if status == "approved" else AuditAction.VOICE_REJECT,
        row["text_key"],
        ctx.clock.now(),
        lang=row["lang"],
        recording=row["id"],
        by=row["by"],
    )
    in_draft = False
    studio = getattr(request.app.state, "content_studio", None)
    if status == "approved" and studio is not None:
        written = studio.take_voices(
            ctx.store, ctx.data_dir, session.volunteer.name, ctx.clock.now()
        )
        in_draft = written is not None and any(
            line.startswith(f"{row['lang']} {row['text_key']} ") for line in written
        )
    elif studio is not None:  # rejected: out of the draft again, if it was in
        studio.withdraw_voice(ctx.store, ctx.data_dir, row, session.volunteer.name, ctx.clock.now())
    return {"recording": _recording_json(row), "in_draft": in_draft}
