"""vaultokr.toml: the declared settings give Config's defaults, init's file
and the checks, whose messages say exactly what to write."""

from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib
from pathlib import Path

from support.vaults import Vault

from vaultokr.commands.init import init
from vaultokr.config.settings import SETTINGS, toml_template
from vaultokr.config.vault_config import Config, load_config
from vaultokr.core.errors import Problems

SETTINGS_ARE = ("the settings are: activity_verbs, created_key, date_properties, exclude, "
                "index, links, log_heading, max_active_objectives, max_key_results, "
                "properties, properties_prefix, stale_days, status.at_risk, status.on_track, "
                "type_key, warn_activities, "
                "warn_v1_flows [config-unknown-key]")


def problems_of(root: Path) -> tuple[list[str], Config]:
    problems = Problems()
    config = load_config(root, problems)
    return [p.format() for p in problems.sorted()], config


def test_config_fields_are_the_declared_settings() -> None:
    from_obsidian = {"templates_folder", "ignore_filters", "daily"}
    fields = {f.name for f in dataclasses.fields(Config)} - from_obsidian
    assert fields == {s.field for s in SETTINGS}
    config = Config()
    for setting in SETTINGS:
        assert getattr(config, setting.field) == setting.default, setting.name
    config.exclude.append("x")
    assert Config().exclude == []  # each Config has its own list


def test_init_writes_every_default(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    init(root, dt.date(2026, 11, 20))
    text = (root / "vaultokr.toml").read_text()
    assert text == toml_template()
    data = tomllib.loads(text)
    for setting in SETTINGS:
        section = data[setting.section] if setting.section else data
        # SPEC v2: a new vault's flows are written the v2 way, so init turns the v1
        # migration warning off (the one setting init writes differently, with a comment)
        wanted = setting.default if setting.init is None else setting.init
        if wanted is None:  # unset by default (properties): a commented line shows it
            assert setting.key not in section, setting.name
            assert f"\n# {setting.key} = true\n" in text, setting.name
            continue
        assert section[setting.key] == wanted, setting.name
    assert [s.name for s in SETTINGS if s.init is not None] == ["warn_v1_flows"]
    assert problems_of(root) == ([], Config(warn_v1_flows=False))


def test_top_level_settings_of_the_wrong_type(vault: Vault) -> None:
    root = vault({"vaultokr.toml": ('stale_day = 3\nstale_days = "x"\nexclude = [1]\n'
                                    "type_key = true\nmax_key_results = -1\noutputs = 3\n")})
    found, config = problems_of(root)
    assert found == [
        f"vaultokr.toml:1: warning: unknown setting 'stale_day' is ignored; {SETTINGS_ARE}",
        "vaultokr.toml:2: error: setting 'stale_days' has the wrong type: write e.g. "
        "stale_days = 14 [config-invalid]",
        "vaultokr.toml:3: error: setting 'exclude' has the wrong type: write e.g. "
        'exclude = ["Archive/**"] [config-invalid]',
        "vaultokr.toml:4: error: setting 'type_key' has the wrong type: write e.g. "
        'type_key = "type" [config-invalid]',
        "vaultokr.toml:5: error: setting 'max_key_results' has the wrong type: write e.g. "
        "max_key_results = 14 [config-invalid]",
        f"vaultokr.toml:6: warning: unknown setting 'outputs' is ignored; {SETTINGS_ARE}",
    ]
    assert config == Config()


def test_link_style_is_markdown_or_wiki(vault: Vault) -> None:
    found, config = problems_of(vault({"vaultokr.toml": 'links = "html"\n'}))
    assert found == ['vaultokr.toml:1: error: links is "markdown" or "wiki": write '
                     'links = "markdown" [config-invalid]']
    assert config.links == "markdown"
    found, config = problems_of(vault({"vaultokr.toml": 'links = "wiki"\n'}))
    assert found == [] and config.links == "wiki"


def test_status_thresholds(vault: Vault) -> None:
    root = vault({"vaultokr.toml": '[status]\non_track = "a"\nat_risk = 0.5\nfoo = 1\n'})
    found, config = problems_of(root)
    assert found == [
        "vaultokr.toml:2: error: setting 'status.on_track' has the wrong type: write e.g. "
        "on_track = -0.15 [config-invalid]",
        "vaultokr.toml:2: error: status thresholds must satisfy at_risk <= on_track <= 0, "
        "e.g. on_track = -0.15 and at_risk = -0.30; the defaults are used [config-invalid]",
        f"vaultokr.toml:4: warning: unknown setting 'status.foo' is ignored; {SETTINGS_ARE}",
    ]
    assert (config.on_track, config.at_risk) == (-0.15, -0.30)
    root = vault({"vaultokr.toml": "[status]\non_track = 0\nat_risk = -1\n"})
    found, config = problems_of(root)
    assert found == []
    assert (config.on_track, config.at_risk) == (0.0, -1.0)
    assert isinstance(config.on_track, float)


def test_outputs(vault: Vault) -> None:
    root = vault({"vaultokr.toml": ('[outputs]\ndashboard = "x.txt"\nperiod = "P.md"\n'
                                    'week = 3\nregions = "yes"\nchart = "c.md"\n')})
    found, config = problems_of(root)
    assert found == [
        "vaultokr.toml:2: error: outputs.dashboard must be a .md path, or false: write "
        'dashboard = "OKRs/Dashboard.md" [config-invalid]',
        "vaultokr.toml:3: error: outputs.period must be a .md path with {period}, or false: "
        'write period = "OKRs/Reviews/{period}.md" [config-invalid]',
        "vaultokr.toml:4: error: outputs.week must be a .md path with {week}, or false: "
        'write week = "OKRs/Reviews/{week}.md" [config-invalid]',
        "vaultokr.toml:5: error: outputs.regions is true or false [config-invalid]",
        "vaultokr.toml:6: warning: unknown output 'chart' is ignored; the outputs are "
        "dashboard, period, week, base, retrospective and regions [config-unknown-key]",
    ]
    assert config == Config()
    root = vault({"vaultokr.toml": ('[outputs]\ndashboard = " Home.md "\nperiod = false\n'
                                    'week = "W/{week}.md"\nregions = false\n')})
    found, config = problems_of(root)
    assert found == []
    assert (config.dashboard, config.period, config.week, config.regions) == (
        "Home.md", None, "W/{week}.md", False)


def test_templates_folder(vault: Vault) -> None:
    takes = '[templates] takes folder = ".vaultokr/templates" [config-invalid]'
    for text, expected in [
        ('[templates]\nfolder = "  "\n', [f"vaultokr.toml:2: error: {takes}"]),
        ("[templates]\nfoo = 1\n", [f"vaultokr.toml:1: error: {takes}"]),
        ("[templates]\n", []),
    ]:
        found, config = problems_of(vault({"vaultokr.toml": text}))
        assert found == expected, text
        assert config.templates_dir == ".vaultokr/templates"
    found, config = problems_of(vault({"vaultokr.toml": '[templates]\nfolder = " T/ "\n'
                                                        "foo = 1\n"}))
    assert (found, config.templates_dir) == ([], "T/")
