"""How much memory a process holds, as the query workers' limit counts it."""

from __future__ import annotations


def data_size(pid: int | str = "self") -> int:
    """Bytes of a process's data: its heap and private anonymous memory (``VmData``), what a query
    allocates; the store's files that the engine maps are not in it."""
    with open(f"/proc/{pid}/status") as status:
        line = next(line for line in status if line.startswith("VmData:"))
    return int(line.split()[1]) * 1024
