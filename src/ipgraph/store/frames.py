"""Frames, the messages between a query pool and its workers: a 4-byte big-endian length, then the bytes."""

from __future__ import annotations

import struct

HEADER = struct.Struct(">I")


def frame(data: bytes) -> bytes:
    return HEADER.pack(len(data)) + data


def read_frame(stream) -> bytes | None:
    """One frame from the binary ``stream``, or ``None`` at its end."""
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    (size,) = HEADER.unpack(header)
    body = stream.read(size)
    return body if len(body) == size else None
