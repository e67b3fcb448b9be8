"""The Python package against the command line it shares a core with."""

import json
import pathlib
import subprocess

import pytest

import kzlint

from conftest import REPO


def cli_json(kzlint_bin, args, stdin=None):
    out = subprocess.run(
        [str(kzlint_bin), "--format", "json", "--no-baseline", *args],
        cwd=REPO,
        input=stdin,
        capture_output=True,
        text=True,
    )
    assert out.returncode in (0, 1), out.stderr
    return [json.loads(line) for line in out.stdout.splitlines() if line]


@pytest.fixture(scope="module")
def linter():
    return kzlint.Linter()


def test_the_readme_example_finds_residue(linter):
    found = linter.check("Subscribe to our newsletter.")
    assert [d.category for d in found] == ["syndication"]
    assert found[0].snippet == "Subscribe to our newsletter."


def test_every_corpus_diagnostic_is_the_clis(linter, kzlint_bin):
    # --no-corpus: the module checks one text at a time, with no corpus of
    # other files to compare names against.
    want = cli_json(kzlint_bin, ["--no-corpus", "corpus/"])
    got = []
    for path in sorted((REPO / "corpus").glob("*.txt")):
        name = str(path.relative_to(REPO))
        got += [d.to_dict() for d in linter.check(path.read_text(encoding="utf-8"), path=name)]
    assert len(want) > 50
    assert got == want


def test_records_are_checked_as_the_clis_jsonl_input(linter, kzlint_bin, tmp_path):
    records = [
        {"id": "a", "text": "Ferry resumes\n\nThe ferry resumed on Monday, officials said.\n\nSource link\n"},
        {"id": 7, "text": "“Quoted” café 😀 text.\r\n\r\nShare this article\r\n"},
        {"id": "c", "text": ""},
    ]
    jsonl = "".join(json.dumps(r) + "\n" for r in records)
    want = cli_json(kzlint_bin, ["--input", "jsonl", "-"], stdin=jsonl)
    got = [d.to_dict() for per in linter.check_records(records) for d in per]
    assert want and got == want


def test_check_many_equals_check_on_ten_thousand_bench_texts(linter, bench_texts):
    sample = bench_texts[:10_000]
    paths = [p for p, _ in sample]
    texts = [t for _, t in sample]
    many = linter.check_many(texts, paths)
    assert len(many) == len(texts)
    one_by_one = [linter.check(t, path=p) for p, t in sample]
    assert many == one_by_one
    assert sum(map(len, many)) > 100  # the bench has attribution findings


def test_fix_is_the_clis_fix(linter, kzlint_bin):
    text = (REPO / "corpus" / "000_46eaa28b00190ead.txt").read_text(encoding="utf-8")
    out = subprocess.run(
        [str(kzlint_bin), "--fix", "--quiet", "--no-baseline", "-"],
        cwd=REPO, input=text, capture_output=True, text=True,
    )
    assert linter.fix(text) == out.stdout
    assert linter.fix(text) != text
    assert len(linter.fix(text, unsafe=True)) <= len(linter.fix(text))


def test_selection_and_configuration(tmp_path):
    text = "Ferry resumes\n\nThe ferry resumed on Monday, officials said.\n\nSource link\n"
    rules = {d.rule for d in kzlint.Linter(disable=["attribution"]).check(text)}
    assert rules == {"syndication/source-link"}
    config = tmp_path / "kzlint.toml"
    config.write_text('disable = ["syndication"]\n')
    rules = {d.rule for d in kzlint.Linter(config=config).check(text)}
    assert "syndication/source-link" not in rules and rules


def test_bad_input_raises_clear_errors(linter):
    with pytest.raises(TypeError, match="decode it first"):
        linter.check(b"Source link")
    with pytest.raises(TypeError, match="must be str, not NoneType"):
        linter.check(None)
    with pytest.raises(TypeError, match=r"texts\[1\]"):
        linter.check_many(["fine", 3])
    with pytest.raises(ValueError, match="2 texts but 1 paths"):
        linter.check_many(["a", "b"], ["x"])
    with pytest.raises(ValueError):
        linter.check("lone surrogate \ud800")
    with pytest.raises(ValueError, match="no 'text'"):
        linter.check_records([{"id": 1}])
    with pytest.raises(ValueError, match="is neither a rule id"):
        kzlint.Linter(disable=["no/such-rule"])
    with pytest.raises(ValueError, match="did you mean `syndication/source-link`"):
        kzlint.Linter(disable=["syndication/sorce-link"])


def test_a_broken_rule_file_raises_rule_error_with_file_rule_and_span():
    broken = REPO / "tests" / "fixtures" / "broken-rules"
    with pytest.raises(kzlint.RuleError) as caught:
        kzlint.Linter(rules=[broken])
    message, file, rule, span = caught.value.args
    assert file.endswith(".toml") and rule and span is not None
    text = pathlib.Path(file).read_text(encoding="utf-8")
    assert span[0] < span[1] <= len(text.encode("utf-8"))


def test_positions_are_byte_spans_and_character_columns(linter):
    text = "“Prices will rise” 😀, officials said on Monday, as the island ferry returned after a week of storms."
    (d,) = [d for d in linter.check(text) if d.rule == "attribution/vague-source"]
    assert text.encode("utf-8")[d.start:d.end].decode("utf-8") == d.snippet
    assert d.snippet.startswith("officials")
    assert d.column == text.index("officials") + 1
