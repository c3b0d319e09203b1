"""The fleet: terminals' heartbeats and usage counts (status), the terminals page
and /metrics (status_api), forwarding to a central hub (outbound) and the caching
content mirror (mirror). Never reads a resident's name, phone or note.
"""
