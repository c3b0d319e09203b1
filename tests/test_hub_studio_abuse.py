"""The studios under a hostile LAN, against a real hub in its own process:
large bodies are refused before they are read (the hub stays quick and small),
and an upload that is a playlist or a list of files is refused without the hub
reading any file it names.

Latencies here are behaviour bounds (the hub must not stall), not benchmarks."""

from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.hub_process import HubProcess
from tests.voice_support import speech_like, wav_bytes

MiB = 1024 * 1024
UPLOAD = "/api/v1/studio/voice/recordings"
HOME_AZ = "Nə ilə kömək edək? Şəklə toxunun."
# Every kind of studio route that takes a body, the upload prefix included.
STUDIO_POSTS = [
    ("POST", UPLOAD),
    ("POST", UPLOAD + "/anything/below/it"),
    ("POST", f"{UPLOAD}/1/approve"),
    ("PUT", "/api/v1/studio/content/files/bundle.toml"),
    ("POST", "/api/v1/studio/content/publish"),
    ("POST", "/api/v1/studio/content/preview"),
    ("POST", "/api/v1/studio/content/restore"),
]


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    root = tmp_path_factory.mktemp("studio-abuse")
    # A real recording next to the hub's working folder, for a playlist to point at.
    (root / "voice.wav").write_bytes(wav_bytes(speech_like()))
    with HubProcess(root / "hub", cwd=root) as h:
        h.root = root
        yield h


def raw_request(hub: HubProcess, method: str, path: str, headers: dict[str, str]) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", hub.port), timeout=10)
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    return sock


def status_of(sock: socket.socket) -> int:
    """The status of the answer; raises socket.timeout when none comes."""
    head = b""
    while b"\r\n" not in head:
        chunk = sock.recv(1024)
        if not chunk:
            raise ConnectionError("closed without an answer")
        head += chunk
    return int(head.split(b" ", 2)[1])


@pytest.mark.parametrize(("method", "path"), STUDIO_POSTS)
def test_a_large_body_without_a_login_is_refused_before_it_is_read(hub, method, path):
    # Only the headers are sent: a hub that waited for the 25 MiB would never answer.
    for ctype in ("application/json", "multipart/form-data; boundary=x"):
        sock = raw_request(
            hub, method, path, {"Content-Type": ctype, "Content-Length": str(25 * MiB)}
        )
        with sock:
            assert status_of(sock) == 401
    chunked = raw_request(
        hub, method, path, {"Content-Type": "application/json", "Transfer-Encoding": "chunked"}
    )
    with chunked:
        assert status_of(chunked) == 401


def _flood(hub: HubProcess, method: str, path: str, body: bytes) -> str:
    """Sends a whole large body (or as much as the hub takes) without a login."""
    sock = raw_request(
        hub, method, path, {"Content-Type": "application/json", "Content-Length": str(len(body))}
    )
    sent = 0
    with sock:
        try:
            view = memoryview(body)
            while sent < len(body):
                sent += sock.send(view[sent : sent + MiB])
        except OSError:
            pass  # the hub answered and closed: it did not want the rest
        try:
            return str(status_of(sock))
        except OSError as exc:
            return type(exc).__name__  # reset before the answer could be read


def test_twenty_large_bodies_neither_slow_the_hub_nor_fill_its_memory(hub):
    body = b'{"data": "' + b"x" * (25 * MiB) + b'"}'
    before = hub.rss()
    most = [before]
    waits: list[float] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            most.append(hub.rss())
            start = time.monotonic()
            assert requests.get(f"{hub.url}/healthz", timeout=10).status_code == 200
            waits.append(time.monotonic() - start)
            stop.wait(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        jobs = [STUDIO_POSTS[i % len(STUDIO_POSTS)] for i in range(20)]
        outcomes: list[str] = []
        with ThreadPoolExecutor(20) as pool:
            # Twenty at once, again and again, until the health check was asked often.
            while len(waits) < 10 or len(outcomes) < 60:
                outcomes += pool.map(lambda j: _flood(hub, j[0], j[1], body), jobs)
    finally:
        stop.set()
        watcher.join(30)
    print(
        f"\n{len(outcomes)} x 25 MiB unauthenticated, 20 at once: health check up to {max(waits) * 1000:.0f} ms "
        f"over {len(waits)} checks, hub RSS +{(max(most) - before) / MiB:.1f} MiB"
    )
    assert set(outcomes) <= {"401", "ConnectionResetError", "BrokenPipeError"}, outcomes
    assert "401" in outcomes
    assert waits and max(waits) < 0.5, f"health check took up to {max(waits):.2f} s"
    assert max(most) - before < 100 * MiB, f"the hub grew {(max(most) - before) / MiB:.0f} MiB"


def test_a_logged_in_volunteer_cannot_send_json_of_upload_size(hub):
    volunteer = hub.login("aysel")
    body = b'{"x": "' + b"y" * (2 * MiB) + b'"}'
    r = volunteer.post(
        hub.url + UPLOAD, data=body, headers={"Content-Type": "application/json"}, timeout=30
    )
    assert r.status_code == 413  # the larger limit is for a form upload only
    r = volunteer.post(
        f"{hub.url}{UPLOAD}/1/approve",
        files={"audio": ("a.wav", b"RIFF" + b"\0" * (2 * MiB))},
        timeout=30,
    )
    assert r.status_code == 413  # and only on the upload route itself


def test_a_large_upload_is_spooled_to_disk_not_held_in_memory(hub):
    volunteer = hub.login("aysel")
    before = hub.rss()
    noise = b"RIFF\0\0\0\0WAVEfmt " + b"\x07" * (24 * MiB)
    r = volunteer.post(
        hub.url + UPLOAD,
        data={"key": "home.say", "lang": "az", "words": HOME_AZ, "consent": "yes"},
        files={"audio": ("take.wav", noise)},
        timeout=60,
    )
    assert r.status_code == 422, r.text
    assert hub.rss() - before < 100 * MiB


PLAYLISTS = {
    "ffconcat": "ffconcat version 1.0\nfile voice.wav\nfile '{root}/voice.wav'\n",
    "hls": "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:2.0,\n{root}/voice.wav\n#EXT-X-ENDLIST\n",
    "m3u": "#EXTM3U\n#EXTINF:2,voice\nfile://{root}/voice.wav\n",
}


@pytest.mark.parametrize("kind", list(PLAYLISTS))
def test_a_playlist_upload_is_refused_and_reads_no_other_file(hub, kind):
    volunteer = hub.login("aysel")
    listing = PLAYLISTS[kind].format(root=hub.root).encode()
    for name in ("take.webm", "take.txt", "list.m3u8"):
        r = volunteer.post(
            hub.url + UPLOAD,
            data={"key": "home.say", "lang": "az", "words": HOME_AZ, "consent": "yes"},
            files={"audio": (name, listing)},
            timeout=30,
        )
        # Had the hub followed the list, the real voice.wav would have made a good recording.
        assert r.status_code == 422, r.text
        assert "playlist or a list of files" in r.json()["detail"]
    texts = volunteer.get(f"{hub.url}/api/v1/studio/voice/texts?lang=az", timeout=10).json()
    assert all(t["recording"] is None for t in texts["texts"])
    assert not (hub.data_dir / "recordings").exists() or not any(
        (hub.data_dir / "recordings").iterdir()
    )


def _record(session: requests.Session, hub: HubProcess, audio: bytes) -> requests.Response:
    return session.post(
        hub.url + UPLOAD,
        data={"key": "home.say", "lang": "az", "words": HOME_AZ, "consent": "yes"},
        files={"audio": ("take.wav", audio)},
        timeout=60,
    )


def test_another_sites_volunteer_or_admin_cannot_play_or_review_a_recording(hub):
    aysel = hub.login("aysel")  # a volunteer in Barda
    r = _record(aysel, hub, wav_bytes(speech_like()))
    assert r.status_code == 201, r.text
    rec = r.json()["recording"]
    for name in ("kamran", "leyla"):  # a volunteer and an admin in Ganja
        other = hub.login(name)
        assert other.get(hub.url + rec["audio"], timeout=10).status_code == 404
        texts = other.get(f"{hub.url}/api/v1/studio/voice/texts?lang=az", timeout=10).json()
        home = next(t for t in texts["texts"] if t["key"] == "home.say")
        assert home["recording"] is None and home["state"] != "recorded"
    leyla = hub.login("leyla")
    for verdict in ("approve", "reject"):
        url = f"{hub.url}{UPLOAD}/{rec['id']}/{verdict}"
        assert leyla.post(url, timeout=10).status_code == 404
    # Barda's own admin still hears and approves it.
    boss = hub.login("boss")
    assert boss.get(hub.url + rec["audio"], timeout=10).status_code == 200
    r = boss.post(f"{hub.url}{UPLOAD}/{rec['id']}/approve", timeout=30)
    assert r.status_code == 200 and r.json()["recording"]["status"] == "approved"


def test_a_volunteers_recordings_stop_at_their_quota(tmp_path):
    take = wav_bytes(speech_like(seconds=12, pad=0.2))  # about 0.6 MiB once processed
    with HubProcess(tmp_path / "hub", recording_quota_mib=1) as quota_hub:
        aysel = quota_hub.login("aysel")
        assert _record(aysel, quota_hub, take).status_code == 201
        r = _record(aysel, quota_hub, take)
        assert r.status_code == 413, r.text
        assert "hub.recording_quota_mib" in r.json()["detail"]
        assert len(list((quota_hub.data_dir / "recordings").iterdir())) == 1  # nothing left
        # Another volunteer has a quota of their own.
        assert _record(quota_hub.login("boss"), quota_hub, take).status_code == 201
