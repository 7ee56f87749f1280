"""The classroom guide (``docs/classroom.md``) as the page shows it in its Guide tab.

Like NetLogo's Info tab, the guide travels with the model and needs no internet: its
screenshots are inlined as data URIs, and links to other files of the project become
plain text naming the file (the page cannot serve them). It is turned into HTML here, on
the server: Solara's own Markdown component loads a maths and a diagram renderer in the
browser, and its server would fetch the maths renderer from a public CDN.
"""

from __future__ import annotations

import base64
import functools
import os
import re
from pathlib import Path

import markdown

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "classroom.md"
IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+\.png)\)")
LINK = re.compile(r"(?<!!)\[([^\]]+)\]\((?!https?:)([^)\s]+)\)")


def _inline(match: re.Match, folder: Path) -> str:
    path = folder / match[2]
    if not path.is_file():
        return f"*({match[1]}: {match[2]} is missing)*"
    data = base64.b64encode(path.read_bytes()).decode()
    return f"![{match[1]}](data:image/png;base64,{data})"


def _plain(match: re.Match, folder: Path) -> str:
    target = match[2]
    if target.startswith("#"):
        return match[1]
    file = Path(os.path.normpath(folder / target.split("#")[0]))
    return f"{match[1]} (`{file.relative_to(folder.parent)}`)"


@functools.cache
def guide_markdown(path: Path = GUIDE) -> str:
    """The guide's Markdown, self-contained for an offline page."""
    if not path.is_file():
        return (f"The guide is `docs/classroom.md` in the teamsim source tree; it was not "
                f"found at `{path}`.")
    folder = path.parent
    text = IMAGE.sub(lambda m: _inline(m, folder), path.read_text())
    return LINK.sub(lambda m: _plain(m, folder), text)


@functools.cache
def guide_html(path: Path = GUIDE) -> str:
    """The guide as self-contained HTML: headings with anchors, tables, code blocks."""
    return markdown.markdown(guide_markdown(path), extensions=["tables", "fenced_code", "toc"])
