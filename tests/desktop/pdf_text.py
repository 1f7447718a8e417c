"""The text of a PDF that Qt wrote, page by page, for tests that print.

No PDF library is locked; Qt's writer is regular enough to read back with a few lines: every
page names its content stream and fonts, every font a ToUnicode CMap, and text is drawn as
hex glyph ids with ``Tj`` inside ``BT``/``ET``.
"""

from __future__ import annotations

import re
import zlib

_OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)


def _objects(data: bytes) -> dict[int, tuple[bytes, bytes]]:
    objects: dict[int, tuple[bytes, bytes]] = {}
    for match in _OBJECT.finditer(data):
        body = match.group(2)
        stream = b""
        if b"stream" in body:
            head, _, rest = body.partition(b"stream")
            rest = rest.lstrip(b"\r\n")
            stream = rest[: rest.rindex(b"endstream")]
            if b"/FlateDecode" in head:
                stream = zlib.decompress(stream)
            body = head
        objects[int(match.group(1))] = (body, stream)
    return objects


def _cmap(text: bytes) -> dict[int, str]:
    glyphs: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            glyphs[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.S):
        for low, high, dst, listed in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(?:<([0-9A-Fa-f]+)>|\[([^\]]*)\])", block
        ):
            codes = range(int(low, 16), int(high, 16) + 1)
            if listed:
                targets = [int(t, 16) for t in re.findall(rb"<([0-9A-Fa-f]+)>", listed)]
            else:
                targets = [int(dst, 16) + offset for offset in range(len(codes))]
            for glyph, target in zip(codes, targets, strict=False):
                # Qt maps the space glyph to a tab.
                glyphs[glyph] = " " if target == 9 else chr(target)
    return glyphs


def pdf_pages(data: bytes) -> list[tuple[tuple[int, int], str]]:
    """(page size in points, text) of every page, in order; lines end at each ``ET``."""
    objects = _objects(data)
    [pages_body] = [body for body, _ in objects.values() if b"/Type /Pages" in body]
    kids = [int(n) for n in re.findall(rb"(\d+) 0 R", pages_body.split(b"/Kids", 1)[1])]
    result = []
    for kid in kids:
        page, _ = objects[kid]
        if b"/Type /Page" not in page:
            continue
        box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", page)
        assert box is not None
        size = (round(float(box.group(1))), round(float(box.group(2))))
        contents = int(re.search(rb"/Contents (\d+) 0 R", page).group(1))  # type: ignore[union-attr]
        resources_id = int(re.search(rb"/Resources (\d+) 0 R", page).group(1))  # type: ignore[union-attr]
        resources, _ = objects[resources_id]
        fonts = {}
        font_block = resources.split(b"/Font", 1)[1].split(b">>", 1)[0]
        for name, ref in re.findall(rb"/(\w+) (\d+) 0 R", font_block):
            font, _ = objects[int(ref)]
            unicode_ref = re.search(rb"/ToUnicode (\d+) 0 R", font)
            assert unicode_ref is not None
            fonts[name] = _cmap(objects[int(unicode_ref.group(1))][1])
        text: list[str] = []
        glyphs: dict[int, str] = {}
        stream = objects[contents][1]
        for token in re.finditer(rb"/(\w+) [\d.]+ Tf|<([0-9A-Fa-f]+)> Tj|\bET\b", stream):
            if token.group(1):
                glyphs = fonts[token.group(1)]
            elif token.group(2):
                hex_text = token.group(2).decode()
                for i in range(0, len(hex_text), 4):
                    text.append(glyphs.get(int(hex_text[i : i + 4], 16), "?"))
            else:
                text.append("\n")
        result.append((size, "".join(text)))
    return result
