"""docs/hub.md's curl example is true: each `curl` block of its "Try the terminal
API" section runs, as written, with bash and curl against a real hub, and its
answer is the JSON block the guide shows under it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from tests.fleet_support import FleetHub

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "hub.md"
PAIR = re.compile(r"```sh\n(curl .*?)```\s*```json\n(.*?)```", re.S)


def examples() -> list[tuple[str, str]]:
    section = GUIDE.read_text(encoding="utf-8").split("## 6. Try the terminal API with curl")[1]
    section = section.split("\n## ")[0]
    return PAIR.findall(section)


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")
def test_the_guides_curl_examples_answer_as_shown(tmp_path):
    found = examples()
    assert len(found) == 5
    # The guide's request was issued at 10:15 +04:00 on 2026-12-06: the hub's clock then.
    hub = FleetHub(tmp_path / "hub", datetime.fromisoformat("2026-12-06T10:16:00+04:00"))
    try:
        key = hub.add_terminal("hall-1", "barda")
        env = dict(os.environ, HUB=hub.url, KEY=key)
        for command, shown in found:
            out = subprocess.run(
                ["bash", "-c", command], capture_output=True, text=True, env=env, timeout=30
            )
            assert out.returncode == 0, out.stderr
            assert json.loads(out.stdout) == json.loads(shown), command
        [row] = hub.store.queue("barda", hub.clock.now())
        assert (row["ticket"], row["first_name"], row["topic_service_id"]) == (
            "A-014",
            "Aynur",
            "id-card",
        )
        assert hub.store.heartbeats()[0]["content_version"] == "3"
    finally:
        hub.stop()
