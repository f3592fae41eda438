"""The differential test's vault and its edits (see differential.py).

Each edit is a function of the vault and a few integers; the integers pick a
note, a value or a variant modulo what exists, so that any sequence of edits
applies to any state (hypothesis may shrink a sequence freely).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from vaultokr.reviews.shipped import default_templates_dir

if TYPE_CHECKING:
    from support.differential import Vault

#: dates the clock moves between (and ``--as-of`` takes)
DATES = [dt.date(2026, 11, 20), dt.date(2026, 11, 27), dt.date(2026, 10, 30),
         dt.date(2026, 12, 4)]
WIDTHS = [80, 40, 120, 200]

REGION = "\n## Progress\n<!-- vaultokr:begin {} -->\n<!-- vaultokr:end -->\n"
TOML = "warn_v1_flows = false\n"
#: vaultokr.toml variants: valid ones, then ones with a problem
TOML_VALID = [TOML, TOML + "stale_days = 7\n", TOML + 'links = "wiki"\n',
              TOML + "[outputs]\nweek = false\n", "", TOML + 'exclude = ["Daily/**"]\n',
              TOML + '[templates]\nfolder = "Tpl"\n',
              TOML + '[outputs]\ndashboard = "OKRs/Board.md"\nregions = false\n',
              "properties = true\n" + TOML, "properties = false\n" + TOML,
              'properties = true\nproperties_prefix = "goal_"\n' + TOML]
TOML_BAD = [TOML + 'colour = "red"\n', TOML + "stale_days = -3\n", "stale_days = [\n"]
DAILY_FORMATS = ['{"format": "YYYY-MM-DD"}', '{"format": "DD.MM.YYYY"}', '{"format": ""}', None]
#: the Periodic Notes plugin's settings: the weekly note in words is dated only by the first
PERIODIC = ".obsidian/plugins/periodic-notes/data.json"
PERIODIC_FORMATS = ['{"weekly": {"enabled": true, "format": "[Week] ww [of] gggg"}}',
                    '{"weekly": {"enabled": false, "format": "[Week] ww [of] gggg"}}',
                    '{"weekly": {"enabled": true, "format": "[Week] ww, gggg"}}', None]
IGNORES = ["[]", '["Daily/"]', '["Check-ins/"]', '["OKRs/Q4/Pages.md"]']
FOLDERS = ["OKRs/Q4", "OKRs/Moved", "Check-ins", "Elsewhere/Deep"]
TEMPLATE = ".vaultokr/templates/dashboard.md.j2"
PART = ".vaultokr/templates/parts/extra.md.j2"
WEEK_TEMPLATE = ".vaultokr/templates/week.md.j2"
OBSIDIAN_TEMPLATES = ['{"folder": "Notes"}', "{}", '{"folder": "Daily"}', None]
TARGETS = [6, 50, 100, 300, 999, 0]
GOAL_NOTE = "Goals/Revenue goal.md"


def base_vault() -> dict[str, str]:
    """The vault every sequence starts from: an objective with four key
    results (a log, a tag count, a field sum from daily notes, whose long
    title is cut to the terminal's width, a count of checked tasks from a
    daily note and an undated habit note of done dates), a check-in
    note, daily notes dated by a property and by their name, a weekly note
    dated by the Periodic Notes plugin's format, regions, and a
    vault dashboard template that includes a file from a sub-folder."""
    dashboard = (default_templates_dir() / "dashboard.md.j2").read_text(encoding="utf-8")
    kr = '---\ntype: key-result\nobjective: "[[Grow]]"\n'
    return {
        "vaultokr.toml": TOML,
        ".obsidian/app.json": '{"userIgnoreFilters": []}',
        ".obsidian/daily-notes.json": DAILY_FORMATS[0] or "",
        "OKRs/Q4/Grow.md": "---\ntype: objective\nperiod: 2026-Q4\n---\n# Grow\n"
                           + REGION.format("objective"),
        "OKRs/Q4/Readers.md": kr + "unit: readers\ntarget: 100\n---\n## Log\n"
                              "- 2026-10-05: 10\n- 2026-10-26: 30\n- 2026-11-09: 45\n"
                              + REGION.format("kr"),
        "OKRs/Q4/Calls.md": kr + "measure: count\ntag: client-call\ntarget: 6\n---\n"
                            "Each #client-call day.\n",
        "OKRs/Q4/Pages.md": kr + "title: Pages written for the book, summed from the daily "
                            "notes\nmeasure: sum\nfield: pages\ntarget: 300\n---\n",
        # a finished quarter: its retrospective note is written, and kept as last written
        # while no measurement up to its end changes
        "OKRs/Q3/Speak.md": "---\ntype: objective\nperiod: 2026-Q3\n---\n# Speak\n",
        "OKRs/Q3/Talks.md": '---\ntype: key-result\nobjective: "[[Speak]]"\ntarget: 6\n---\n'
                            "## Log\n- 2026-08-05: 2 (confidence 7)\n- 2026-09-10: 4\n",
        "Check-ins/2026-11-16.md": '---\ntype: check-in\nkr: "[[Readers]]"\nvalue: 52\n'
                                   "confidence: 7\n---\n",
        "Daily/2026-11-06.md": "---\ndate: 2026-11-06\ntags: [client-call]\npages: 12\n---\n",
        "Daily/18.11.2026.md": "---\ntags: [client-call]\npages: 5\n---\nA call.\n",
        "Notes/Plain.md": "Just words, #client-call in the text.\n",
        PERIODIC: PERIODIC_FORMATS[0] or "",
        "Weekly/Week 46 of 2026.md": "pages:: 3\n",
        # a goal note's property followed over time (note: + field:, through git once
        # the commit edit has made the vault a repository)
        "OKRs/Q4/Revenue.md": kr + 'note: "[[Revenue goal]]"\nfield: Progress\ntarget: 100\n'
                               "---\n",
        GOAL_NOTE: "---\nProgress: 40\n---\n# Revenue goal\n",
        "OKRs/Q4/Meditate.md": kr + "measure: count\ntask: Meditate\ntarget: 20\n---\n",
        "Habits/Meditation.md": "- [ ] Meditate 🔁 every day 📅 2026-11-08\n"
                                "- [x] Meditate 🔁 every day ✅ 2026-11-07\n",
        "Daily/2026-11-09.md": "- [x] Meditate\n- [ ] Stretch #client-call\n",
        TEMPLATE: dashboard + '\nEdition 1\n{% include "parts/extra.md.j2" %}\n',
        PART: "Extra: one\n",
    }


# ------------------------------------------------------------------ notes
def value(v: Vault, i: int, number: int) -> None:
    """A check-in value: the i-th log line of a key result gets ``number``
    (a line is added to a note without one)."""
    rel = v.pick(i)
    if rel is None:
        return
    text = v.text(rel)
    found = list(re.finditer(r"^- (\d{4}-\d\d-\d\d): (\S+)$", text, re.M))
    if found:
        hit = found[i % len(found)]
        text = text[:hit.start(2)] + str(number) + text[hit.end(2):]
    else:
        text += f"- 2026-11-{1 + i % 28:02d}: {number}\n"
    v.write(rel, text)


def target(v: Vault, i: int, t: int) -> None:
    """A key result's target (or any note's first ``target:``) changes."""
    rel = v.pick(i)
    if rel is not None:
        v.write(rel, re.sub(r"^target: .*$", f"target: {TARGETS[t % len(TARGETS)]}",
                            v.text(rel), count=1, flags=re.M))


def new_checkin(v: Vault, day: int, number: int) -> None:
    """A new check-in note for Readers (or one rewritten, on a day already noted)."""
    date = dt.date(2026, 10, 1) + dt.timedelta(days=day % 80)
    v.write(f"Check-ins/{date}.md", f'---\ntype: check-in\nkr: "[[Readers]]"\n'
                                    f"date: {date}\nvalue: {number}\n---\n")


def delete(v: Vault, i: int) -> None:
    rel = v.pick(i)
    if rel is not None:
        (v.root / rel).unlink()


def same_size(v: Vault, i: int, digit: int) -> None:
    """A digit of a note changed, its size the same, its times set back."""
    rel = v.pick(i)
    if rel is not None:
        _same_size(v, rel, digit)


def _same_size(v: Vault, rel: str, digit: int) -> None:
    path = v.root / rel
    text = v.text(rel)
    hit = re.search(r"\d", text)
    if hit is None:
        return
    new = str(digit % 10) if hit.group() != str(digit % 10) else str((digit + 1) % 10)
    st = os.stat(path)
    path.write_text(text[:hit.start()] + new + text[hit.end():], encoding="utf-8",
                    errors="surrogateescape")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def rename(v: Vault, i: int, j: int) -> None:
    """A note moved to another folder, or renamed in its own."""
    rel = v.pick(i)
    if rel is None:
        return
    stem = rel.rsplit("/", 1)[-1].removesuffix(".md")
    folder = FOLDERS[j % len(FOLDERS)]
    name = stem if j % 2 else f"{stem} {j}"
    dest = v.root / folder / f"{name}.md"
    if not dest.exists() and not dest.is_symlink():
        dest.parent.mkdir(parents=True, exist_ok=True)
        (v.root / rel).rename(dest)


def swap(v: Vault, i: int, j: int) -> None:
    """Two notes trade places (names): each path now has the other's file."""
    a, b = v.pick(i), v.pick(j)
    if a is not None and b is not None and a != b:
        (v.root / a).rename(v.root / "swap.tmp")
        (v.root / b).rename(v.root / a)
        (v.root / "swap.tmp").rename(v.root / b)


def link_folder(v: Vault, i: int) -> None:
    """A folder that is a symbolic link to another folder of the vault."""
    folders = sorted({rel.rsplit("/", 1)[0] for rel in v.notes() if "/" in rel})
    if folders:
        link = v.root / "Linked"
        _replace_link(link, folders[i % len(folders)])


def link_note(v: Vault, i: int) -> None:
    """A note that is a symbolic link to another note (relative)."""
    rel = v.pick(i)
    if rel is None:
        return
    link = v.root / "Links" / f"Link {i % 5}.md"
    _replace_link(link, os.path.relpath(v.root / rel, link.parent))


def dangling(v: Vault, j: int) -> None:
    """A ``*.md`` symbolic link to nothing."""
    _replace_link(v.root / "Links" / f"Gone {j % 3}.md", f"missing-{j}.md")


def _replace_link(link: Any, dest: str) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.is_symlink() or link.exists():
        link.unlink()
    os.symlink(dest, link)


# --------------------------------------------------------------- settings
def toml(v: Vault, k: int) -> None:
    v.write("vaultokr.toml", TOML_VALID[k % len(TOML_VALID)])


def toml_bad(v: Vault, k: int) -> None:
    v.write("vaultokr.toml", TOML_BAD[k % len(TOML_BAD)])


def daily_format(v: Vault, k: int) -> None:
    text = DAILY_FORMATS[k % len(DAILY_FORMATS)]
    path = v.root / ".obsidian/daily-notes.json"
    if text is None:
        path.unlink(missing_ok=True)
    else:
        v.write(".obsidian/daily-notes.json", text)


def periodic_format(v: Vault, k: int) -> None:
    text = PERIODIC_FORMATS[k % len(PERIODIC_FORMATS)]
    if text is None:
        (v.root / PERIODIC).unlink(missing_ok=True)
    else:
        v.write(PERIODIC, text)


def ignore(v: Vault, k: int) -> None:
    v.write(".obsidian/app.json", f'{{"userIgnoreFilters": {IGNORES[k % len(IGNORES)]}}}')


def obsidian_templates(v: Vault, k: int) -> None:
    """Obsidian's templates folder (its notes are not OKR notes)."""
    text = OBSIDIAN_TEMPLATES[k % len(OBSIDIAN_TEMPLATES)]
    if text is None:
        (v.root / ".obsidian/templates.json").unlink(missing_ok=True)
    else:
        v.write(".obsidian/templates.json", text)


def touch_now(v: Vault, i: int) -> None:
    """A note saved just now (its time recent: within the caches' racy window)."""
    rel = v.pick(i)
    if rel is not None:
        (v.root / rel).write_text(v.text(rel) + f"Saved now {i}.\n", encoding="utf-8",
                                  errors="surrogateescape")


# -------------------------------------------------------------- templates
def template(v: Vault, k: int) -> None:
    """The vault's dashboard template: another edition line, or none (the
    default); or a week template added, or taken away again."""
    path = v.root / TEMPLATE
    if k % 6 >= 4:
        week = (default_templates_dir() / "week.md.j2").read_text(encoding="utf-8")
        if k % 6 == 4:
            v.write(WEEK_TEMPLATE, week + "\nMy week.\n")
        else:
            (v.root / WEEK_TEMPLATE).unlink(missing_ok=True)
        return
    if k % 4 == 3:
        path.unlink(missing_ok=True)
        return
    base = base_vault()[TEMPLATE].replace("Edition 1", f"Edition {'I' * (k % 4 + 1)}")
    v.write(TEMPLATE, base)


def template_same_size(v: Vault, digit: int) -> None:
    """The edition number of the dashboard template, same size, times set back."""
    if (v.root / TEMPLATE).exists():
        text = v.text(TEMPLATE)
        hit = re.search(r"Edition (\d)", text)
        if hit is not None:
            new = str(digit % 10) if hit.group(1) != str(digit % 10) else str((digit + 1) % 10)
            path = v.root / TEMPLATE
            st = os.stat(path)
            path.write_text(text[:hit.start(1)] + new + text[hit.end(1):], encoding="utf-8")
            os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def include(v: Vault, k: int) -> None:
    """The file the dashboard template includes from its sub-folder."""
    v.write(PART, f"Extra: {['one', 'two', 'three', 'four'][k % 4]}\n")


# ------------------------------------------------------------------ git
def progress(v: Vault, number: int) -> None:
    """The followed goal note's ``Progress`` edited in place."""
    if (v.root / GOAL_NOTE).exists():
        v.write(GOAL_NOTE, re.sub(r"^Progress: .*$", f"Progress: {number}", v.text(GOAL_NOTE),
                                  count=1, flags=re.M))


def commit(v: Vault, day: int) -> None:
    """Everything but the caches committed (the vault made a git repository
    first), dated ``day`` days after 2026-10-01: no note's time changes, only
    HEAD moves."""
    when = f"{dt.date(2026, 10, 1) + dt.timedelta(days=day % 80)}T12:00:00"
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
           "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    if not (v.root / ".git").exists():
        subprocess.run(["git", "init", "-q"], cwd=v.root, env=env, check=True)
    subprocess.run(["git", "add", "-A", "--", ".", ":!.vaultokr"], cwd=v.root, env=env,
                   check=True)
    subprocess.run(["git", "commit", "-q", "--allow-empty", "-m", f"day {day}"], cwd=v.root,
                   env=env, check=True)


# ---------------------------------------------------------- hand edits
def hand_output(v: Vault, i: int) -> None:
    """A generated review edited by hand."""
    rel = v.pick(i, generated=True)
    if rel is not None:
        v.write(rel, v.text(rel) + f"\nMy own line {i}.\n")


def delete_output(v: Vault, i: int) -> None:
    """A generated review deleted."""
    rel = v.pick(i, generated=True)
    if rel is not None:
        (v.root / rel).unlink()


def hand_region(v: Vault, i: int) -> None:
    """The inside of a region edited by hand."""
    for rel in v.notes():
        text = v.text(rel)
        if "<!-- vaultokr:begin" in text:
            v.write(rel, re.sub(r"(<!-- vaultokr:begin [^\n]*-->\n)", rf"\1my words {i}\n",
                                text, count=1))
            return


# ----------------------------------------------------------- the world
def today(v: Vault, d: int) -> None:
    v.today = DATES[d % len(DATES)]


def columns(v: Vault, c: int) -> None:
    v.columns = WIDTHS[c % len(WIDTHS)]


#: a task line's variants: checked with a done date, unchecked, checked without
#: one (a habit note whose last ✅ goes is no longer kept for the task source),
#: another spelling with a tag, a done date outside the period
TASK_VARIANTS = ["- [x] Meditate ✅ 2026-11-{:02d}", "- [ ] Meditate 📅 2026-11-{:02d}",
                 "- [x] Meditate {:02d} minutes", "- [X] meditate #client-call ✅ 2026-10-{:02d}",
                 "- [x] Meditate ✅ 2027-01-{:02d}"]


def task(v: Vault, i: int, k: int) -> None:
    """A task line of a note (the i-th) becomes variant k: checked or not,
    with a done date or not; a note without a task gets one."""
    rel = v.pick(i)
    if rel is None:
        return
    text = v.text(rel)
    line = TASK_VARIANTS[k % len(TASK_VARIANTS)].format(1 + (i + k) % 28)
    found = list(re.finditer(r"^- \[[ xX]\] .*$", text, re.M))
    if found:
        hit = found[i % len(found)]
        text = text[:hit.start()] + line + text[hit.end():]
    else:
        text += ("" if text.endswith("\n") or not text else "\n") + line + "\n"
    v.write(rel, text)


def age(v: Vault) -> None:
    """Every user file's time set back (later ones stay later)."""
    for rel in v.notes() + v.notes(generated=True):
        v.age(v.root / rel)


def nothing(v: Vault) -> None:
    pass


#: edit kind -> (function, how many integers it takes)
EDITS: dict[str, tuple[Callable[..., None], int]] = {
    "value": (value, 2), "target": (target, 2), "new-checkin": (new_checkin, 2),
    "delete": (delete, 1), "same-size": (same_size, 2), "rename": (rename, 2),
    "swap": (swap, 2), "link-folder": (link_folder, 1), "delete-output": (delete_output, 1),
    "link-note": (link_note, 1), "dangling": (dangling, 1), "toml": (toml, 1),
    "toml-bad": (toml_bad, 1), "daily-format": (daily_format, 1), "ignore": (ignore, 1),
    "periodic-format": (periodic_format, 1),
    "template": (template, 1), "template-same-size": (template_same_size, 1),
    "include": (include, 1), "hand-output": (hand_output, 1), "hand-region": (hand_region, 1),
    "obsidian-templates": (obsidian_templates, 1), "touch-now": (touch_now, 1),
    "today": (today, 1), "columns": (columns, 1), "age": (age, 0), "none": (nothing, 0),
    "progress": (progress, 1), "commit": (commit, 1), "task": (task, 2),
}
