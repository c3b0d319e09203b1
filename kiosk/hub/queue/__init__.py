"""The help queue: help requests from terminals (terminal_api, terminal keys) and
the volunteers' console API with its live feed (console_api, volunteer sessions),
and the admins' pages for volunteers' accounts and the activity log (accounts).
"""
