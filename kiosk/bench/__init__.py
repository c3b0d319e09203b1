"""`kiosk bench`: measured speed and memory of Kömək, beside a bare Kivy window
and the same home screen in headless chromium.

Each measurement runs in a fresh child process so start-up and memory are real;
figures are printed, never asserted by tests.
"""
