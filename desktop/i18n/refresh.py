"""Refresh the German catalogue: ``uv run python -m desktop.i18n.refresh``.

Runs ``pyside6-lupdate`` over ``desktop/`` into ``praxi_de.ts``, makes every entry a finished
German → German translation (the sources are German) and compiles ``praxi_de.qm`` with
``pyside6-lrelease``. The catalogue is rebuilt from scratch each time, so it never carries
entries of texts that are gone, nor a translation guessed from a similar old text.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

I18N = Path(__file__).resolve().parent
DESKTOP = I18N.parent
CATALOGUE = I18N / "praxi_de.ts"
COMPILED = I18N / "praxi_de.qm"


def tool(name: str) -> str:
    """A PySide6 tool from this interpreter's environment (then from PATH)."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name} not found; is PySide6 installed in this environment?")
    return found


def extract(target: Path) -> None:
    """Every ``tr``/``translate``/``QT_TRANSLATE_NOOP`` text of ``desktop/`` into ``target``
    (a new file: nothing is merged from an older catalogue)."""
    target.unlink(missing_ok=True)
    subprocess.run(
        [
            tool("pyside6-lupdate"),
            "-extensions",
            "py",
            "-locations",
            "none",
            "-source-language",
            "de_DE",
            "-target-language",
            "de_DE",
            "-silent",
            str(DESKTOP),
            "-ts",
            str(target),
        ],
        check=True,
        capture_output=True,
    )


def entries(catalogue: Path) -> list[tuple[str, str, str | None, bool]]:
    """(context, source, translation, finished) of every message."""
    found = []
    # our own file, written by lupdate: not untrusted input
    for context in ET.parse(catalogue).getroot().iter("context"):  # noqa: S314
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            finished = translation is not None and translation.get("type") is None
            text = translation.text if translation is not None else None
            found.append((name, message.findtext("source") or "", text, finished))
    return found


def finish(catalogue: Path) -> None:
    """Every message translated by its own (German) source text and marked finished."""
    tree = ET.parse(catalogue)  # noqa: S314 - lupdate's output, not untrusted input
    for message in tree.getroot().iter("message"):
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        translation.attrib.pop("type", None)
        translation.text = message.findtext("source")
    ET.indent(tree, space="    ")
    with catalogue.open("wb") as handle:
        handle.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(handle, encoding="utf-8", xml_declaration=False)
        handle.write(b"\n")


def compile_catalogue(catalogue: Path, compiled: Path) -> None:
    subprocess.run(
        [tool("pyside6-lrelease"), "-silent", str(catalogue), "-qm", str(compiled)],
        check=True,
        capture_output=True,
    )


def refresh(catalogue: Path = CATALOGUE, compiled: Path = COMPILED) -> int:
    """Rebuild ``catalogue`` and ``compiled``; the number of entries."""
    with tempfile.TemporaryDirectory() as folder:
        fresh = Path(folder) / catalogue.name
        extract(fresh)
        finish(fresh)
        shutil.copyfile(fresh, catalogue)
    compile_catalogue(catalogue, compiled)
    return len(entries(catalogue))


def main() -> int:
    count = refresh()
    print(f"{CATALOGUE.relative_to(DESKTOP.parent)}: {count} Einträge, alle fertig übersetzt")
    print(f"{COMPILED.relative_to(DESKTOP.parent)}: neu erzeugt")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
