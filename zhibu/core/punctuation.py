"""One punctuation style in Chinese UI text: full-width ，：；（） next to or around Chinese characters.

`fix_text` rewrites a piece of text; `fix_template` the text of a Django template (tags, variables
and HTML markup untouched, except title/placeholder/aria-label/alt values); `fix_python` the string
literals of a module (raw strings — regular expressions — and docstrings untouched, f-string
expressions untouched). A test keeps templates, forms, views and reminders in this style; to fix
files: `python -m zhibu.core.punctuation FILE...`.
"""

from __future__ import annotations

import io
import re
import sys
import tokenize

_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_HAS_CJK = re.compile(f"[{_CJK}]")
_HAN = "\u4e00-\u9fff"
_PAREN = re.compile(r"(^|.)\(([^()（）\n]*)\)")
_EXPR = re.compile(r"\{[^{}]*\}")
_PLACEHOLDER = "\ue000"  # stands in for an f-string expression while the text is rewritten


def fix_text(text: str) -> str:
    if not _HAS_CJK.search(text):
        return text

    def paren(m: re.Match[str]) -> str:
        before, inner = m.group(1), m.group(2)
        if before == "%":  # %(name)s
            return m.group(0)
        if _HAS_CJK.search(inner) or (before and _HAS_CJK.match(before)):
            return f"{before}（{inner}）"
        return m.group(0)

    previous = None
    while previous != text:
        previous = text
        text = _PAREN.sub(paren, text)
    text = re.sub(f"(?<=[{_CJK}]),", "，", text)
    text = re.sub(f",(?=[{_HAN}])", "，", text)
    text = re.sub(f"(?<=[{_HAN}（）]):(?![/\\d])", "：", text)
    text = re.sub(f"(?<=[{_HAN}]);", "；", text)
    return text


def _fix_literal(token: str) -> str:
    prefix = re.match(r"[A-Za-z]*", token)
    assert prefix is not None
    head = prefix.group(0)
    body = token[len(head) :]
    if "r" in head.lower() or body.startswith(('"""', "'''")):
        return token  # regular expressions and docstrings stay as they are
    if "f" not in head.lower():
        return head + fix_text(body)
    expressions: list[str] = []

    def hide(m: re.Match[str]) -> str:
        expressions.append(m.group(0))
        return _PLACEHOLDER

    fixed = fix_text(_EXPR.sub(hide, body))
    return head + re.sub(_PLACEHOLDER, lambda _m: expressions.pop(0), fixed)


def fix_python(source: str) -> str:
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    edits = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.STRING:
            new = _fix_literal(tok.string)
            if new != tok.string:
                edits.append((offsets[tok.start[0] - 1] + tok.start[1], offsets[tok.end[0] - 1] + tok.end[1], new))
    for start, end, new in reversed(edits):
        source = source[:start] + new + source[end:]
    return source


_TAG = re.compile(r"(\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}|<[^>]*>)", re.S)
_ATTR = re.compile(r'((?:title|placeholder|aria-label|alt)=")([^"{}]*)(")')


def fix_template(source: str) -> str:
    parts = _TAG.split(source)
    for i, part in enumerate(parts):
        if i % 2 == 0:
            parts[i] = fix_text(part)
        elif part.startswith("<"):
            parts[i] = _ATTR.sub(lambda m: m.group(1) + fix_text(m.group(2)) + m.group(3), part)
    return "".join(parts)


def fix_file(path: str) -> bool:
    with open(path, encoding="utf-8") as f:
        source = f.read()
    fixed = fix_python(source) if path.endswith(".py") else fix_template(source)
    if fixed != source:
        with open(path, "w", encoding="utf-8") as f:
            f.write(fixed)
    return fixed != source


if __name__ == "__main__":
    for name in sys.argv[1:]:
        if fix_file(name):
            print("fixed", name)
