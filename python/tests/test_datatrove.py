"""kzlint's datatrove steps with datatrove's local executor."""

import gzip
import importlib.util
import json
import os

import pytest

if importlib.util.find_spec("datatrove") is None:
    if os.environ.get("KZLINT_REQUIRE_DATATROVE"):
        raise RuntimeError("datatrove is not installed (pip install datatrove)")
    pytest.skip("datatrove is not installed", allow_module_level=True)

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter

from kzlint.datatrove import KzlintAnnotator, KzlintFilter, covered

CLEAN = (
    "Ferry fares to rise\n\nThe island ferry will raise its fares by a tenth in May, "
    "the operator said on Monday, after a winter in which storms kept its boats in port "
    "for weeks and fuel prices rose.\n\nThe operator's chief executive, Ann Berg, said "
    "the rise was the first in four years.\n"
)
PAGE = "Home\nNews\nSport\nWeather\nSign in\nSubscribe\nShare this article\nSource link\nPrivacy Policy\nCookie Settings\n"


def read_jsonl(folder):
    docs = []
    for name in sorted(os.listdir(folder)):
        with gzip.open(os.path.join(folder, name), "rt", encoding="utf-8") as f:
            docs += [json.loads(line) for line in f]
    return docs


def test_annotator_and_filter_in_a_local_pipeline(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    docs = [
        {"id": "clean", "text": CLEAN},
        {"id": "a-bit", "text": CLEAN + "\nSource link\n"},
        {"id": "mostly-page", "text": PAGE + CLEAN + PAGE},
    ]
    (source / "part.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs))
    kept, dropped = tmp_path / "kept", tmp_path / "dropped"
    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(source)),
            KzlintAnnotator(batch_size=2),
            KzlintFilter(max_residue_share=0.25, exclusion_writer=JsonlWriter(str(dropped))),
            JsonlWriter(str(kept)),
        ],
        tasks=1,
        logging_dir=str(tmp_path / "logs"),
    ).run()

    kept_docs = {d["id"]: d for d in read_jsonl(kept)}
    dropped_docs = {d["id"]: d for d in read_jsonl(dropped)}
    assert set(kept_docs) == {"clean", "a-bit"}
    assert set(dropped_docs) == {"mostly-page"}
    assert dropped_docs["mostly-page"]["metadata"]["filter_reason"] == "kzlint_residue"
    figures = kept_docs["a-bit"]["metadata"]["kzlint"]
    assert figures["counts"]["syndication"] == 1
    assert [d["rule"] for d in figures["diagnostics"]] == ["syndication/source-link"]
    assert 0 < figures["residue_share"] < 0.25
    assert kept_docs["clean"]["metadata"]["kzlint"]["counts"]["syndication"] == 0


def test_the_filter_alone_checks_documents_itself():
    from datatrove.data import Document

    step = KzlintFilter(max_residue_share=0.25)
    results = step.filter_batch(
        [Document(text=CLEAN, id="a"), Document(text=PAGE + CLEAN + PAGE, id="b")]
    )
    assert results == [True, (False, "kzlint_residue")]


def test_covered_counts_overlaps_once():
    assert covered([(0, 10), (5, 15), (20, 25)]) == 20
