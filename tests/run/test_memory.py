"""What a watcher keeps between rebuilds stays bounded (the soak in
benchmarks/bench_watch.py measures the RSS; here, the structures)."""

from __future__ import annotations

from support.vaults import AS_OF, Vault, checkin, kr, objective

from vaultokr.run.kept import KeptPipeline


def test_parsing_yaml_keeps_no_node() -> None:
    from vaultokr.read import yaml_values as yamlnotes

    meta, _ = yamlnotes.load_yaml("a: 2026-11-02\nb: [1.5, true, ~]\n", 2)
    assert meta == {"a": __import__("datetime").date(2026, 11, 2), "b": [1.5, True, None]}
    assert yamlnotes._scalar_ctor.constructed_objects == {}


def test_a_kept_pipeline_reads_every_note_again_when_a_reading_setting_changes(
        vault: Vault) -> None:
    root = vault({"O.md": objective().replace("type:", "kind:"),
                  "K.md": kr(target=10).replace("type:", "kind:")})
    pipeline = KeptPipeline.open(root)
    assert "K" not in pipeline.analyse(AS_OF).model.key_results
    (root / "vaultokr.toml").write_text('type_key = "kind"\n')
    assert pipeline.load_settings()
    pipeline.read()
    assert "K" in pipeline.analyse(AS_OF).model.key_results



def test_a_kept_pipeline_carries_one_builds_data_over_many_saves(vault: Vault) -> None:
    """What a build hands to the next (buildmemo.Carry) does not grow with the saves."""
    files = {"O.md": objective(period="2026-Q4"),
             "O2.md": objective(title="Other", period="2026-Q4"),
             "K.md": kr(measure="sum", target=1000), "K2.md": kr(objective="[[O2]]")}
    root = vault(files)
    pipeline = KeptPipeline.open(root)
    sizes = []
    for value in range(1, 31):
        (root / "C.md").write_text(checkin(date="2026-11-02", kr="[[K]]", value=value))
        pipeline.refresh(["C.md"])
        pipeline.build(pipeline.analyse(AS_OF))
        carry = pipeline.carry
        assert carry is not None
        sizes.append((len(carry.views), len(carry.dates),
                      sum(len(known) for known in carry.dates.values())))
    assert sizes[-1] == sizes[5]
    assert 0 < sizes[-1][0] <= 2 * 4  # each result's data, with detail and without
