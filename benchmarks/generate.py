"""A deterministic synthetic vault for benchmarks.

    python benchmarks/generate.py OUT --notes 10000 [--seed 1]

Most notes are ordinary prose notes with ordinary front-matter (tags, dates,
aliases, a Dataview-style ``type: book`` now and then), as in a real
Obsidian vault; 1 in 20 are daily notes with a field and tags; up to 40
objectives with 4 key results each (every measure and source) and up to 400
check-ins, as one person writes over a few years.
The same arguments always write the same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
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


def generate(out: Path, notes: int, seed: int = 1) -> Path:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / ".obsidian").mkdir()
    (out / ".obsidian" / "app.json").write_text('{"userIgnoreFilters": []}\n')
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
    (out / "Daily").mkdir()
    for d in range(dailies):
        day = START - dt.timedelta(days=dailies - 60) + dt.timedelta(days=d)
        folder = out / "Daily" / str(day.year)
        folder.mkdir(exist_ok=True)
        (folder / f"{day}.md").write_text(daily(rng, day))
    written += dailies
    links = [f"Note {i}" for i in range(0, max(ordinary_count, 1), 7)]
    for i in range(ordinary_count):
        folder = out / "Notes" / f"Area {i % 40}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"Note {i}.md").write_text(ordinary(rng, i, links))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.notes, args.seed)
    print(f"wrote {args.notes} notes to {args.out}")


if __name__ == "__main__":
    main()
