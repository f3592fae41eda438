"""Every problem code vaultokr reports, with its severity and what it means.

A problem's code is stable: people filter on it (``check --format json``) and
docs/problems.md explains each one (a test keeps the two equal, row by row).
To report a new kind of problem, add its :class:`Code` here and a row to the
docs; the test suite fails on a problem whose code is not in
:data:`CATALOGUE`.
"""

from __future__ import annotations

from dataclasses import dataclass

from vaultokr.core.errors import Severity

ERROR: tuple[Severity, ...] = ("error",)
WARNING: tuple[Severity, ...] = ("warning",)
ERROR_OR_WARNING: tuple[Severity, ...] = ("error", "warning")


@dataclass(frozen=True)
class Code:
    code: str
    severities: tuple[Severity, ...]
    meaning: str  # one line, as in docs/problems.md


#: ``vaultokr check`` (reading and computing), then ``vaultokr build``
CODES = [
    Code("read-error", ERROR_OR_WARNING,
         "the file or folder cannot be read, a link leads nowhere, or a `.md` is a FIFO or a "
         "device"),
    Code("not-utf8", ERROR, "the note is not UTF-8 (the line of the first bad byte); skipped"),
    Code("note-too-large", WARNING, "a note over 64 MiB is skipped"),
    Code("symlink-inside-vault", WARNING,
         "a folder link pointing inside the vault is not followed (its notes are read once)"),
    Code("yaml-syntax", ERROR, "the front-matter is not valid YAML; the note is skipped"),
    Code("yaml-too-complex", ERROR,
         "the front-matter expands to too many values (YAML aliases) or nests over 50 deep"),
    Code("frontmatter-not-mapping", ERROR,
         "the front-matter is a list or a single value, not properties"),
    Code("frontmatter-unclosed", WARNING, "`---` opens front-matter but no `---` closes it"),
    Code("config-invalid", ERROR,
         "`vaultokr.toml` is not valid TOML, or a setting has the wrong type"),
    Code("config-unknown-key", WARNING, "a setting vaultokr does not know"),
    Code("obsidian-settings", WARNING,
         "`.obsidian/app.json`, `templates.json`, `daily-notes.json` or Periodic Notes' "
         "`data.json` cannot be read, or an ignore pattern is refused"),
    Code("type-unknown", WARNING,
         "a `type` close to a role (`objectives`): did you mean it? Read as an ordinary note"),
    Code("property-unknown", WARNING,
         "a property of an OKR note close to a known one (`targt`): did you mean it? Not read"),
    Code("source-matches-nothing", WARNING,
         "a key result's `field` or `tag` that no dated note in the vault has (`meditaton`): "
         "the closest one the vault has is named"),
    Code("property-two-spellings", WARNING,
         "a note has one property in two cases (`Target` and `target`): the lowercase one is "
         "read, the other is not"),
    Code("link-invalid", ERROR, "a value that should be a link is not one"),
    Code("link-missing", ERROR,
         "the link resolves to no note (or an objective has no inline key result with that id)"),
    Code("note-unused", WARNING,
         "a key result has note: but no field, tag, task or checklist for it to limit"),
    Code("git-failed", WARNING,
         "git failed while reading a followed note's history: only the note's current value "
         "is read, dated by its modification date"),
    Code("link-ambiguous", ERROR,
         "the link matches more than one note, none preferred: write the path"),
    Code("link-ambiguous-picked", WARNING,
         "the link matches more than one note; the one of the expected role, in the same "
         "folder or with the shortest path is used"),
    Code("link-wrong-type", ERROR, "the link resolves to a note of the wrong role"),
    Code("bad-period", ERROR,
         "`period` is not `2026-Q4`, `2026-H2`, `2026-11`, `2026-W47` or `2026`"),
    Code("bad-date", ERROR_OR_WARNING,
         "a date that is not `YYYY-MM-DD` in 1900–2999, or `due` before `start`"),
    Code("bad-status", ERROR, "`status` is not `active`, `paused` or `dropped` (default used)"),
    Code("bad-commitment", ERROR,
         "`commitment` is not `aspirational` or `committed` (default used)"),
    Code("bad-measure", ERROR,
         "`measure` is not `last`, `sum`, `count`, `checklist` or `milestone` (default used)"),
    Code("bad-weight", ERROR, "`weight` is not a number of 0 or more (1 used)"),
    Code("bad-baseline", ERROR, "`baseline` is not a number; the key result is left out"),
    Code("bad-target", ERROR, "`target` is not a number; the key result is left out"),
    Code("bad-change", ERROR, '`change` is not like `"+100%"`, or there is no non-zero baseline'),
    Code("bad-growth", ERROR,
         '`growth` is not like `"10%/month"`, or no positive baseline, or no dates, or on a '
         "`sum`/`count` flow (write `change:`)"),
    Code("bad-keep", ERROR, "`keep` is not `above` or `below`"),
    Code("bad-done", ERROR, "`done` is neither `true` nor a date"),
    Code("bad-key_results", ERROR, "an objective's `key_results` is not a list"),
    Code("bad-checkins", ERROR, "`checkins` is not a list of `{date, value}`"),
    Code("bad-value", ERROR, "a measurement value is not a number; the measurement is skipped"),
    Code("bad-count_if", ERROR,
         '`count_if` is not `done` or a comparison like `"> 30"`, or the key result is not a '
         "`measure: count` with `field:`; the key result is left out"),
    Code("duration-needs-unit", ERROR,
         "a field written as durations (`1h 27m`) for a key result whose `unit` (or whose "
         "`count_if` comparison) has no unit of time: one problem per key result (the first "
         "note and how many); the values are skipped until `unit: minutes` (or `count_if: "
         '"> 30 min"`) is set'),
    Code("bad-confidence", WARNING, "confidence is not a number from 0 to 10; left out"),
    Code("log-unreadable", WARNING,
         "a log line that looks like a measurement is not read (a date not `YYYY-MM-DD`, "
         "another unit, `(confidance 7)`)"),
    Code("target-conflict", ERROR,
         "more than one of `target`, `change`, `growth` (or `keep` without `target`)"),
    Code("target-equals-baseline", ERROR,
         "nothing to achieve: a level's target equals its baseline, or a flow's target is 0"),
    Code("count-without-source", ERROR, "`measure: count` needs `tag:`, `field:` or `task:`"),
    Code("task-without-count", ERROR,
         "`task:` counts checked tasks and needs `measure: count`; the key result is left out"),
    Code("bad-task", ERROR,
         "`task:` is not one text or `#tag` (empty, a list, or an unquoted `#tag`, which YAML "
         "reads as a comment); the key result is left out"),
    Code("task-with-other-source", ERROR,
         "`task:` with `tag:` or `field:` would count twice; the key result is left out"),
    Code("checklist-empty", WARNING,
         "a `checklist` key result whose note has no task (`- [ ] ...`): it reads 0 of 0"),
    Code("kr-no-objective", ERROR, "a key result note without `objective:`"),
    Code("kr-no-baseline", WARNING, "a `last` key result without `baseline:` is measured from 0"),
    Code("inline-kr-id", ERROR, "an inline key result without an `id`"),
    Code("duplicate-id", ERROR,
         "two inline key results with the same id (case-insensitive); the second is skipped"),
    Code("checkin-no-date", ERROR, "a check-in without `date` or a date in its file name"),
    Code("checkin-no-value", ERROR, "a check-in with `kr` but no `value`"),
    Code("checkin-no-values", ERROR,
         "a check-in with neither `kr` nor `values`, or `values` not a mapping"),
    Code("measurement-outside-window", WARNING,
         "an explicit measurement outside the key result's start..due is ignored"),
    Code("initiative-no-start", WARNING,
         "an initiative without `start` cannot be compared before/during"),
    Code("flow-baseline-changed", WARNING,
         "a `sum`/`count` baseline now means last period's total and the total counts from 0 "
         "(vaults written before flows; `warn_v1_flows = false` silences it)"),
    Code("smart-not-time-bound", WARNING, "an objective with no period and no due date"),
    Code("smart-no-start", WARNING,
         "an objective with a due date but no start, period or `created` date: no expected "
         "progress"),
    Code("smart-no-key-results", WARNING, "an objective with no (non-dropped) key result"),
    Code("smart-not-measurable", WARNING, "a key result with no target (its progress is null)"),
    Code("smart-too-many-key-results", WARNING,
         "more than 5 key results on one objective (`max_key_results`)"),
    Code("smart-too-many-objectives", WARNING,
         "more than 5 active objectives in one period (`max_active_objectives`)"),
    Code("smart-activity", WARNING,
         "a key result's title starts with a verb of your own work (`activity_verbs`): it "
         "measures an activity, not what others do because of it (`warn_activities = false` "
         "turns it off)"),
    Code("smart-stale", WARNING,
         "an active, running key result with no measurement for more than 14 days "
         "(`stale_days`; with none yet, counted from the later of start and `created`)"),
    Code("output-not-generated", ERROR,
         "a file vaultokr did not write is at an output path: move it, or change the path "
         "in `[outputs]`"),
    Code("output-unsafe", ERROR, "an output path outside the vault, or through a symbolic link"),
    Code("output-edited", WARNING, "a review was edited by hand: kept until `build --force`"),
    Code("properties-refused", WARNING,
         "`properties = true` cannot write a note's computed properties: it has no "
         "front-matter, its front-matter does not read, or `.obsidian/types.json` is not JSON"),
    Code("region-edited", WARNING, "a region was edited by hand: kept until `build --force`"),
    Code("region-marker", ERROR, "a begin marker without a name"),
    Code("region-nested", ERROR, "a region begins inside another"),
    Code("region-unbalanced", ERROR, "a begin without an end, or an end without a begin"),
    Code("region-unknown", ERROR,
         "a region name other than `objective`, `kr`, `week`, `ambition`, `retrospective`"),
    Code("region-target", ERROR,
         "the region's objective, key result, ambition or week cannot be found"),
    Code("template-error", ERROR,
         "a template is broken, or exceeds its 3 s (CPU) or 16 Mi-character budget (its file "
         "and line); the output is left as it was"),
    Code("write-conflict", WARNING,
         "the note changed while vaultokr was writing it; left for the next run"),
    Code("output-collision", ERROR,
         "two outputs have the same path (a weekly objective's period review is that week's "
         "review); the second is not written"),
    Code("write-failed", ERROR,
         "the system refused the write (disk full, read-only, no permission, name too long, "
         "a folder in the way); the file is left as it was and the rest of the vault is built"),
    Code("note-read-only", WARNING, "a note without write permission is never rewritten"),
    Code("note-hard-links", WARNING,
         "a note with several hard links is not rewritten (a rewrite would break the links)"),
    Code("templates-outside", WARNING,
         "the template folder is a link or leads outside the vault; the defaults are used"),
]

CATALOGUE = {c.code: c for c in CODES}
