"""Lint a dataset of articles with kzlint on Spark.

Reads JSON Lines or Parquet records (an id and a text field), checks them in
``mapPartitions`` with one ``kzlint.Linter`` per partition (built once,
checking batches on every core of the executor), and writes two Parquet
datasets under the output folder:

- ``diagnostics/``: one row per finding, with the record id and the fields
  of ``kzlint --format json`` (span, line/column, rule, message, fix);
- ``summary/``: one row per article, with its count of findings per
  category.

Locally:   python spark_lint.py articles.jsonl out/ --master 'local[2]'
A cluster: spark-submit --archives kzlint-env.tar.gz#env \\
               --conf spark.pyspark.python=./env/bin/python \\
               spark_lint.py s3://bucket/articles/ s3://bucket/kzlint/
(kzlint-env.tar.gz: a virtual environment with the kzlint wheel installed,
packed with venv-pack, as Spark's Python package management guide shows).
"""

from __future__ import annotations

import argparse
import json
from typing import Iterable, Iterator, Optional

CATEGORIES = ("syndication", "translation", "attribution", "extraction")
BATCH = 512


def diagnostic_type():
    from pyspark.sql import types as T

    return T.StructType(
        [
            T.StructField("rule", T.StringType(), False),
            T.StructField("category", T.StringType(), False),
            T.StructField("severity", T.StringType(), False),
            T.StructField("message", T.StringType(), False),
            T.StructField("start", T.LongType(), False),
            T.StructField("end", T.LongType(), False),
            T.StructField("line", T.LongType(), False),
            T.StructField("column", T.LongType(), False),
            T.StructField("end_line", T.LongType(), False),
            T.StructField("end_column", T.LongType(), False),
            T.StructField("snippet", T.StringType(), False),
            T.StructField("fix_replacement", T.StringType(), True),
            T.StructField("fix_applicability", T.StringType(), True),
        ]
    )


def article_type():
    from pyspark.sql import types as T

    return T.StructType(
        [
            T.StructField("id", T.StringType(), False),
            T.StructField("diagnostics", T.ArrayType(diagnostic_type()), False),
        ]
    )


def record_id(value) -> str:
    """A record's id as the CLI names it: a string as it is, anything else
    as its JSON text."""
    return value if isinstance(value, str) else json.dumps(value)


def lint_partition(
    rows: Iterable, linter_args: dict
) -> Iterator[tuple]:
    """(id, diagnostics) for each (id, text) row of one partition."""
    import kzlint

    linter = kzlint.Linter(**linter_args)  # compiled once per partition
    batch: list = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield from lint_batch(linter, batch)
            batch = []
    if batch:
        yield from lint_batch(linter, batch)


def lint_batch(linter, batch: list) -> Iterator[tuple]:
    ids = [record_id(r[0]) for r in batch]
    texts = [r[1] if r[1] is not None else "" for r in batch]
    for ident, found in zip(ids, linter.check_many(texts, ids)):
        yield (
            ident,
            [
                (
                    d.rule, d.category, d.severity, d.message, d.start, d.end,
                    d.line, d.column, d.end_line, d.end_column, d.snippet,
                    d.fix.replacement if d.fix else None,
                    d.fix.applicability if d.fix else None,
                )
                for d in found
            ],
        )


def of_category(category: str):
    """A one-argument predicate for F.filter (a second argument would be
    the element's index)."""
    from pyspark.sql import functions as F

    return lambda d: d["category"] == F.lit(category)


def run(
    spark,
    source: str,
    output: str,
    id_field: str = "id",
    text_field: str = "text",
    partitions: Optional[int] = None,
    linter_args: Optional[dict] = None,
) -> None:
    from pyspark.sql import functions as F

    reader = spark.read.parquet if source.endswith(".parquet") else spark.read.json
    records = reader(source).select(F.col(id_field), F.col(text_field))
    if partitions:
        records = records.repartition(partitions)
    args = linter_args or {}
    articles = spark.createDataFrame(
        records.rdd.mapPartitions(lambda rows: lint_partition(rows, args)),
        article_type(),
    ).cache()
    articles.select("id", F.explode("diagnostics").alias("d")).select("id", "d.*").write.mode(
        "overwrite"
    ).parquet(f"{output}/diagnostics")
    counts = [
        F.size(F.filter("diagnostics", of_category(c))).alias(c) for c in CATEGORIES
    ]
    articles.select("id", F.size("diagnostics").alias("diagnostics"), *counts).write.mode(
        "overwrite"
    ).parquet(f"{output}/summary")
    articles.unpersist()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", help="JSON Lines (or .parquet) records")
    parser.add_argument("output", help="folder for diagnostics/ and summary/")
    parser.add_argument("--id-field", default="id")
    parser.add_argument("--text-field", default="text")
    parser.add_argument("--partitions", type=int, help="repartition the input first")
    parser.add_argument("--master", help="e.g. local[2]; spark-submit sets it on a cluster")
    parser.add_argument("--disable", action="append", default=[], help="rule id or category")
    args = parser.parse_args(argv)

    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("kzlint")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    try:
        run(
            spark, args.source, args.output, args.id_field, args.text_field,
            args.partitions, {"disable": args.disable},
        )
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
