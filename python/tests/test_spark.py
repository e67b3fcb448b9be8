"""The documented Spark job on a local[2] master, against the CLI's
--input jsonl on the same 100,000 records."""

import importlib.util
import json
import os
import random
import subprocess
import sys
import time

import pytest

from conftest import REPO

# CI sets KZLINT_REQUIRE_SPARK=1 and installs pyspark: there a missing
# pyspark is a failure, not a skip.
if importlib.util.find_spec("pyspark") is None:
    if os.environ.get("KZLINT_REQUIRE_SPARK"):
        raise RuntimeError("pyspark is not installed (pip install pyspark)")
    pytest.skip("pyspark is not installed", allow_module_level=True)

RESIDUE = [
    "\n\nSource link\n",
    "\n\nShare this article\n",
    "\n\n(Reporting by Jane Doe; Editing by John Smith)\n",
    "\n\nSubscribe to our newsletter for the latest news.\n",
]


def load_job():
    spec = importlib.util.spec_from_file_location(
        "spark_lint", REPO / "python" / "examples" / "spark_lint.py"
    )
    job = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(job)
    return job


def test_spark_finds_what_the_cli_finds_on_100k_records(bench_texts, kzlint_bin, tmp_path):
    rng = random.Random(20261206)
    dirty = set()
    source = tmp_path / "articles.jsonl"
    with open(source, "w", encoding="utf-8") as out:
        for i in range(100_000):
            _, text = bench_texts[i % len(bench_texts)]
            if i % 9 == 0:  # the known subset: residue appended
                text = text.rstrip("\n") + rng.choice(RESIDUE)
                dirty.add(str(i))
            # Half the ids are numbers, as in many dumps.
            out.write(json.dumps({"id": i if i % 2 else f"{i}", "text": text}) + "\n")

    cli = subprocess.run(
        [str(kzlint_bin), "--format", "json", "--no-baseline", "--input", "jsonl", str(source)],
        capture_output=True, text=True,
    )
    assert cli.returncode in (0, 1), cli.stderr
    want = sorted(
        (d["path"], d["rule"], d["span"]["start"], d["span"]["end"], d["message"])
        for d in map(json.loads, cli.stdout.splitlines())
    )

    from pyspark.sql import SparkSession

    # The workers run this interpreter, where kzlint is installed.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("kzlint-test")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    try:
        started = time.monotonic()
        load_job().run(spark, str(source), str(tmp_path / "out"), partitions=8)
        elapsed = time.monotonic() - started
        rows = spark.read.parquet(str(tmp_path / "out" / "diagnostics")).collect()
        got = sorted((r["id"], r["rule"], r["start"], r["end"], r["message"]) for r in rows)
        summary = {
            r["id"]: r.asDict()
            for r in spark.read.parquet(str(tmp_path / "out" / "summary")).collect()
        }
    finally:
        spark.stop()
    print(f"spark local[2]: 100,000 records in {elapsed:.1f} s")

    assert len(want) > 10_000
    assert got == want
    assert len(summary) == 100_000
    # Every record of the known subset has its residue found.
    assert all(summary[i]["syndication"] >= 1 for i in dirty)
    clean_with_residue = sum(1 for i, s in summary.items() if i not in dirty and s["syndication"])
    assert clean_with_residue < 0.01 * len(summary)
