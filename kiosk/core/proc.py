"""Memory and threads of processes, from /proc (Linux): the terminal watches its own
memory between residents with these, and `kiosk bench` measures with them."""

from __future__ import annotations

import os
import threading
from pathlib import Path


def pss_kib(pid: int | str = "self") -> int:
    """Proportional set size: shared libraries are split between their users."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def thread_count() -> int:
    return threading.active_count()


def os_thread_count(pid: int | str = "self") -> int:
    return len(os.listdir(f"/proc/{pid}/task"))


def tree_pids(root_pid: int) -> list[int]:
    """The process and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root_pid]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def tree_pss_kib(root_pid: int) -> tuple[int, int]:
    """(PSS summed over the process tree, number of processes)."""
    total, count = 0, 0
    for pid in tree_pids(root_pid):
        try:
            total += pss_kib(pid)
            count += 1
        except OSError:
            pass
    return total, count
