"""What a watcher keeps between rebuilds stays bounded (the soak in
benchmarks/bench_watch.py measures the RSS; here, the structures)."""

from __future__ import annotations

from tests.conftest import AS_OF, Vault, checkin, kr, objective
from vaultokr.pipeline import Pipeline


def test_a_kept_pipeline_holds_at_most_two_builds_of_rendered_text(vault: Vault) -> None:
    root = vault({"O.md": objective(), "K.md": kr(measure="sum", target=1000)})
    pipeline = Pipeline.open(root, kept=True)
    sizes = []
    for value in range(1, 31):  # every save changes what every output says
        (root / "C.md").write_text(checkin(date="2026-11-02", kr="[[K]]", value=value))
        pipeline.refresh(["C.md"])
        result = pipeline.build(pipeline.analyse(AS_OF))
        renderer = pipeline.renderer
        assert renderer is not None
        sizes.append(len(renderer.memo) + len(renderer.previous))
        rendered = sum(1 for o in result.outputs if o.path.endswith(".md"))
    assert max(sizes) <= 2 * rendered
    assert sizes[-1] == sizes[10]  # flat, not growing with the saves


def test_parsing_yaml_keeps_no_node() -> None:
    from vaultokr import yamlnotes

    meta, _ = yamlnotes.load_yaml("a: 2026-11-02\nb: [1.5, true, ~]\n", 2)
    assert meta == {"a": __import__("datetime").date(2026, 11, 2), "b": [1.5, True, None]}
    assert yamlnotes._scalar_ctor.constructed_objects == {}


def test_a_kept_pipeline_reads_every_note_again_when_a_reading_setting_changes(
        vault: Vault) -> None:
    root = vault({"O.md": objective().replace("type:", "kind:"),
                  "K.md": kr(target=10).replace("type:", "kind:")})
    pipeline = Pipeline.open(root, kept=True)
    assert "K" not in pipeline.analyse(AS_OF).model.key_results
    (root / "vaultokr.toml").write_text('type_key = "kind"\n')
    assert pipeline.load_settings()
    pipeline.read()
    assert "K" in pipeline.analyse(AS_OF).model.key_results


def test_a_kept_renderer_renders_again_what_differs_only_in_type_or_order(tmp_path) -> None:
    """The memo's key tells apart what a template tells apart: a date from its
    ISO text (a template can ask for ``.year``) and one mapping from the same
    items in another order (a template iterates it)."""
    import datetime as dt

    from vaultokr.render import make_renderer

    folder = tmp_path / ".vaultokr" / "templates"
    folder.mkdir(parents=True)
    (folder / "t.md.j2").write_text(
        "{{ day is string }}{% for k in rows %} {{ k }}{% endfor %}\n")
    renderer = make_renderer(tmp_path, ".vaultokr/templates", memoize=True)
    assert renderer.render("t.md.j2", {"day": dt.date(2026, 11, 2), "rows": {"a": 1, "b": 2}}) \
        == "False a b"
    assert renderer.render("t.md.j2", {"day": "2026-11-02", "rows": {"a": 1, "b": 2}}) \
        == "True a b"
    assert renderer.render("t.md.j2", {"day": "2026-11-02", "rows": {"b": 2, "a": 1}}) \
        == "True b a"
    assert len(renderer.memo) == 3
