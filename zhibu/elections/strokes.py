"""姓氏笔画 order: names compared character by character — fewer strokes first, then the stroke
sequence in the order 横、竖、撇、点、折 (the usual rule for 姓氏笔画为序 lists); a name that is a prefix
of another comes first. The stroke data is vendored in strokes_data.py (its source is named there)."""

from __future__ import annotations

from zhibu.elections.strokes_data import SEQUENCES

UNKNOWN = 99  # a character without data sorts after every known one


def char_key(ch: str) -> tuple[int, str, int]:
    seq = SEQUENCES.get(ch)
    if seq is None:
        return (UNKNOWN, "", ord(ch))
    return (len(seq), seq, 0)


def strokes(ch: str) -> int | None:
    seq = SEQUENCES.get(ch)
    return len(seq) if seq is not None else None
