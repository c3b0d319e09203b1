"""Printed slips: the layout drawn as one picture, QR codes for allowlisted links
only, printer backends, and printing off the UI thread with a time limit.

Nothing here imports Kivy: the UI shows the same picture as the preview and as
the fallback when printing fails.
"""

from kiosk.core.slips.layout import (
    PAPER_DOTS,
    render_service_slip,
    render_ticket_slip,
    wrap_text,
)
from kiosk.core.slips.printers import (
    CupsPrinter,
    EscposPrinter,
    FakePrinter,
    FilePrinter,
    Printer,
    PrintResult,
    PrintStatus,
    escpos_bytes,
    make_printer,
)
from kiosk.core.slips.qr import LinkRefused, check_link, render_qr
from kiosk.core.slips.spool import (
    PrintJob,
    SlipSpooler,
    print_in_background,
    status_in_background,
)

__all__ = [
    "PAPER_DOTS",
    "CupsPrinter",
    "EscposPrinter",
    "FakePrinter",
    "FilePrinter",
    "LinkRefused",
    "PrintJob",
    "PrintResult",
    "PrintStatus",
    "Printer",
    "SlipSpooler",
    "check_link",
    "escpos_bytes",
    "make_printer",
    "print_in_background",
    "render_qr",
    "render_service_slip",
    "render_ticket_slip",
    "status_in_background",
    "wrap_text",
]
