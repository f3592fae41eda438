"""Writing goals from the command line: ``init`` and ``checkin`` (``new`` is
``vaultokr.newnote``).

Everything here only adds: a note is created only where no file is, and a
check-in line is added to a key result's log through the safe writer with
compare-and-swap (if the note changes meanwhile, the line is added to the new
text, so neither edit is lost).
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from vaultokr import markdown
from vaultokr.engine import Analysis
from vaultokr.errors import NoteChanged, UsageError
from vaultokr.model import KeyResult
from vaultokr.notes import split
from vaultokr.pipeline import Pipeline
from vaultokr.properties import OBSIDIAN_TYPES
from vaultokr.settings import toml_template
from vaultokr.values import (
    ValueProblem,
    parse_number,
    parse_period,
)
from vaultokr.writer import Outcome, UnsafePath, read_bytes, replace_file, resolve_output

_PLAIN = re.compile(r"^[\w][\w .,'()/&+-]*$")
CAS_RETRIES = 5


# ------------------------------------------------------------ note writing
def yaml_scalar(value: Any) -> str:
    """A value as Obsidian writes it in front-matter: links and anything that
    YAML would read as something else are quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if _PLAIN.match(text) and ": " not in text and " #" not in text:
        try:
            if yaml.safe_load(text) == text:  # YAML reads it back as this very text
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)


def note_text(props: list[tuple[str, Any]], body: str = "") -> str:
    lines = ["---"]
    for key, value in props:
        if value is None:
            continue
        if isinstance(value, list):
            lines.append(f"{key}:")
            lines.extend(f"  - {yaml_scalar(v)}" for v in value)
        else:
            lines.append(f"{key}: {yaml_scalar(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n" + body


def link(name: str) -> str:
    return f"[[{name}]]"


def create_note(root: Path, rel: str, text: str) -> Path:
    """Create a note; never overwrite one (UsageError if it exists)."""
    try:
        path = resolve_output(root, rel)
    except UnsafePath as exc:
        raise UsageError(str(exc)) from None
    if path.exists() or path.is_symlink():
        raise UsageError(f"{rel} exists already; vaultokr never overwrites a note",
                         hint="choose another title, or edit that note")
    if replace_file(path, text.encode("utf-8"), None) is Outcome.CONFLICT:
        raise NoteChanged(f"{rel} appeared while vaultokr was writing it; left alone")
    return path


def safe_name(title: str) -> str:
    """A file name Obsidian accepts: no \\ / : * ? " < > | # ^ [ ]."""
    name = re.sub(r'[\\/:*?"<>|#^\[\]]+', " ", title).strip().strip(".")
    return re.sub(r"\s+", " ", name) or "Untitled"


# ------------------------------------------------------------------- init
@dataclass
class InitResult:
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    types: str = "absent"  # absent, added, unchanged, unreadable


def init(root: Path, today: dt.date, folder: str = "OKRs",
         checkins: str = "Check-ins") -> InitResult:
    """Add the settings file and one example of each note; change nothing else."""
    result = InitResult()
    root.mkdir(parents=True, exist_ok=True)
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    quarter_start = parse_period(quarter).start
    # the example check-in is yesterday's, so that today's first real one is a date of its own
    example_day = max(quarter_start, today - dt.timedelta(days=1))
    ambition = "Be the person people ask about my craft"
    objective = "Become a visible voice in my field"
    kr = "Speaking invitations"
    notes = {
        "vaultokr.toml": toml_template(),
        f"{folder}/{ambition}.md": note_text([("type", "ambition")], (
            f"# {ambition}\n\nA long-range direction, not a job title: what problems do I "
            "want to solve, what impact do I want to have? Objectives below serve it.\n\n"
            "<!-- vaultokr:begin ambition -->\n<!-- vaultokr:end -->\n")),
        f"{folder}/{quarter}/{objective}.md": note_text(
            [("type", "objective"), ("period", quarter), ("ambition", link(ambition))], (
                f"# {objective}\n\nQualitative and time-bound. Its key results measure a "
                "change in other people's behaviour: outcomes, not activities.\n\n"
                "<!-- vaultokr:begin objective -->\n<!-- vaultokr:end -->\n")),
        f"{folder}/{quarter}/{kr}.md": note_text(
            [("type", "key-result"), ("objective", link(objective)), ("measure", "sum"),
             ("unit", "invitations"), ("target", 6)],
            f"# {kr}\n\nInvitations to speak this quarter.\n\n## Log\n"),
        f"{checkins}/{example_day.isoformat()} First check-in.md": note_text(
            [("type", "check-in"), ("date", example_day), ("kr", link(kr)), ("value", 1),
             ("confidence", 5), ("comment", "a meetup organiser asked me")]),
    }
    for rel, text in notes.items():
        path = root / rel
        if path.exists() or path.is_symlink():
            result.skipped.append(rel)
            continue
        create_note(root, rel, text)
        result.created.append(rel)
    if (root / ".obsidian").is_dir():
        result.types = register_types(root)
    return result


def register_types(root: Path) -> str:
    """Merge vaultokr's property types into .obsidian/types.json: add the
    missing ones, keep every type the user set, touch nothing when complete."""
    path = root / ".obsidian" / "types.json"
    for _ in range(CAS_RETRIES):
        old = read_bytes(path)
        data: Any = {"types": {}}
        if old is not None:
            try:
                data = json.loads(old.decode("utf-8-sig"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                return "unreadable"
            if not isinstance(data, dict) or not isinstance(data.setdefault("types", {}), dict):
                return "unreadable"
        missing = {k: v for k, v in OBSIDIAN_TYPES.items() if k not in data["types"]}
        if not missing:
            return "unchanged"
        data["types"].update(missing)
        new = (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        if replace_file(path, new, old) is not Outcome.CONFLICT:
            return "added"
    return "unreadable"


# ---------------------------------------------------------------- checkin
@dataclass
class CheckinResult:
    kr: KeyResult
    path: str
    how: str  # "log" or "note"
    analysis: Analysis


def find_kr(analysis: Analysis, query: str) -> KeyResult:
    """A key result by id, note name, title, alias or Objective#id (as a
    wikilink is found); a near miss suggests the closest names."""
    wanted = query.strip().strip("[]").split("|")[0].strip().lower()
    if wanted.endswith(".md"):
        wanted = wanted[:-3]
    names: dict[str, set[str]] = {}
    aliases = analysis.files.link_index().alias_names()
    for kr in analysis.model.key_results.values():
        note = kr.id.split("#")[0]
        keys = {kr.id.lower(), kr.title.lower(), note.rsplit("/", 1)[-1].lower()}
        if kr.inline:
            keys.add(f"{note.rsplit('/', 1)[-1]}#{kr.id.split('#', 1)[1]}".lower())
        else:
            keys.update(a for a, ids in aliases.items() if note in ids)
        for key in keys:
            names.setdefault(key, set()).add(kr.id)
    found = names.get(wanted, set())
    if len(found) == 1:
        return analysis.model.key_results[found.pop()]
    if len(found) > 1:
        raise UsageError(f"{query!r} matches {len(found)} key results: "
                         + ", ".join(sorted(found)), hint="write its path to pick one")
    close = difflib.get_close_matches(wanted, list(names), n=5, cutoff=0.5)
    titles: list[str] = []
    for key in close:
        for kr_id in sorted(names[key]):
            title = analysis.model.key_results[kr_id].title
            if title not in titles:
                titles.append(title)
    hint = ("did you mean " + " or ".join(repr(t) for t in titles[:3]) + "?") if titles else \
        "vaultokr status lists the key results"
    raise UsageError(f"no key result named {query!r}", hint=hint)


def checkin(root: Path, query: str, value: str, day: dt.date, confidence: float | None,
            comment: str | None, as_note: bool, folder: str = "Check-ins") -> CheckinResult:
    pipeline = Pipeline.open(root)
    kr = find_kr(pipeline.analyse(day), query)
    try:
        number = parse_number(value, kr.unit)
    except ValueProblem as exc:
        raise UsageError(str(exc)) from None
    if confidence is not None and not 0 <= confidence <= 10:
        raise UsageError("--confidence is a number from 0 to 10")
    if comment and "\n" in comment:
        raise UsageError("--comment is one line")
    if kr.inline or as_note:
        rel = _checkin_note(root, kr, number, day, confidence, comment, folder)
        how = "note"
    else:
        rel = kr.path
        _append_log(root, kr.path, _log_line(number, day, confidence, comment))
        how = "log"
    pipeline.refresh([rel])
    return CheckinResult(kr, rel, how, pipeline.analyse(day))


def ordinal(n: int) -> str:
    """2nd, 3rd, 11th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _log_line(number: float | int, day: dt.date, confidence: float | None,
              comment: str | None) -> str:
    line = f"- {day.isoformat()}: {_plain_number(number)}"
    if confidence is not None:
        line += f" (confidence {_plain_number(confidence)})"
    if comment:
        line += f" {comment.strip()}"
    return line


def _plain_number(value: float | int) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _append_log(root: Path, rel: str, line: str) -> None:
    """Add a line to the note's ## Log (made if missing), with compare-and-swap:
    when the note changes meanwhile, the line goes into the new text."""
    path = resolve_output(root, rel)
    for _ in range(CAS_RETRIES):
        old = read_bytes(path)
        if old is None:
            raise NoteChanged(f"{rel} disappeared", hint="run vaultokr checkin again")
        try:
            text = old.decode("utf-8")
        except UnicodeDecodeError:
            raise UsageError(f"{rel} is not UTF-8; left alone") from None
        new = add_log_line(text, line)
        if replace_file(path, new.encode("utf-8"), old) is not Outcome.CONFLICT:
            return
    raise NoteChanged(f"{rel} kept changing while vaultokr wrote to it; nothing was added",
                      hint="run vaultokr checkin again")


def add_log_line(text: str, line: str) -> str:
    """``text`` with ``line`` after the last line of its Log section (a heading
    "Log", found by markdown-it, so one inside code is text); a ``## Log``
    section is added at the end when there is none. Line endings, a BOM and
    everything else are kept."""
    newline = "\r\n" if "\r\n" in text else "\n"
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    lines = text[len(bom):].split(newline)
    first = split(text[len(bom):]).body_line - 1
    body = "\n".join(lines[first:])
    headings = []  # (line index, level, is the log heading)
    tokens = markdown.block_tokens(body)
    for tok, inline in itertools.pairwise(tokens):
        if tok.type == "heading_open" and tok.level == 0 and tok.map:
            is_log = inline.content.strip().lower() == "log"
            headings.append((first + tok.map[0], int(tok.tag[1]), is_log))
    log = next((h for h in headings if h[2]), None)
    if log is None:
        rest = text[len(bom):]
        if rest and not rest.endswith(newline):
            rest += newline
        gap = "" if rest.endswith(newline * 2) or not rest.strip() else newline
        return bom + rest + gap + "## Log" + newline + line + newline
    start, level, _ = log
    end = next((h[0] for h in headings if h[0] > start and h[1] <= level), len(lines))
    last = start
    for i in range(start + 1, end):
        if lines[i].strip():
            last = i
    lines.insert(last + 1, line)
    return bom + newline.join(lines)


def _checkin_note(root: Path, kr: KeyResult, number: float | int, day: dt.date,
                  confidence: float | None, comment: str | None, folder: str) -> str:
    note = kr.id.split("#")[0].rsplit("/", 1)[-1]
    ref = f"{note}#{kr.id.split('#', 1)[1]}" if kr.inline else note  # [[Objective#id]]
    props: list[tuple[str, Any]] = [("type", "check-in"), ("date", day), ("kr", link(ref)),
                                    ("value", number)]
    if confidence is not None:
        props.append(("confidence", confidence))
    if comment:
        props.append(("comment", comment.strip()))
    base = f"{folder.strip('/')}/{day.isoformat()} {safe_name(kr.title)}"
    for n in range(1, 100):
        # never "… 2.md" or "… (1).md": the names sync tools give their conflict copies
        rel = f"{base}{'' if n == 1 else f', {ordinal(n)} check-in'}.md"
        if not (root / rel).exists():
            create_note(root, rel, note_text(props))
            return rel
    raise UsageError(f"too many check-ins named {base}.md")

