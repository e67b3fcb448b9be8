"""kzlint as datatrove pipeline steps (``pip install datatrove``).

- ``KzlintAnnotator`` adds kzlint's findings to each document's metadata
  under ``"kzlint"``: counts per category, the share of the text's bytes
  that is residue, damage per 1,000 words, and (``keep_diagnostics``) the
  diagnostics themselves as ``--format json`` objects.
- ``KzlintFilter`` drops documents whose residue share or damage rate is
  over a threshold, with the reason ``kzlint_residue`` or ``kzlint_damage``
  (and writes them to ``exclusion_writer`` if one is given). It reuses the
  annotator's figures when the annotator ran before it.

Both check documents in batches on every core, with one ``Linter`` per
worker, built when the step first runs (a ``Linter`` is not pickled).
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator, Optional

from datatrove.data import Document, DocumentsPipeline
from datatrove.pipeline.base import PipelineStep
from datatrove.pipeline.filters.base_filter import BaseFilter

import kzlint

CATEGORIES = ("syndication", "translation", "attribution", "extraction")
# What the page or the extractor left (residue) and what damaged the text.
RESIDUE = ("syndication",)
DAMAGE = ("translation", "extraction")


def profile(text: str, found: list, keep_diagnostics: bool) -> dict:
    """The figures a filter reads, for one document's diagnostics."""
    counts = {c: 0 for c in CATEGORIES}
    residue_bytes = []
    for d in found:
        counts[d.category] = counts.get(d.category, 0) + 1
        if d.category in RESIDUE:
            residue_bytes.append((d.start, d.end))
    size = len(text.encode("utf-8"))
    words = max(1, len(text.split()))
    figures: dict[str, Any] = {
        "counts": counts,
        "residue_share": covered(residue_bytes) / size if size else 0.0,
        "damage_per_1000_words": 1000.0 * sum(counts[c] for c in DAMAGE) / words,
    }
    if keep_diagnostics:
        figures["diagnostics"] = [d.to_dict() for d in found]
    return figures


def covered(spans: list) -> int:
    """Bytes covered by the union of spans."""
    total, end = 0, 0
    for start, stop in sorted(spans):
        start = max(start, end)
        if stop > start:
            total += stop - start
            end = stop
    return total


class _Linted:
    """A ``kzlint.Linter`` built on first use in each worker process."""

    def __init__(self, linter_args: dict) -> None:
        self._linter_args = linter_args
        self._linter: Optional[kzlint.Linter] = None

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["_linter"] = None
        return state

    def _profiles(self, docs: list, keep_diagnostics: bool) -> list:
        if self._linter is None:
            self._linter = kzlint.Linter(**self._linter_args)
        found = self._linter.check_many([d.text for d in docs], [str(d.id) for d in docs])
        return [profile(d.text, f, keep_diagnostics) for d, f in zip(docs, found)]


def _batches(data: Iterable[Document], size: int) -> Iterator[list]:
    batch: list = []
    for doc in data:
        batch.append(doc)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class KzlintAnnotator(_Linted, PipelineStep):
    name = "🔎 kzlint"
    type = "📝 - ANNOTATOR"

    def __init__(self, batch_size: int = 256, keep_diagnostics: bool = True, **linter_args: Any) -> None:
        PipelineStep.__init__(self)
        _Linted.__init__(self, linter_args)
        self.batch_size = batch_size
        self.keep_diagnostics = keep_diagnostics

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        for batch in _batches(data, self.batch_size):
            with self.track_time("batch"):
                profiles = self._profiles(batch, self.keep_diagnostics)
            for doc, figures in zip(batch, profiles):
                doc.metadata["kzlint"] = figures
                for category, n in figures["counts"].items():
                    self.stat_update(f"kzlint_{category}", value=n)
                self.stat_update("documents")
                yield doc


class KzlintFilter(_Linted, BaseFilter):
    name = "🔎 kzlint filter"

    def __init__(
        self,
        max_residue_share: float = 0.3,
        max_damage_per_1000_words: float = 10.0,
        exclusion_writer=None,
        batch_size: int = 256,
        **linter_args: Any,
    ) -> None:
        BaseFilter.__init__(self, exclusion_writer=exclusion_writer, batch_size=batch_size)
        _Linted.__init__(self, linter_args)
        self.max_residue_share = max_residue_share
        self.max_damage_per_1000_words = max_damage_per_1000_words

    def filter_batch(self, batch: list) -> list:
        todo = [d for d in batch if "kzlint" not in d.metadata]
        fresh = iter(self._profiles(todo, keep_diagnostics=False)) if todo else iter(())
        results = []
        for doc in batch:
            figures = doc.metadata.get("kzlint") or next(fresh)
            if figures["residue_share"] > self.max_residue_share:
                results.append((False, "kzlint_residue"))
            elif figures["damage_per_1000_words"] > self.max_damage_per_1000_words:
                results.append((False, "kzlint_damage"))
            else:
                results.append(True)
        return results

    def filter(self, doc: Document):
        return self.filter_batch([doc])[0]
