"""The site hub: takes help requests from terminals and serves the volunteers' console.

create_app() in app.py builds the FastAPI app from routers (terminal API, console
API, console page), so status, metrics and the content mirror can be added as
routers of their own. The hub imports kiosk.core, never kiosk.ui.
"""
