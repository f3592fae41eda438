"""Writing goals from the command line: the notes ``init`` and ``new`` create,
and ``checkin``'s line in a key result's log (``init`` is
``vaultokr.commands.init``, ``new`` is ``vaultokr.commands.new``).

Everything here only adds: a note is created only where no file is, and a
check-in line is added to a key result's log through the safe writer with
compare-and-swap (if the note changes meanwhile, the line is added to the new
text, so neither edit is lost).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shlex
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from vaultokr.commands.find_kr import find_kr
from vaultokr.compute.analysis import Analysis
from vaultokr.core.errors import CannotWrite, NoteChanged, UsageError
from vaultokr.core.oserrors import os_reason
from vaultokr.model.okr import KeyResult
from vaultokr.read import markdown
from vaultokr.read.frontmatter import split
from vaultokr.read.regions import split_lines
from vaultokr.run.pipeline import Pipeline
from vaultokr.syntax.measured import parse_measurement
from vaultokr.syntax.values import ValueProblem
from vaultokr.write.writer import (
    Outcome,
    UnsafePath,
    WriteRefused,
    read_bytes,
    replace_file,
    resolve_output,
)

_PLAIN = re.compile(r"^[\w][\w .,'()/&+-]*$")
CAS_RETRIES = 5
_LOG_DATE = re.compile(r"^\s*[-*+]\s+(?:\[.\]\s+)?(\d{4}-\d{2}-\d{2})\b")
SETTLE = 2.0  # seconds checkin waits for a note being saved to be whole again
SETTLE_STEP = 0.05


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
    if _write(root, path, rel, text.encode("utf-8"), None, "it is not created") \
            is Outcome.CONFLICT:
        raise NoteChanged(f"{rel} appeared while vaultokr was writing it; left alone")
    return path


def _write(root: Path, path: Path, rel: str, data: bytes, expected: bytes | None,
           what_then: str) -> Outcome:
    """replace_file, with what the system or the writer refuses as CannotWrite
    naming the note (``what_then``: what it means for the command)."""
    try:
        return replace_file(path, data, expected, root=root)
    except WriteRefused as exc:
        raise CannotWrite(f"{what_then}: {exc.message}", path=rel) from None
    except OSError as exc:
        raise CannotWrite(f"{what_then}: {os_reason(exc)}", path=rel) from None


def safe_name(title: str) -> str:
    """A file name Obsidian accepts: no \\ / : * ? " < > | # ^ [ ]."""
    name = re.sub(r'[\\/:*?"<>|#^\[\]]+', " ", title).strip().strip(".")
    return re.sub(r"\s+", " ", name) or "Untitled"


# ---------------------------------------------------------------- checkin
@dataclass
class CheckinResult:
    kr: KeyResult
    path: str
    how: str  # "log" or "note"
    analysis: Analysis  # as of today
    written: str = ""  # the log line, or the check-in note's text


def checkin(root: Path, query: str, value: str, day: dt.date, confidence: float | None,
            comment: str | None, as_note: bool, folder: str | None = None, *,
            today: dt.date | None = None, dry_run: bool = False,
            cache: bool = True) -> CheckinResult:
    """Record one measurement (nothing when ``dry_run``); the analysis after
    it is as of ``today``."""
    today = today or day
    if day > today:
        raise UsageError(f"{day.isoformat()} is in the future (today is {today.isoformat()}); "
                         "a check-in records a value measured already",
                         hint="leave out --date for today, or give a past date")
    pipeline = Pipeline.open(root, cache=cache)
    kr = find_kr(pipeline.analyse(today), query)
    try:
        number = parse_measurement(value, kr.unit)  # a boolean, or a duration in its unit
    except ValueProblem as exc:
        raise UsageError(str(exc)) from None
    if confidence is not None and not 0 <= confidence <= 10:
        raise UsageError("--confidence is a number from 0 to 10")
    if comment and "\n" in comment:
        raise UsageError("--comment is one line")
    folder = folder or pipeline.config.checkins_folder
    if kr.inline or as_note:
        rel, written = _checkin_note(root, kr, number, day, confidence, comment, folder,
                                     dry_run)
        how = "note"
    else:
        rel = kr.path
        written = _log_line(number, day, confidence, comment)
        dated = "" if day == today else f" --date {day.isoformat()}"
        log_path(root, rel, kr.title, shlex.quote(value) + dated)  # refused before writing
        if not dry_run:
            entry = pipeline.entries.get(rel)
            _append_log(root, kr.path, written, day, pipeline.config.log_heading,
                        known_size=entry.stamp[1] if entry is not None else 0)
        how = "log"
    if not dry_run:
        pipeline.refresh([rel])
    return CheckinResult(kr, rel, how, pipeline.analyse(today), written)


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


def _append_log(root: Path, rel: str, line: str, day: dt.date | None = None,
                heading: str = "Log", known_size: int = 0) -> None:
    """Add a line to the note's ## Log (made if missing), with compare-and-swap:
    when the note changes meanwhile, the line goes into the new text. A read
    shorter than the note was when the vault was read (an editor saving it in
    place, truncated and not yet rewritten) is never taken as its content."""
    path = log_path(root, rel, "KR", "VALUE")
    for _ in range(CAS_RETRIES):
        old = _settled_read(path, rel, known_size)
        try:
            text = old.decode("utf-8")
        except UnicodeDecodeError:
            raise UsageError(f"{rel} is not UTF-8; left alone") from None
        new = add_log_line(text, line, day, heading)
        if new is None:
            raise UsageError("the note's Log section ends inside a code block (an open ``` "
                             "fence), where a new line would not be read: nothing was added",
                             path=rel, hint="close the code block with ``` on a line of its "
                             "own, then run vaultokr checkin again")
        if _write(root, path, rel, new.encode("utf-8"), old, "nothing was added") \
                is not Outcome.CONFLICT:
            return
        known_size = 0  # it changed: what we knew of it is no longer a guide
    raise NoteChanged(f"{rel} kept changing while vaultokr wrote to it; nothing was added",
                      hint="run vaultokr checkin again")


def log_path(root: Path, rel: str, title: str, args: str) -> Path:
    """Where a key result's log line goes; CannotWrite naming the note when
    it is a link (or in a folder leading outside the vault), which vaultokr
    never writes through; the hint gives the commands that record the value
    (``args``) instead."""
    try:
        return resolve_output(root, rel)
    except UnsafePath as exc:
        full = Path(root, rel)
        root_real, target = os.path.realpath(root), os.path.realpath(full)
        as_note = f"vaultokr checkin {shlex.quote(title)} {args} --note"
        if not full.is_symlink():
            raise CannotWrite(f"nothing was added: {exc}", path=rel,
                              hint=f"record the value as a check-in note: {as_note}") from None
        if target.startswith(root_real + os.sep):
            there = Path(os.path.relpath(target, root_real)).as_posix()
            name = there[:-3] if there.lower().endswith(".md") else there
            raise CannotWrite(f"the note is a link to {there}; vaultokr never writes through a "
                              "link: nothing was added", path=rel,
                              hint=f"check in to that note: vaultokr checkin {shlex.quote(name)} "
                              f"{args} (or record a check-in note: {as_note})") from None
        raise CannotWrite(f"the note is a link to a file outside the vault ({target}); "
                          "vaultokr writes only inside the vault and never through a link: "
                          "nothing was added", path=rel,
                          hint=f"record the value as a check-in note ({as_note}), or add the "
                          f"line to the log in {target} yourself") from None


def _settled_read(path: Path, rel: str, known_size: int) -> bytes:
    """The note's bytes once it is not shorter than ``known_size`` (nor empty),
    waiting at most SETTLE seconds; without a known size, once two reads a
    moment apart agree."""
    deadline = time.monotonic() + SETTLE
    previous: bytes | None = None
    while True:
        data = read_bytes(path)
        if data is None:
            raise NoteChanged(f"{rel} disappeared", hint="run vaultokr checkin again")
        whole = len(data) >= max(known_size, 1)
        if whole and (known_size or data == previous):
            return data
        if time.monotonic() >= deadline:
            raise NoteChanged(f"{rel} is being saved by another program (it is "
                              f"{'empty' if not data else 'shorter than a moment ago'}); "
                              "nothing was added", hint="run vaultokr checkin again")
        previous = data if whole else None
        time.sleep(SETTLE_STEP)


def add_log_line(text: str, line: str, day: dt.date | None = None,
                 heading: str = "Log") -> str | None:
    """``text`` with ``line`` after the last line of its log section (the
    section the log source reads: :func:`vaultokr.read.markdown.log_section`, under
    ``heading``), or, given its ``day``, before the first line dated later, so
    the log stays in date order; a ``## Log`` section (``heading``) is added at
    the end when there is none. Line endings (the body's own, whatever the
    front-matter's), a BOM and everything else are kept. None when the line
    would land inside a code block (an unclosed fence), where it is not read."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    lines, ends = split_lines(text[len(bom):])
    first = split(text[len(bom):]).body_line - 1
    newline = next((e for e in reversed(ends[first:]) if e in ("\n", "\r\n")),
                   next((e for e in ends if e), "\n"))
    body = markdown.parse_body("\n".join(lines[first:]), first + 1)
    section = markdown.log_section(body, heading)
    if section is None:
        rest = text[len(bom):]
        if rest and not rest.endswith(("\n", "\r")):
            rest += newline
        gap = "" if rest.endswith(newline * 2) or not rest.strip() else newline
        return bom + rest + gap + f"## {heading.strip()}" + newline + line + newline
    start, end = section[0] - 1, min(section[1], len(lines))
    last = start
    later = None  # the first line of the log dated after ``day``
    for i in range(start + 1, end):
        m = _LOG_DATE.match(lines[i])
        if day is not None and m and m[1] > day.isoformat():
            later = i
            break
        if lines[i].strip():
            last = i
    if later is not None:
        at, eol = later, ends[later - 1]
    else:
        at, eol = last + 1, ends[last]
        ends[last] = ends[last] or newline
    lines.insert(at, line)
    ends.insert(at, eol)
    if _in_code(lines[first:], at - first):
        return None
    return bom + "".join(ln + end for ln, end in zip(lines, ends, strict=True))


def _in_code(body: list[str], index: int) -> bool:
    """Whether line ``index`` of ``body`` is inside a code block."""
    return any(tok.type in ("fence", "code_block") and tok.map
               and tok.map[0] <= index < tok.map[1]
               for tok in markdown.block_tokens("\n".join(body)))


def _checkin_note(root: Path, kr: KeyResult, number: float | int, day: dt.date,
                  confidence: float | None, comment: str | None, folder: str,
                  dry_run: bool = False) -> tuple[str, str]:
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
            text = note_text(props)
            if not dry_run:
                create_note(root, rel, text)
            return rel, text
    raise UsageError(f"too many check-ins named {base}.md")

