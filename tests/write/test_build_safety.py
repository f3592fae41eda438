"""vaultokr build never damages a note: byte-exact tests of everything it
writes and everything it must leave alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.cli import invoke
from support.vaults import AS_OF, Vault, kr, objective, write

from vaultokr.run.oneshot import build
from vaultokr.write.outputs import KEPT, REFUSED
from vaultokr.write.writer import Outcome

KR = kr(baseline=0, target=10, log=["2026-11-02: 4", "2026-11-16: 5"])


def outcomes(result) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {o.path: str(o.outcome) for o in result.outputs}


def region_note(before: str, after: str, newline: str = "\n") -> str:
    text = (f"---{newline}type: objective{newline}period: 2026-Q4{newline}---{newline}"
            f"{before}<!-- vaultokr:begin objective -->{newline}<!-- vaultokr:end -->"
            f"{newline}{after}")
    return text


def around(data: bytes) -> tuple[bytes, bytes]:
    """The bytes before the begin marker's line end and after the end marker."""
    start = data.index(b"<!-- vaultokr:begin")
    end = data.index(b"-->", data.index(b"<!-- vaultokr:end")) + 3
    return data[:start], data[end:]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("LF.md", region_note("# Title\n\nmy words\n\n", "\nmore words\n").encode()),
        ("CRLF.md", region_note("# T\r\n\r\nwords\r\n", "tail\r\n", "\r\n").encode()),
        ("BOM.md", b"\xef\xbb\xbf" + region_note("", "end without newline").encode()),
        ("Zürich Ziele 日本.md", region_note("Ünïcödé ✓\n", "").encode()),
        ("Tabs and spaces.md", region_note("\t indented \t\n  \n", "   \n\t").encode()),
    ],
)
def test_bytes_around_a_region_never_change(vault: Vault, name: str, content: bytes) -> None:
    root = vault({name: content, "K.md": KR.replace("[[O]]", f"[[{name[:-3]}]]")})
    result = build(root, AS_OF)
    assert outcomes(result)[name] == "written"
    data = (root / name).read_bytes()
    assert around(data) == around(content)
    inside = data[len(around(content)[0]):]
    if b"\r\n" in content:
        assert inside.count(b"\n") == inside.count(b"\r\n")  # CRLF inside too
    assert build(root, AS_OF).outputs[0].outcome == Outcome.UNCHANGED


def test_markers_in_code_fences_are_left_alone(vault: Vault) -> None:
    text = objective("```\n<!-- vaultokr:begin objective -->\n<!-- vaultokr:end -->\n```\n"
                     "~~~\n<!-- vaultokr:begin objective -->\n~~~\n")
    root = vault({"O.md": text})
    result = build(root, AS_OF)
    assert "O.md" not in outcomes(result)
    assert (root / "O.md").read_text() == text


def test_bad_markers_leave_the_note_untouched(vault: Vault) -> None:
    nested = region_note("", "").replace("<!-- vaultokr:end -->",
                                         "<!-- vaultokr:begin kr -->\n<!-- vaultokr:end -->")
    unknown = region_note("", "").replace("begin objective", "begin chart")
    root = vault({"O.md": nested, "P.md": unknown,
                  "Q.md": objective("<!-- vaultokr:begin kr -->\n")})
    result = build(root, AS_OF)
    assert {(p.path, p.code) for p in result.problems} >= {
        ("O.md", "region-nested"), ("P.md", "region-unknown"), ("Q.md", "region-unbalanced")}
    for name, text in (("O.md", nested), ("P.md", unknown)):
        assert (root / name).read_text() == text


def test_hand_edits_in_a_region_are_kept_until_force(vault: Vault) -> None:
    root = vault({"O.md": region_note("mine\n", "mine too\n"), "K.md": KR})
    build(root, AS_OF)
    edited = (root / "O.md").read_text().replace("| Key result |", "| My own words |")
    (root / "O.md").write_text(edited)
    result = build(root, AS_OF)
    assert outcomes(result)["O.md"] == KEPT
    assert [(p.code, p.line) for p in result.problems] == [("region-edited", 6)]
    assert (root / "O.md").read_text() == edited
    assert outcomes(build(root, AS_OF, force=True))["O.md"] == "written"
    assert "My own words" not in (root / "O.md").read_text()


def test_hand_edited_review_is_kept_and_reported(vault: Vault) -> None:
    root = vault({"O.md": objective(), "K.md": KR})
    build(root, AS_OF)
    dashboard = root / "OKRs" / "Dashboard.md"
    edited = dashboard.read_bytes().replace(b"# OKR dashboard", b"# My dashboard")
    dashboard.write_bytes(edited)
    result = build(root, AS_OF)
    assert outcomes(result)["OKRs/Dashboard.md"] == KEPT
    assert dashboard.read_bytes() == edited
    assert any(p.code == "output-edited" for p in result.problems)
    assert outcomes(build(root, AS_OF, force=True))["OKRs/Dashboard.md"] == "written"


def test_a_users_file_at_an_output_path_is_never_overwritten(vault: Vault) -> None:
    mine = b"# My own dashboard\n\nI wrote this.\n"
    root = vault({"O.md": objective(), "K.md": KR, "OKRs/Dashboard.md": mine})
    for force in (False, True):
        result = build(root, AS_OF, force=force)
        assert outcomes(result)["OKRs/Dashboard.md"] == REFUSED
        assert (root / "OKRs" / "Dashboard.md").read_bytes() == mine
    assert [p.format() for p in result.problems if p.code == "output-not-generated"] == [
        "OKRs/Dashboard.md:1: error: OKRs/Dashboard.md was not written by vaultokr and is left "
        "alone: move it away, or set outputs.dashboard in vaultokr.toml to another path "
        "[output-not-generated]"]


def test_outputs_outside_the_vault_are_refused(vault: Vault, tmp_path: Path) -> None:
    root = vault({
        "O.md": objective(),
        "vaultokr.toml": """
            [outputs]
            dashboard = "../Dashboard.md"
            """,
    })
    result = build(root, AS_OF)
    assert outcomes(result)["../Dashboard.md"] == REFUSED
    assert not (tmp_path / "Dashboard.md").exists()


def test_line_endings_and_bom_of_a_generated_note_are_kept(vault: Vault) -> None:
    root = vault({"O.md": objective(), "K.md": KR})
    build(root, AS_OF)
    dashboard = root / "OKRs" / "Dashboard.md"
    converted = b"\xef\xbb\xbf" + dashboard.read_bytes().replace(b"\n", b"\r\n")
    dashboard.write_bytes(converted)  # as git's autocrlf or another editor might
    assert outcomes(build(root, AS_OF))["OKRs/Dashboard.md"] == "unchanged"
    (root / "K.md").write_text(KR + "- 2026-11-18: 6\n")
    assert outcomes(build(root, AS_OF))["OKRs/Dashboard.md"] == "written"
    data = dashboard.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf---\r\n") and b"\n" not in data.replace(b"\r\n", b"")


def test_an_empty_vault_reads_well(vault: Vault, tmp_path: Path) -> None:
    root = vault({"O.md": objective()})
    build(root, AS_OF)
    text = (root / "OKRs" / "Dashboard.md").read_text()
    assert "> **No objectives yet**" not in text  # it has one objective
    assert "> **No check-ins yet**" in text
    empty = write(tmp_path / "empty", {"Notes/idea.md": "just an idea\n"})
    build(empty, AS_OF)
    assert "> **No objectives yet**" in (empty / "OKRs" / "Dashboard.md").read_text()


def test_outputs_can_be_moved_and_turned_off(vault: Vault) -> None:
    root = vault({
        "O.md": objective(), "K.md": KR,
        "vaultokr.toml": """
            [outputs]
            dashboard = "Reviews/Home.md"
            period = false
            week = "Reviews/Weeks/{week}.md"
            regions = false
            """,
    })
    paths = set(outcomes(build(root, AS_OF)))
    assert paths == {"Reviews/Home.md", "Reviews/Weeks/2026-W45.md", "Reviews/Weeks/2026-W47.md"}


def test_template_override_and_a_broken_template(vault: Vault) -> None:
    root = vault({"O.md": objective(), "K.md": KR})
    build(root, AS_OF)
    before = (root / "OKRs" / "Dashboard.md").read_bytes()
    write(root, {".vaultokr/templates/dashboard.md.j2": """
        # Mine

        {{ objectives | length }}
        """})
    build(root, AS_OF)
    assert (root / "OKRs" / "Dashboard.md").read_text().endswith("# Mine\n\n1\n")
    write(root, {".vaultokr/templates/dashboard.md.j2": """
        # Mine

        {{ nope.x }}
        """})
    kept = (root / "OKRs" / "Dashboard.md").read_bytes()
    result = build(root, AS_OF)
    assert [(p.path, p.line, p.code) for p in result.problems] == [
        (".vaultokr/templates/dashboard.md.j2", 3, "template-error")]
    assert (root / "OKRs" / "Dashboard.md").read_bytes() == kept
    write(root, {".vaultokr/templates/dashboard.md.j2": """
        # Mine
        {% if %}
        """})
    result = build(root, AS_OF)
    assert [(p.path, p.line) for p in result.problems] == [
        (".vaultokr/templates/dashboard.md.j2", 2)]
    assert before != kept


def test_cli_build_check_dry_run_diff_and_exit_codes(vault: Vault) -> None:
    root = vault({"O.md": objective(), "K.md": KR})
    args = ["build", str(root), "--as-of", "2026-11-20"]
    res = invoke(*args, "--check")
    assert res.code == 1
    assert "would create" in res.stdout and not (root / "OKRs").exists()
    res = invoke(*args, "--dry-run", "--diff")
    assert res.code == 0 and "+# OKR dashboard" in res.stdout
    assert not (root / "OKRs").exists()
    res = invoke(*args)
    assert res.code == 0
    assert res.stdout.splitlines()[-1] == "vaultokr build: 4 written, 0 unchanged"
    res = invoke(*args, "--check")
    assert (res.code, res.stdout) == (0, "vaultokr build: 0 would be written, 4 unchanged\n")
    (root / "OKRs" / "Dashboard.md").write_text("mine\n")
    res = invoke(*args)
    assert res.code == 1
    assert "[output-not-generated]" in res.stdout


def test_a_note_edited_while_building_is_left_for_the_next_run(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vaultokr.run import build as build_module

    root = vault({"O.md": region_note("", "\n"), "K.md": KR})
    real = build_module.replace_file

    def user_types_first(path: Path, data: bytes, expected: bytes | None,
                         root: Path | None = None) -> Outcome:
        if path.name == "O.md":
            path.write_text(path.read_text() + "typed in Obsidian meanwhile\n")
        return real(path, data, expected, root=root)

    monkeypatch.setattr(build_module, "replace_file", user_types_first)
    result = build(root, AS_OF)
    assert outcomes(result)["O.md"] == "conflict"
    assert (root / "O.md").read_text() == region_note("", "\n") + "typed in Obsidian meanwhile\n"
    assert any(p.code == "write-conflict" for p in result.problems)
    monkeypatch.undo()
    assert outcomes(build(root, AS_OF))["O.md"] == "written"
    assert (root / "O.md").read_text().endswith("typed in Obsidian meanwhile\n")


def test_build_waits_for_the_vault_lock(vault: Vault) -> None:
    import threading
    import time

    from vaultokr.core.errors import VaultokrError
    from vaultokr.write.lock import vault_lock

    root = vault({"O.md": objective(), "K.md": KR})
    released = threading.Event()

    def hold() -> None:
        with vault_lock(root):
            time.sleep(0.3)
        released.set()

    holder = threading.Thread(target=hold)
    holder.start()
    time.sleep(0.05)
    build(root, AS_OF)  # waits for the holder, then writes
    assert released.is_set()
    holder.join()
    assert "lock" in (root / ".vaultokr" / ".gitignore").read_text().split("\n")
    with vault_lock(root), pytest.raises(VaultokrError, match="locked by another"), \
            vault_lock(root, timeout=0.1):
        pass


def test_a_busy_vault_exits_4(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    from vaultokr.write import lock
    from vaultokr.write.lock import vault_lock

    root = vault({"O.md": objective(), "K.md": KR})
    monkeypatch.setattr(lock, "WAIT", 0.1)
    with vault_lock(root):
        res = invoke("build", str(root), "--as-of", "2026-11-20")
    assert res.code == 4
    assert res.stderr == (f"{root / '.vaultokr' / 'lock'}: error: the vault is locked by "
                          "another vaultokr (a build or watch is writing)\n"
                          "  hint: wait for it to finish, or stop the other vaultokr\n")
    assert not (root / "OKRs").exists()
