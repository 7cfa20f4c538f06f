"""The text of each page of a PDF that fpdf2 wrote, for tests (no PDF reader is installed).

Reads exactly what fpdf2 produces: Flate-compressed content streams, text shown with ``Tj`` in
literal strings, core fonts (Latin-1 bytes) and embedded TrueType fonts (two-byte glyph codes
mapped back to text through the font's ToUnicode CMap). Each text object (BT … ET) becomes one
line of the page's text, so a wrapped paragraph reads as several lines.
"""

from __future__ import annotations

import re
import zlib

_OBJ = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_BLOCK = re.compile(rb"BT(.*?)ET", re.S)
_SHOW = re.compile(rb"/(\w+)\s+[\d.]+\s+Tf|\(((?:\\.|[^\\)])*)\)\s*Tj", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _objects(data: bytes) -> dict[int, bytes]:
    return {int(m.group(1)): m.group(2) for m in _OBJ.finditer(data)}


def _stream(body: bytes) -> bytes:
    found = _STREAM.search(body)
    if found is None:
        return b""
    raw = found.group(1)
    return zlib.decompress(raw) if b"/FlateDecode" in body else raw


def _unescape(raw: bytes) -> bytes:
    def one(m: re.Match[bytes]) -> bytes:
        token = m.group(1)
        if token[:1].isdigit():
            return bytes([int(token, 8)])
        return _ESCAPES.get(token, token)

    return re.sub(rb"\\([0-7]{1,3}|.)", one, raw, flags=re.S)


def _cmap(text: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.S):
        for code, uni in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(code, 16)] = bytes.fromhex(uni.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, start in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            first = int(start, 16)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[code] = chr(first + offset)
    return mapping


def _ref(body: bytes, key: bytes) -> int | None:
    found = re.search(rb"/" + key + rb"\s+(\d+) 0 R", body)
    return int(found.group(1)) if found else None


def _fonts(objects: dict[int, bytes], page: bytes) -> dict[str, dict[int, str] | None]:
    resources = page
    ref = _ref(page, b"Resources")
    if ref is not None:
        resources = objects[ref]
    fonts: dict[str, dict[int, str] | None] = {}
    block = re.search(rb"/Font\s*<<(.*?)>>", resources, re.S)
    for name, number in re.findall(rb"/(\w+)\s+(\d+) 0 R", block.group(1) if block else b""):
        font = objects[int(number)]
        to_unicode = _ref(font, b"ToUnicode")
        fonts[name.decode()] = None if to_unicode is None else _cmap(_stream(objects[to_unicode]))
    return fonts


def page_texts(data: bytes) -> list[str]:
    """One string per page, in page order."""
    objects = _objects(data)
    root = next(body for body in objects.values() if re.search(rb"/Type\s*/Pages\b", body))
    kids = re.search(rb"/Kids\s*\[(.*?)\]", root, re.S)
    pages = [int(n) for n in re.findall(rb"(\d+) 0 R", kids.group(1) if kids else b"")]
    texts = []
    for number in pages:
        page = objects[number]
        fonts = _fonts(objects, page)
        contents = _ref(page, b"Contents")
        content = _stream(objects[contents]) if contents is not None else b""
        lines = []
        font: dict[int, str] | None = None  # fpdf2 sets the font in a BT … ET of its own
        for block in _BLOCK.findall(content):
            parts = []
            for m in _SHOW.finditer(block):
                if m.group(1) is not None:
                    font = fonts.get(m.group(1).decode())
                    continue
                raw = _unescape(m.group(2))
                if font is None:
                    parts.append(raw.decode("latin-1"))
                else:
                    codes = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)]
                    parts.append("".join(font.get(c, "?") for c in codes))
            if parts:
                lines.append("".join(parts))
        texts.append("\n".join(lines))
    return texts
