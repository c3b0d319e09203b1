"""A child process that renders one screen at a time for the hub's content studio.

`python -m kiosk.preview.worker WIDTH HEIGHT` opens Kömək's off-screen
window at that size and answers requests, one JSON object per line on stdin:

    {"content": DIR, "site": ID, "lang": "az", "screen": "step",
     "item": SERVICE, "step": STEP, "out": PNG}

with one line on stdout starting with REPLY_PREFIX: {"ok": true, "problems":
[...text that does not fit...]} or {"ok": false, "error": "..."}. Kivy's own
log lines may come in between; the hub skips them. A request for content
that does not load gets an error and leaves the worker ready for the next.
The hub runs this in its own process so rendering never blocks the web server
(and Kivy's one window per process is no limit).
"""

from __future__ import annotations

import json
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any

from kiosk.preview.renderer import REPLY_PREFIX


def _reply(doc: dict[str, Any]) -> None:
    sys.stdout.write(REPLY_PREFIX + json.dumps(doc, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def main(argv: list[str]) -> int:
    width, height = int(argv[0]), int(argv[1])
    from kiosk.core.settings import KIOSK_SETTINGS, validate_values

    data = tempfile.mkdtemp(prefix="komek-preview-")
    base = {"kiosk.data_dir": data, "display.width": width, "display.height": height}
    settings = validate_values(base, KIOSK_SETTINGS, "preview")
    from kiosk.ui.boot import configure_kivy

    configure_kivy(settings, windowed=True, offscreen=True)
    from kiosk.core.content import check_bundle
    from kiosk.core.content.places import for_site
    from kiosk.core.terminal import NoNarration, Terminal, load_site, load_terminal_content
    from kiosk.ui.fit import text_problems
    from kiosk.ui.harness import OffscreenKiosk
    from kiosk.ui.preview import areas, show_one

    bundle, site = load_terminal_content(settings)
    kiosk = OffscreenKiosk(Terminal(settings, bundle, site, NoNarration()))
    _reply({"ok": True, "ready": True})
    for line in sys.stdin:
        try:
            req = json.loads(line)
            # A draft with problems is still drawn, as far as it goes.
            bundle, found = check_bundle(Path(req["content"]), draft=True)
            if bundle is None:
                raise ValueError("; ".join(map(str, found[:3])))
            terminal = kiosk.app.terminal
            site = load_site(bundle, req.get("site") or next(iter(bundle.sites)))
            # As that site's terminal shows it: its places ({place:asan}) filled in.
            terminal.bundle = for_site(bundle, site)
            terminal.site = site
            kiosk.app.content_changed()
            show_one(kiosk, req["lang"], req["screen"], req.get("item", ""), req.get("step", ""))
            kiosk.frames(3)
            problems = text_problems(areas(kiosk))
            kiosk.screenshot(Path(req["out"]))
            kiosk.app.start_over()
            _reply({"ok": True, "problems": problems})
        except Exception as exc:  # one bad request must not end the worker
            _reply({"ok": False, "error": f"{type(exc).__name__}: {exc}"})
            traceback.print_exc(file=sys.stderr)
    kiosk.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
