"""Benchmark records measured on other machines: provenance, storage under ``results/``, tables.

A timing means nothing without the machine, the library versions, the code and the day
that produced it. Every record ``python -m jaxecon bench NAME --json`` prints is wrapped
by :func:`wrap` in one place, as one JSON line

    {"bench": NAME, "provenance": {machine, backend, devices, cpu, versions, commit, date},
     "record": {"timing": {... the Timing ...}, "facts": {... the benchmark's own ...}}}

and ``--save DIR`` appends the lines to ``DIR/NAME-MACHINE.jsonl`` by :func:`save`, one
file per machine and benchmark (the record is a :class:`Record`, the same type for every
benchmark). :func:`load_results` reads the committed files back as
records and refuses a line that lacks provenance, naming the file, the line and the
missing field;
:func:`other_hardware` renders the records of machines other than this one as tables
labelled with machine and date, kept apart from a page's own numbers.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from jaxecon.checks import check_integer
from jaxecon.machine import describe_machine, package_versions
from jaxecon.timing import Timing

__all__ = ["RESULTS_DIR", "PROVENANCE_FIELDS", "Record", "Result", "format_records", "provenance",
           "wrap", "save", "load_results", "other_hardware", "MarkdownText"]

#: Where committed records live: ``results/`` at the root of the repository.
RESULTS_DIR = Path(__file__).resolve().parents[2] / "results"

#: The fields every record's provenance must carry.
PROVENANCE_FIELDS = ("machine", "backend", "devices", "cpu", "versions", "commit", "date")


class MarkdownText(str):
    """A string that notebooks display as Markdown (a table renders as a table)."""

    def _repr_markdown_(self) -> str:
        return str(self)


class Record(NamedTuple):
    """One run of a benchmark: its timing and its facts; JSON by :meth:`as_json`.

    ``record.seconds_min`` (any :class:`~jaxecon.timing.Timing` field) reads the timing,
    ``record.method`` (any fact) reads the facts, so a record reads as one flat row.
    """

    timing: Timing | None  # None where the run was not possible (facts['note'] says why)
    facts: dict[str, Any]  # the run's own fields: method, backend, sizes, iterations;
    # 'unit' is what the times are per when not per call (e.g. 'step')

    def __getattr__(self, field: str) -> Any:
        if field in self[1]:
            return self[1][field]
        if field in Timing._fields:
            return None if self[0] is None else getattr(self[0], field)
        raise AttributeError(f"benchmark record has no field {field!r}")

    @property
    def available(self) -> bool:
        """Whether the run took place (its toolchain was present)."""
        return self.timing is not None

    def row(self) -> dict[str, Any]:
        """The record as one flat dict, as attribute access reads it: timing, then facts."""
        return ({} if self[0] is None else self[0]._asdict()) | self[1]

    def as_json(self) -> dict[str, Any]:
        """``{"timing": {...} or None, "facts": {...}}``, as ``results/`` stores it."""
        return {"timing": None if self.timing is None else self.timing._asdict(),
                "facts": dict(self.facts)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Record:
        """The record :meth:`as_json` wrote."""
        timing = data.get("timing")
        return cls(None if timing is None else Timing(**timing), dict(data["facts"]))


def format_records(records, columns) -> str:
    """A plain-text table of ``records``: a line of headers, then a line per record.

    ``columns`` lists ``(header, spec, value)``: ``value(record)`` is formatted by ``spec``
    (``">9.3f"``), the header and a missing value (None, shown "–") by its alignment and
    width alone.
    """
    def width(spec: str) -> str:
        return re.match(r"[<>^]?\d*", spec).group(0)

    def cell(value, spec: str) -> str:
        return format("–", width(spec)) if value is None else format(value, spec)

    lines = ["".join(format(header, width(spec)) for header, spec, _ in columns)]
    lines += ["".join(cell(value(r), spec) for _, spec, value in columns) for r in records]
    return "\n".join(lines)


class Result(NamedTuple):
    """One committed benchmark record and where it was read from."""

    path: Path  # the JSON lines file
    line: int  # its line number, from 1
    bench: str  # the benchmark's name, e.g. 'solow'
    provenance: dict[str, Any]  # machine, backend, devices, cpu, versions, commit, date
    record: Record  # the timing and the benchmark's own facts


def code_commit() -> str:
    """The git commit of the code, '+dirty' if modified; ``JAXECON_COMMIT`` overrides."""
    if os.environ.get("JAXECON_COMMIT"):
        return os.environ["JAXECON_COMMIT"]
    root = Path(__file__).resolve().parents[2]
    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"],
                              capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "code"],
                               capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "unknown (git not available)"
    if head.returncode != 0:
        return "unknown (not a git checkout)"
    return head.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def provenance() -> dict[str, Any]:
    """Where, with what and when this process measures: the provenance of its records.

    Example:
        >>> sorted(provenance()) == sorted(PROVENANCE_FIELDS)
        True
    """
    machine = describe_machine()
    return {"machine": machine.label, "backend": machine.jax_backend,
            "devices": list(machine.devices), "cpu": machine.cpu_label,
            "versions": package_versions(), "commit": code_commit(),
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}


def wrap(bench: str, record: Record, origin: dict[str, Any] | None = None) -> dict:
    """One record as the JSON object the CLI prints: bench name, provenance, record."""
    return {"bench": bench, "provenance": origin or provenance(), "record": record.as_json()}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "machine"


def save(lines: list[dict], directory: Path | str) -> Path:
    """Append wrapped records to ``directory/BENCH-MACHINE.jsonl``; returns the file."""
    check_integer("len(lines)", len(lines))  # at least one record
    first = lines[0]
    path = Path(directory) / f"{first['bench']}-{_slug(first['provenance']['machine'])}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        for line in lines:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    return path


def _parse(path: Path, number: int, text: str) -> Result:
    where = f"{path}, line {number}"
    # These raises stay: they report a malformed file and its line, not a parameter.
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"{where}: not a JSON object ({error.msg})") from None
    if not isinstance(data, dict):
        raise ValueError(f"{where}: not a JSON object")
    missing = [field for field in ("bench", "provenance", "record") if field not in data]
    if not missing and not (isinstance(data["record"], dict) and "facts" in data["record"]):
        missing = ["record.facts"]  # a record of an older schema, or not a record
    if missing:
        raise ValueError(f"{where}: record lacks {missing[0]!r}; re-run "
                         "`python -m jaxecon bench NAME --json`, which adds provenance")
    missing = [f for f in PROVENANCE_FIELDS if not data["provenance"].get(f)]
    if missing:
        raise ValueError(f"{where}: provenance lacks the field {missing[0]!r} "
                         f"(required: {', '.join(PROVENANCE_FIELDS)})")
    return Result(path, number, data["bench"], data["provenance"],
                  Record.from_json(data["record"]))


def load_results(directory: Path | str = RESULTS_DIR, bench: str | None = None) -> list[Result]:
    """Every record in ``directory/*.jsonl`` (of ``bench`` if given), in file order.

    Raises:
        ValueError: for a line that is not a record with complete provenance; the
            message names the file, the line and the missing field.

    Example:
        >>> isinstance(load_results(bench="history"), list)
        True
    """
    results = []
    for path in sorted(Path(directory).glob("*.jsonl")):
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if text.strip():
                result = _parse(path, number, text)
                if bench is None or result.bench == bench:
                    results.append(result)
    return results


def _label(record: Record) -> str:
    parts = [str(record.facts[k]) for k in ("method", "backend", "optimizer")
             if record.facts.get(k)]
    if record.facts.get("m"):
        parts.append(f"m = {record.facts['m']}")
    return " ".join(parts) or "–"


def _times(record: Record) -> tuple[str, str, str]:
    """(unit, minimum, median): seconds per call, or nanoseconds per step."""
    unit = record.facts.get("unit", "call")
    scale, label = (1.0, "s") if unit == "call" else (1e9, f"ns per {unit}")
    return label, *("–" if v is None else f"{v * scale:.4g}"
                    for v in (record.seconds_min, record.seconds_median))


def other_hardware(bench: str, directory: Path | str = RESULTS_DIR,
                   machine: str | None = None) -> MarkdownText:
    """Markdown: tables of ``bench`` records measured on machines other than ``machine``.

    One table per machine and date, headed by the machine, devices, date and commit, with
    each record's minimum and median (records whose backend was unavailable are left
    out). When the committed records all come from ``machine`` (this build's hardware,
    by default), the text says so instead; it never mixes in this build's numbers.

    Raises:
        ValueError: as :func:`load_results`, for a record without provenance.

    Example:
        >>> "measured" in other_hardware("history")
        True
    """
    machine = machine or describe_machine().label
    results = load_results(directory, bench)
    if not results:
        return MarkdownText(f"No records of `{bench}` are committed under `results/` yet.")
    groups: dict[tuple[str, str], list[Result]] = {}
    for result in results:
        groups.setdefault((result.provenance["machine"], result.provenance["date"]), []).append(
            result)
    others = {key: group for key, group in groups.items() if key[0] != machine}
    if not others:
        dates = ", ".join(sorted({date for _, date in groups}))
        return MarkdownText(f"The records of `{bench}` under `results/` were all measured on "
                            f"this build's hardware ({machine}, {dates}); none from other "
                            "hardware yet.")
    blocks = []
    for (name, date), group in others.items():
        origin = group[0].provenance
        unit = _times(group[0].record)[0]
        rows = [f"| {_label(r.record)} | {lo} | {mid} |" for r in group if r.record.available
                for _, lo, mid in [_times(r.record)]]
        blocks.append("\n".join([
            f"**Measured on {name}** ({', '.join(origin['devices'])}; JAX backend "
            f"{origin['backend']}), {date}, commit `{origin['commit'][:12]}`:", "",
            f"| run | min ({unit}) | median ({unit}) |", "|---|---|---|", *rows]))
    return MarkdownText("\n\n".join(blocks))
