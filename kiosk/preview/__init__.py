"""The screen renderer: pictures of Kömək's screens drawn by the terminal's own
widgets, for whoever needs one without drawing itself (the hub's content studio).

    renderer.py  the client: starts the worker as a child process and talks to it
                 (never imports Kivy or kiosk.ui, so the hub may use it)
    worker.py    the child (`python -m kiosk.preview.worker W H`): Kivy off-screen

The hub imports only renderer.py; worker.py runs in its own process.
"""
