from __future__ import annotations

from pathlib import Path

import pytest

from pohang_watch.config import (
    ENV_APPRISE_URLS,
    ENV_DB_URL,
    Settings,
    load_settings,
    split_apprise_urls,
)
from pohang_watch.errors import ConfigError


def test_shipped_config_matches_embedded_defaults(repo_root: Path) -> None:
    """The commented file in config/ documents the defaults; it must not drift from them."""
    shipped = load_settings(repo_root / "config" / "pohang-watch.toml")
    defaults = Settings()
    assert shipped.model_dump(exclude={"extract"}) == defaults.model_dump(exclude={"extract"})
    assert shipped.extract.pohang_bodies == defaults.extract.pohang_bodies
    assert "POEX" in shipped.extract.aliases


def test_unknown_key_names_file_and_key(tmp_path: Path) -> None:
    config = tmp_path / "pohang-watch.toml"
    config.write_text("[relevance]\nthreshhold = 0.4\n", encoding="utf-8")
    with pytest.raises(
        ConfigError, match=r"pohang-watch\.toml: relevance\.threshhold: unknown key"
    ):
        load_settings(config)


def test_invalid_value_names_file_and_key(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("[pipeline]\nbatch_size = 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.toml: pipeline\.batch_size"):
        load_settings(config)


def test_broken_toml_names_file(tmp_path: Path) -> None:
    config = tmp_path / "broken.toml"
    config.write_text("[database\nurl=", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"broken\.toml: cannot read config"):
        load_settings(config)


def test_missing_explicit_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "absent.toml")


def test_environment_overrides_database_and_targets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[database]\nurl = "sqlite:///x.db"\n[notify]\nurls = ["json://a"]\n')
    monkeypatch.setenv(ENV_DB_URL, "postgresql+psycopg://u@127.0.0.1/pw")
    monkeypatch.setenv(ENV_APPRISE_URLS, "slack://T/B/C, mailto://u:p@127.0.0.1  json://h")
    settings = load_settings(config)
    assert settings.database.url == "postgresql+psycopg://u@127.0.0.1/pw"
    assert settings.notify.urls == ("slack://T/B/C", "mailto://u:p@127.0.0.1", "json://h")


def test_cwd_config_folder_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "pohang-watch.toml").write_text("[relevance]\nthreshold = 0.7\n")
    monkeypatch.chdir(tmp_path)
    assert load_settings().relevance.threshold == 0.7


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("json://a/x json://b/y", ("json://a/x", "json://b/y")),
        ("json://a/x,json://b/y", ("json://a/x", "json://b/y")),
        (
            "commitment,ops=json://a/x, digest=json://b/y",
            ("commitment,ops=json://a/x", "digest=json://b/y"),
        ),
        ("mailtos://u:p@h?to=a@x.org,b@y.org", ("mailtos://u:p@h?to=a@x.org,b@y.org",)),
        (" ,json://a/x, ", ("json://a/x",)),
    ],
)
def test_apprise_url_lists_keep_tags_and_url_parameters(
    value: str, expected: tuple[str, ...]
) -> None:
    assert split_apprise_urls(value) == expected
