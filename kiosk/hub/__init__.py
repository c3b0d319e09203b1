"""The site hub: takes help requests from terminals, serves the volunteers' console,
the fleet's status and the studios.

Rooms, as kiosk/core/ has them: queue/ (help requests, the console API), fleet/
(heartbeats, status, metrics, forwarding, the content mirror), studio/ (voice and
content studios) and web/ (the page shell and static files). What every room
uses stays here: app.py (create_app builds FastAPI from the rooms' routers),
server.py, context.py, guard.py, passwords.py, fields.py and store.py.
The hub imports kiosk.core, never kiosk.ui.
"""
