"""Debian's chromium for the browser tests, the latency script and the bench.

Headless, with the background services off: on a closed network chromium's own
connections are refused by the dozen, and Playwright's own browser download is
not used (it fails on these machines).
"""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
