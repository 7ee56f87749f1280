"""The ODD's parameter table, generated from the configuration schema.

Every row comes from a field of the :mod:`sim.config` dataclasses: its default, its
allowed range or choices, its unit and its meaning (``help``). The *Sources* column is
derived from the help text (seed documents 000-004 and cited authors) and says whether
the default value is taken from the literature, is a run or scenario setting, or is an
assumption to be calibrated (Grimm et al. 2020 ask for a source for every default).

The *Reason* column gives why each value has its magnitude (field data, literature,
calibrated, assumed or a setting), from ``docs/parameters.yaml``.

``python -m analysis.odd_table`` rewrites the table between the markers in
``docs/ODD.md``; ``--check`` only reports (exit status 1) when the document is stale.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from dataclasses import MISSING, Field, fields, is_dataclass
from pathlib import Path
from typing import Any

import yaml

from sim.config import Config

START = "<!-- parameters:start -->"
END = "<!-- parameters:end -->"
ODD_PATH = Path(__file__).resolve().parent.parent / "docs" / "ODD.md"
REASONS_PATH = ODD_PATH.with_name("parameters.yaml")

SEEDS = {
    "000": "000 Steenvoorde",
    "001": "001 Boevink",
    "002": "002 Movisie/Keuzenkamp",
    "003": "003 Movisie",
    "004": "004 FACT ethnography",
}
AUTHORS = (  # (pattern in a help text, reference as listed in the ODD)
    (r"Friedkin[- ]?(?:&|and)?[- ]?Johnsen", "Friedkin & Johnsen 1999"),
    (r"Latan[eé]", "Latané 1981"),
    (r"Kruglanski", "Kruglanski & Webster 1991"),
    (r"Lombardi", "Lombardi et al. 2025"),
    (r"FACT manual", "van Veldhuizen & Bähler 2013 (FACT manual)"),
)
# a known name's co-author and year belong to the same citation
CO_AUTHOR_YEAR = r"(?:,? (?:& [A-Z][a-zé]+|et al\.))?(?:,? \(?(?:19|20)\d\d\)?)?"
CITATION = re.compile(r"\b([A-Z][a-zé]+(?: et al\.| & [A-Z][a-zé]+)?|[A-Z]{2,}(?: [A-Z]{2,})*),? "
                      r"\(?((?:19|20)\d\d)\b")
SEED = re.compile(r"\b(00[0-4])\b")

# Defaults whose *value* (not only the direction of the effect) is a published figure.
# The check keeps the claim honest: a changed default is reported as differing.
LITERATURE: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "behaviour.impact_exponent": ("Latané 1981: t ≈ 0.5", lambda v: v == 0.5),
    "behaviour.extra_task_odds": ("Lombardi et al. 2025: OR 2.9", lambda v: v == 2.9),
    "ebe.trained_share": ("Movisie 002: over half of 30 trained", lambda v: 0.5 < v < 0.6),
    "team.disciplines": (
        "FACT manual: ~10 professionals + EBE, one psychiatrist",
        lambda v: 9 <= sum(v.values()) <= 12 and v.get("psychiatrist") == 1),
}
# Fields that set up a run or a scenario rather than encode a mechanism.
SETTINGS = {"label", "team.name", "team.size", "workload.name", "ebe.count", "ebe.share"}
SETTING_SECTIONS = {"run"}
LEVER_SECTIONS = {"organisation"}


def schema_fields(schema: type = Config, prefix: str = "") -> list[tuple[str, Field, Any]]:
    """Every leaf field of ``schema`` as ``(dotted path, field, default)``, in schema order."""
    rows = []
    for f in fields(schema):
        path = prefix + f.name
        default = f.default_factory() if f.default is MISSING else f.default
        if is_dataclass(default):
            rows += schema_fields(type(default), path + ".")
        else:
            rows.append((path, f, default))
    return rows


def sections(schema: type = Config) -> list[tuple[str, str]]:
    """``(name, first docstring line)`` of the schema's top-level fields and sections."""
    out = [("", (schema.__doc__ or "").strip().splitlines()[0])]
    for f in fields(schema):
        default = f.default_factory() if f.default is MISSING else f.default
        if is_dataclass(default):
            out.append((f.name, (type(default).__doc__ or "").strip().splitlines()[0]))
    return out


def _number(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e6:
        return f"{value:.1f}"
    return str(value)


def format_default(value: Any) -> str:
    if value is None:
        return "unset"
    if isinstance(value, dict):
        return ", ".join(f"{k} {_number(v)}" for k, v in value.items())
    if isinstance(value, str):
        return f"`{value}`"
    return _number(value)


def format_range(f: Field, default: Any) -> str:
    meta = f.metadata
    if meta.get("choices"):
        return "one of " + ", ".join(f"`{c}`" for c in meta["choices"])
    if isinstance(default, bool):
        return "true, false"
    lo, hi = meta.get("range", (None, None))
    if lo is None and hi is None:
        return "text" if isinstance(default, str) else "any"
    span = f"[{_number(lo)}, {_number(hi)}]"
    if isinstance(default, dict):
        return span + " each"
    if default is None:
        return span + " or unset"
    return span


def cited(help_text: str) -> list[str]:
    """References a help text cites: seed documents and authors, in order, once each."""
    found: list[tuple[int, str]] = []
    rest = help_text
    for name, reference in AUTHORS:
        pattern = name + CO_AUTHOR_YEAR
        for match in re.finditer(pattern, rest):
            found.append((match.start(), reference))
        rest = re.sub(pattern, lambda m: " " * len(m.group()), rest)
    for match in CITATION.finditer(rest):
        found.append((match.start(), f"{match.group(1)} {match.group(2)}"))
    for match in SEED.finditer(help_text):
        found.append((match.start(), SEEDS[match.group(1)]))
    refs: list[str] = []
    for _, reference in sorted(found):
        if reference not in refs:
            refs.append(reference)
    return refs


def basis(path: str, default: Any, f: Field) -> str:
    """Where the default value comes from."""
    section = path.split(".")[0]
    if path in LITERATURE:
        text, matches = LITERATURE[path]
        return f"value from literature ({text})" if matches(default) else (
            f"**value differs from literature** ({text})")
    if path in SETTINGS or section in SETTING_SECTIONS:
        return "setting"
    if section in LEVER_SECTIONS:
        return "lever; baseline value assumed"
    if f.metadata.get("choices"):
        return "choice"
    return "value assumed, to calibrate"


def sources(path: str, default: Any, f: Field) -> str:
    return "; ".join([*cited(f.metadata.get("help", "")), basis(path, default, f)])


def reasons(path: Path = REASONS_PATH) -> dict[str, dict]:
    """Dotted field name -> ``{kind, reason, source, range}`` (docs/parameters.yaml)."""
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def reason(entry: dict | None) -> str:
    """The Reason cell: kind, reason and source."""
    if not entry:
        return "-"
    source = f" ({entry['source']})" if entry.get("source") else ""
    return f"*{entry['kind']}*: {entry['reason']}{source}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def parameter_table(schema: type = Config) -> str:
    """The parameter table (markdown) of ``schema``: one row per field, grouped by section."""
    by_section: dict[str, list[tuple[str, Field, Any]]] = {}
    for path, f, default in schema_fields(schema):
        by_section.setdefault(path.rpartition(".")[0], []).append((path, f, default))
    header = ("| Parameter | Default | Range | Unit | Meaning | Sources | Reason |\n"
              "|---|---|---|---|---|---|---|")
    why = reasons()
    blocks = []
    for name, doc in sections(schema):
        rows = by_section.get(name)
        if not rows:
            continue
        title = f"**`{name}`** -- {doc}" if name else f"**top level** -- {doc}"
        lines = [title, "", header]
        for path, f, default in rows:
            meta = f.metadata
            lines.append("| " + " | ".join(_cell(c) for c in (
                f"`{path}`", format_default(default), format_range(f, default),
                meta.get("unit", "") or "-", meta.get("help", ""),
                sources(path, default, f), reason(why.get(path)))) + " |")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def replace_table(text: str, table: str) -> str:
    """``text`` with everything between the parameter markers replaced by ``table``."""
    start, end = text.find(START), text.find(END)
    if start < 0 or end < 0 or end < start:
        raise ValueError(f"the document needs the markers {START} and then {END}")
    return text[:start + len(START)] + "\n" + table + text[end:]


def table_in(text: str) -> str:
    """The table currently between the markers of ``text``."""
    start, end = text.find(START), text.find(END)
    if start < 0 or end < 0 or end < start:
        raise ValueError(f"the document needs the markers {START} and then {END}")
    return text[start + len(START):end].removeprefix("\n")


def update_document(path: Path = ODD_PATH, check: bool = False) -> bool:
    """Rewrite the table in ``path`` (unless ``check``); return whether it was stale."""
    text = path.read_text(encoding="utf-8")
    new = replace_table(text, parameter_table())
    stale = new != text
    if stale and not check:
        path.write_text(new, encoding="utf-8")
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=ODD_PATH)
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if the table is out of date")
    args = parser.parse_args(argv)
    stale = update_document(args.path, check=args.check)
    if args.check:
        print(f"{args.path}: parameter table {'out of date' if stale else 'up to date'}")
        return int(stale)
    print(f"{args.path}: parameter table {'rewritten' if stale else 'already up to date'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
