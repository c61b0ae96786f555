"""The CLI contract of DESIGN §5, exercised in-process on real files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pohang_watch.cli import build_parser, main
from pohang_watch.config import Settings
from pohang_watch.pipeline import run_ingest

CHROME = {"본문 바로가기", "bar_progress", "Text Size", "Close"}
ARTICLE_KEYS = {"article_id", "url", "title", "subtitles", "published_at", "paragraphs", "captions"}


def json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def first_headline(seed: Path) -> str:
    lines = (line.strip() for line in seed.read_text(encoding="utf-8").splitlines())
    return next(line for line in lines if line and line not in CHROME)


def test_extract_json_follows_the_contract(
    seeds_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["extract", "--json", str(seeds_dir)]) == 0
    results = json_lines(capsys.readouterr().out)
    seeds = sorted(seeds_dir.glob("*.txt"))
    assert [Path(str(r["source"])).name for r in results] == [s.name for s in seeds]
    for result, seed in zip(results, seeds, strict=True):
        article = result["article"]
        assert isinstance(article, dict)
        assert set(article) >= ARTICLE_KEYS
        assert article["title"] == first_headline(seed)
        assert len(article["captions"]) == 2
        assert result["about_pohang"] is True
        assert isinstance(result["relevance"], float)
        body = " ".join(article["paragraphs"])
        assert "All rights reserved" not in body
        assert "Join us on social" not in body
        items = result["items"]
        assert isinstance(items, list)
        assert items
        for item in items:
            assert item["kind"] in {"commitment", "partnership"}
            assert item["evidence"]
            assert item["status"]
            assert ("actor" in item and "what" in item) or "parties" in item


def test_extract_reports_bad_file_and_goes_on(
    tmp_path: Path, seeds_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.html"
    broken.write_bytes(b"\x00\x01\x02binary\x00")
    seed = seeds_dir / "000_8bb15090ff6ef8e0.txt"
    assert main(["extract", "--json", str(broken), str(seed)]) == 1
    error, result = json_lines(capsys.readouterr().out)
    assert error["source"] == str(broken)
    assert error["error"]
    assert result["source"] == str(seed)
    assert "items" in result


def test_extract_missing_path_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "--json", "no/such/page.html"]) == 1
    (error,) = json_lines(capsys.readouterr().out)
    assert error["source"] == "no/such/page.html"
    assert error["error"]


def test_ledger_json_lists_entries_with_mentions(
    seeds_dir: Path, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    run_ingest([str(seeds_dir)], settings, run_id="r1")
    capsys.readouterr()
    assert main(["--config", str(settings.config_path), "ledger", "--json"]) == 0
    entries = json_lines(capsys.readouterr().out)
    assert entries
    for entry in entries:
        assert {"kind", "status", "target_year", "first_seen", "mentions"} <= set(entry)
        assert entry["what"] if entry["kind"] == "commitment" else entry["parties"]
        assert isinstance(entry["mentions"], int)
        assert entry["mentions"] >= 1
    assert any(e["mentions"] == 2 for e in entries), "POEX 2027 is stated in both seeds"


def test_unknown_config_key_exits_2_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "c.toml"
    config.write_text("[notify]\nurl = 'json://x'\n")
    assert main(["--config", str(config), "ledger"]) == 2
    assert "notify.url: unknown key" in capsys.readouterr().err


def subcommands() -> list[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return sorted(action.choices)  # type: ignore[arg-type]


@pytest.mark.parametrize("command", subcommands())
def test_every_command_has_help_and_is_in_the_readme(
    command: str, repo_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith("usage: pohang-watch")
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"pohang-watch {command}\b", readme), f"README does not document {command}"


HOSTILE_PAGE = """<html><head>
<meta property="article:published_time" content="0001-01-01T00:00:00+09:00">
<script type="application/ld+json">
{"@type": "NewsArticle", "headline": "Pohang \\ud800 plans"}
</script>
<script type="application/ld+json">%s</script>
</head><body><article>
<p>Pohang City will build a hydrogen testing centre by 2027, the city said on the 3rd.</p>
<p>The centre will serve companies in the Yeongil Bay free economic zone near Pohang.</p>
</article></body></html>""" % ("[" * 50_000 + "]" * 50_000)


def test_extract_survives_hostile_metadata_and_goes_on(
    tmp_path: Path, seeds_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = tmp_path / "hostile.html"
    hostile.write_text(HOSTILE_PAGE, encoding="utf-8")
    seed = seeds_dir / "000_8bb15090ff6ef8e0.txt"
    assert main(["extract", "--json", str(hostile), str(seed)]) == 0
    page, result = json_lines(capsys.readouterr().out)
    assert "\ufffd" in str(page["article"]["title"]), "a lone surrogate is replaced, not fatal"
    assert page["article"]["published_at"] is None, "year 1 is no publication date"
    assert result["source"] == str(seed)


def test_ingest_without_any_source_says_what_to_set(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--config", str(settings.config_path), "ingest"]) == 2
    err = capsys.readouterr().err
    assert "[[sources.listings]]" in err
    assert "sources.saved_pages" in err


def test_backfill_refuses_a_reversed_range_before_starting(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["backfill", "--since", "2025-06-30", "--until", "2025-01-01", "--from", "x"]
    assert main(["--config", str(settings.config_path), *args]) == 2
    assert "before it starts" in capsys.readouterr().err


def test_backfill_and_reparse_help_name_their_options(capsys: pytest.CaptureFixture[str]) -> None:
    for command, options in (
        ("backfill", ["--since", "--until", "--from", "--listing", "--alerts"]),
        ("reparse", ["--since", "--alerts"]),
    ):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        out = capsys.readouterr().out
        assert all(option in out for option in options), (command, out)


def test_eval_prints_scores_per_kind(
    tmp_path: Path, repo_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    devset = repo_root / "eval" / "devset"
    for page in sorted(devset.glob("*.txt"))[:3]:
        for part in (page, page.with_suffix(".labels.json")):
            (tmp_path / part.name).write_bytes(part.read_bytes())
    assert main(["eval", str(tmp_path)]) == 0
    table = capsys.readouterr().out
    assert "3 labelled articles" in table
    for row in ("relevance", "commitment", "partnership"):
        assert re.search(rf"^{row}\s+\d\.\d{{3}}\s+\d\.\d{{3}}\s+\d\.\d{{3}}", table, re.M), row
