"""A deterministic synthetic vault for benchmarks, in one of two shapes.

    python benchmarks/generate.py OUT --notes 10000 [--shape personal|shared] [--seed 1]

``personal`` (the default): most notes are ordinary prose notes with ordinary
front-matter (tags, dates, aliases, a Dataview-style ``type: book`` now and
then), as in a real Obsidian vault; 1 in 20 are daily notes with a field and
tags; up to 40 objectives with 4 key results each (every measure and source)
and up to 400 check-ins, as one person writes over a few years.

``shared``: many objectives whose key results read one shared daily-note
field, and long notes: up to 250 objectives with 5 key results each, four of
which read the inline field ``focus::`` of every daily note (1,000 key
results on one field of 500 daily notes at 10,000 notes), the fifth a level
with a long log and check-ins (up to 2,000); 1 in 20 notes are daily notes,
and 1 in 5 ordinary notes is long (20 to 60 paragraphs, headings, tables,
tags and unrelated inline fields).

The same arguments always write the same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from collections.abc import Callable
from pathlib import Path

WORDS = [
    "platform", "team", "developer", "experience", "build", "pipeline", "latency", "golden",
    "path", "review", "design", "document", "incident", "retro", "onboarding", "mentoring",
    "roadmap", "quarter", "metric", "feedback", "meetup", "conference", "talk", "abstract",
    "newsletter", "reader", "migration", "service", "cluster", "cost", "budget", "hiring",
    "interview", "career", "growth", "habit", "focus", "writing", "draft", "the", "a", "of",
    "and", "to", "in", "for", "with", "on", "that", "this", "is", "was", "it", "as", "at",
    "by", "from", "we", "our", "their",
]
TAGS = ["reading", "ideas", "work", "meeting", "people", "project", "learning", "book", "talk"]
START = dt.date(2026, 10, 1)


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 18))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, links: list[str]) -> str:
    parts = [sentence(rng) for _ in range(rng.randint(2, 6))]
    if links and rng.random() < 0.6:
        parts.insert(rng.randrange(len(parts)), f"See [[{rng.choice(links)}]].")
    return " ".join(parts)


def ordinary(rng: random.Random, i: int, links: list[str]) -> str:
    fm = [f"created: 2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
          f"tags: [{', '.join(rng.sample(TAGS, rng.randint(1, 3)))}]"]
    if rng.random() < 0.1:
        fm.append(f"aliases: [Alias {i}]")
    if rng.random() < 0.05:
        fm += ["type: book", f"author: Author {i % 97}", f"rating: {rng.randint(1, 5)}"]
    body = [f"# Note {i}", ""]
    for _ in range(rng.randint(2, 8)):
        body += [paragraph(rng, links), ""]
        if rng.random() < 0.2:
            body += [f"- {sentence(rng)}" for _ in range(rng.randint(2, 5))] + [""]
        if rng.random() < 0.05:
            body += ["```python", "print('#not-a-tag')", "```", ""]
    return "---\n" + "\n".join(fm) + "\n---\n" + "\n".join(body)


def daily(rng: random.Random, day: dt.date) -> str:
    fm = [f"date: {day.isoformat()}", f"sleep: {rng.randint(60, 90)}"]
    body = [f"# {day:%A %d %B %Y}", "", paragraph(rng, [])]
    if rng.random() < 0.6:
        body += ["", f"writing_hours:: {rng.choice([0.5, 1, 1.5, 2])}"]
    if rng.random() < 0.1:
        body += ["", "- asked to write a guest post #guest-post-request"]
    return "---\n" + "\n".join(fm) + "\n---\n" + "\n".join(body) + "\n"


def write_dailies(out: Path, count: int, text: Callable[[dt.date], str]) -> None:
    """``count`` daily notes in Daily/YEAR/, the last ones 60 days after START."""
    (out / "Daily").mkdir()
    for d in range(count):
        day = START - dt.timedelta(days=count - 60) + dt.timedelta(days=d)
        folder = out / "Daily" / str(day.year)
        folder.mkdir(exist_ok=True)
        (folder / f"{day}.md").write_text(text(day))


def fresh(out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / ".obsidian").mkdir()
    (out / ".obsidian" / "app.json").write_text('{"userIgnoreFilters": []}\n')


def generate(out: Path, notes: int, seed: int = 1, shape: str = "personal") -> Path:
    if shape == "shared":
        return generate_shared(out, notes, seed)
    rng = random.Random(seed)
    fresh(out)
    # a person's OKR notes do not grow with the vault: about 40 objectives (ten
    # quarters of four), weekly check-ins for years; daily notes are 1 in 20
    objectives = max(2, min(notes // 250, 40))
    krs_per = 4
    checkins = max(4, min(notes // 25, 400))
    dailies = max(10, notes // 20)
    ordinary_count = max(0, notes - objectives * (1 + krs_per) - checkins - dailies)
    kr_names: list[str] = []
    written = 0
    quarters = [(2026 - q // 4, 4 - q % 4) for q in range(10)]  # 2026-Q4 back to 2024-Q3
    for o in range(objectives):
        name = f"Objective {o}"
        year, quarter = quarters[(o // 4) % len(quarters)]
        (out / "OKRs").mkdir(exist_ok=True)
        (out / "OKRs" / f"{name}.md").write_text(
            f"---\ntype: objective\nperiod: {year}-Q{quarter}\nweight: {1 + o % 3}\n---\n"
            f"# {name}\n\n" + paragraph(rng, []) + "\n")
        for k in range(krs_per):
            kr = f"KR {o}-{k}"
            kr_names.append(kr)
            kind = (o + k) % 4
            props = {
                0: "baseline: 10\ntarget: 50",
                1: "measure: sum\ntarget: 20\nfield: writing_hours",
                2: "measure: count\ntag: guest-post-request\ntarget: 30",
                3: "keep: above\ntarget: 70\nfield: sleep",
            }[kind]
            log = ""
            quarter_start = dt.date(year, 3 * quarter - 2, 1)
            if kind == 0:
                log = "\n## Log\n" + "".join(
                    f"- {quarter_start + dt.timedelta(days=7 * w)}: {10 + 3 * w} (confidence 6)\n"
                    for w in range(1, 8))
            (out / "OKRs" / f"{kr}.md").write_text(
                f"---\ntype: key-result\nobjective: \"[[{name}]]\"\n{props}\n---\n{log}")
        written += 1 + krs_per
    (out / "Check-ins").mkdir()
    per_quarter = max(1, checkins // len(quarters))
    for c in range(checkins):
        q = min(c // per_quarter, min(len(quarters), max(1, objectives // 4)) - 1)
        year, quarter = quarters[q]
        day = dt.date(year, 3 * quarter - 2, 1) + dt.timedelta(days=(c * 7) % 84)
        if day > dt.date(2026, 11, 20):
            day = dt.date(2026, 11, 20) - dt.timedelta(days=c % 50)
        quarter_krs = [f"KR {o}-0" for o in range(objectives) if (o // 4) % len(quarters) == q]
        targets = rng.sample(quarter_krs, min(3, len(quarter_krs)))
        values = "".join(f"  \"[[{t}]]\": {{value: {rng.randint(10, 50)}, confidence: 6}}\n"
                         for t in targets)
        (out / "Check-ins" / f"{day} check-in {c}.md").write_text(
            f"---\ntype: check-in\ndate: {day}\nvalues:\n{values}---\n{sentence(rng)}\n")
    written += checkins
    write_dailies(out, dailies, lambda day: daily(rng, day))
    written += dailies
    links = [f"Note {i}" for i in range(0, max(ordinary_count, 1), 7)]
    for i in range(ordinary_count):
        folder = out / "Notes" / f"Area {i % 40}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"Note {i}.md").write_text(ordinary(rng, i, links))
    return out


def long_note(rng: random.Random, i: int, links: list[str]) -> str:
    """An ordinary note of 20 to 60 paragraphs: headings, lists, a table, tags."""
    fm = [f"created: 2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
          f"tags: [{', '.join(rng.sample(TAGS, rng.randint(1, 3)))}]",
          f"status: {rng.choice(['draft', 'done', 'someday'])}"]
    body = [f"# Long note {i}", ""]
    for p in range(rng.randint(20, 60)):
        if p % 8 == 0:
            body += [f"## {sentence(rng)[:-1]}", ""]
        body += [paragraph(rng, links), ""]
        if rng.random() < 0.15:
            body += [f"- [ ] {sentence(rng)} #{rng.choice(TAGS)}" for _ in range(3)] + [""]
        if rng.random() < 0.05:
            body += ["| Item | Count |", "|---|---|"]
            body += [f"| {rng.choice(WORDS)} | {rng.randint(1, 9)} |" for _ in range(4)] + [""]
        if rng.random() < 0.05:
            body += [f"{rng.choice(['mood', 'energy', 'reviewed'])}:: {rng.randint(1, 5)}", ""]
    return "---\n" + "\n".join(fm) + "\n---\n" + "\n".join(body)


def shared_daily(rng: random.Random, day: dt.date) -> str:
    fm = [f"date: {day.isoformat()}", f"tags: [daily, {rng.choice(TAGS)}]"]
    body = [f"# {day:%A %d %B %Y}", ""]
    for _ in range(rng.randint(3, 10)):
        body += [paragraph(rng, []), ""]
    body += [f"focus:: {rng.choice([0.5, 1, 1.5, 2, 3, 4])}", ""]
    return "---\n" + "\n".join(fm) + "\n---\n" + "\n".join(body)


SHARED_KRS = [  # the four key results of every objective that read the `focus` field
    "field: focus\nmeasure: sum\ntarget: 120",
    "field: focus\nkeep: above\ntarget: 1",
    "field: focus\nbaseline: 1\ntarget: 4",
    "field: focus\nmeasure: sum\nbaseline: 100\nchange: \"+20%\"",
]


def generate_shared(out: Path, notes: int, seed: int = 1) -> Path:
    rng = random.Random(seed)
    fresh(out)
    objectives = max(2, min(notes // 40, 250))
    checkins = max(4, min(notes // 5, 2000))
    dailies = max(10, notes // 20)
    quarters = [(2026 - q // 4, 4 - q % 4) for q in range(6)]  # 2026-Q4 back to 2025-Q3
    (out / "OKRs").mkdir()
    for o in range(objectives):
        name = f"Objective {o}"
        year, quarter = quarters[o % len(quarters)]
        start = dt.date(year, 3 * quarter - 2, 1)
        text = "\n\n".join(paragraph(rng, []) for _ in range(rng.randint(2, 6)))
        (out / "OKRs" / f"{name}.md").write_text(
            f"---\ntype: objective\nperiod: {year}-Q{quarter}\nweight: {1 + o % 3}\n---\n"
            f"# {name}\n\n{text}\n")
        for k, props in enumerate(SHARED_KRS):
            (out / "OKRs" / f"KR {o}-{k}.md").write_text(
                f"---\ntype: key-result\nobjective: \"[[{name}]]\"\n{props}\n---\n"
                f"{paragraph(rng, [])}\n")
        log = "".join(f"- {start + dt.timedelta(days=7 * w)}: {10 + 2 * w} (confidence 6) "
                      f"{sentence(rng)}\n" for w in range(1, 13))
        (out / "OKRs" / f"KR {o}-{len(SHARED_KRS)}.md").write_text(
            f"---\ntype: key-result\nobjective: \"[[{name}]]\"\nbaseline: 10\ntarget: 50\n"
            f"---\n{paragraph(rng, [])}\n\n## Log\n{log}")
    (out / "Check-ins").mkdir()
    last = dt.date(2026, 11, 20)
    for c in range(checkins):
        day = last - dt.timedelta(days=c % 500)
        q = next(i for i, (y, n) in enumerate(quarters) if dt.date(y, 3 * n - 2, 1) <= day)
        krs = [f"KR {o}-{len(SHARED_KRS)}" for o in range(q, objectives, len(quarters))]
        targets = rng.sample(krs, min(4, len(krs)))
        values = "".join(f"  \"[[{t}]]\": {{value: {rng.randint(10, 50)}, confidence: 6}}\n"
                         for t in targets)
        (out / "Check-ins" / f"{day} check-in {c}.md").write_text(
            f"---\ntype: check-in\ndate: {day}\nvalues:\n{values}---\n{sentence(rng)}\n")
    write_dailies(out, dailies, lambda day: shared_daily(rng, day))
    ordinary_count = max(0, notes - objectives * (1 + len(SHARED_KRS) + 1) - checkins - dailies)
    links = [f"Note {i}" for i in range(0, max(ordinary_count, 1), 7)]
    for i in range(ordinary_count):
        folder = out / "Notes" / f"Area {i % 40}"
        folder.mkdir(parents=True, exist_ok=True)
        text = long_note(rng, i, links) if i % 5 == 0 else ordinary(rng, i, links)
        (folder / f"Note {i}.md").write_text(text)
    return out


MARK = ".complete-v3"  # bump when a generator changes what it writes


def ensure(vaults: Path, size: int, shape: str = "personal") -> Path:
    """The generated vault of this size and shape under ``vaults``, written if missing."""
    vault = vaults / (f"vault-{size}" if shape == "personal" else f"{shape}-{size}")
    if not (vault / MARK).exists():
        generate(vault, size, shape=shape)
        (vault / MARK).write_text("")
    return vault


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--shape", choices=["personal", "shared"], default="personal",
                        help="personal: one person's OKRs in a big vault; shared: many "
                             "objectives reading one daily-note field, long notes")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.notes, args.seed, args.shape)
    print(f"wrote {args.notes} {args.shape} notes to {args.out}")


if __name__ == "__main__":
    main()
