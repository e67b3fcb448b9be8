"""kzlint from Python: the same rules and results as the command line.

    >>> import kzlint
    >>> linter = kzlint.Linter()
    >>> [d.rule for d in linter.check("Subscribe to our newsletter.")]
    ['syndication/subscribe-prompt']

The rules and configuration are compiled once per ``Linter``; ``check_many``
checks a batch on every core without holding the GIL. Each ``Diagnostic``
is what ``kzlint --format json`` prints for it (``to_dict()`` gives that
object), so a corpus checked here and by the CLI gives the same findings.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, asdict
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

from ._kzlint import Linter as _Linter
from ._kzlint import RuleError, __version__

__all__ = ["Linter", "Diagnostic", "Fix", "RuleError", "__version__"]

PathLike = Union[str, "os.PathLike[str]"]


@dataclass(frozen=True)
class Fix:
    """A suggested edit of the diagnostic's span."""

    replacement: str
    applicability: str  # "safe", "unsafe" or "display"


@dataclass(frozen=True)
class Diagnostic:
    """One finding: where (a byte span and 1-based line/column, columns in
    characters), which rule, and what to do about it."""

    path: str
    rule: str
    category: str
    severity: str
    message: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    snippet: str
    fix: Optional[Fix]

    @classmethod
    def _from_json(cls, record: Mapping[str, Any]) -> "Diagnostic":
        fix = record.get("fix")
        return cls(
            path=record["path"],
            rule=record["rule"],
            category=record["category"],
            severity=record["severity"],
            message=record["message"],
            start=record["span"]["start"],
            end=record["span"]["end"],
            line=record["line"],
            column=record["column"],
            end_line=record["end_line"],
            end_column=record["end_column"],
            snippet=record["snippet"],
            fix=Fix(**fix) if fix else None,
        )

    def to_dict(self) -> dict:
        """The object ``kzlint --format json`` prints for this finding."""
        return {
            "path": self.path,
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "message": self.message,
            "span": {"start": self.start, "end": self.end},
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "snippet": self.snippet,
            "fix": asdict(self.fix) if self.fix else None,
        }


def _text(value: Any, what: str = "text") -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        raise TypeError(
            f"{what} must be str, not {type(value).__name__}: decode it first "
            "(kzlint reads UTF-8, e.g. data.decode('utf-8'))"
        )
    raise TypeError(f"{what} must be str, not {type(value).__name__}")


def _parse(lines: str) -> list:
    return [Diagnostic._from_json(json.loads(line)) for line in lines.splitlines() if line]


class Linter:
    """Compiles the rule set once: the built-in rules, the rule folders in
    ``rules`` and those a ``config`` file (a ``kzlint.toml``) names, with the
    configuration's and then ``disable``/``enable``'s selection (rule ids or
    categories). A rule file or configuration that does not load raises
    ``RuleError(message, file, rule, span)``."""

    def __init__(
        self,
        rules: Optional[Iterable[PathLike]] = None,
        config: Optional[PathLike] = None,
        disable: Iterable[str] = (),
        enable: Iterable[str] = (),
    ) -> None:
        self._core = _Linter(
            rules=[os.fspath(r) for r in rules] if rules is not None else None,
            config=os.fspath(config) if config is not None else None,
            disable=[_text(d, "a rule name") for d in disable],
            enable=[_text(e, "a rule name") for e in enable],
        )

    def check(self, text: str, path: str = "<text>") -> list:
        """The diagnostics of one text, sorted by span. ``path`` names it in
        the results (and picks the configuration's per-path overrides)."""
        return _parse(self._core.check_json(_text(text), _text(path, "path")))

    def check_many(
        self, texts: Sequence[str], paths: Optional[Sequence[str]] = None
    ) -> list:
        """``check`` for each text, on every core; one list per text, in
        order. ``paths`` default to ``"<text N>"``."""
        texts = [_text(t, f"texts[{i}]") for i, t in enumerate(texts)]
        if paths is None:
            paths = [f"<text {i}>" for i in range(len(texts))]
        paths = [_text(p, f"paths[{i}]") for i, p in enumerate(paths)]
        if len(paths) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(paths)} paths")
        return [_parse(lines) for lines in self._core.check_many_json(texts, paths)]

    def check_records(
        self,
        records: Iterable[Mapping[str, Any]],
        id_field: str = "id",
        text_field: str = "text",
    ) -> list:
        """``check_many`` for dicts shaped like the CLI's ``--input jsonl``
        records: each record's ``id_field`` names its diagnostics' path."""
        texts, paths = [], []
        for i, record in enumerate(records):
            if not isinstance(record, Mapping):
                raise TypeError(f"record {i} must be a mapping, not {type(record).__name__}")
            if text_field not in record or id_field not in record:
                raise ValueError(f"record {i} has no {text_field!r} or no {id_field!r} field")
            texts.append(_text(record[text_field], f"record {i}'s {text_field!r}"))
            ident = record[id_field]
            paths.append(ident if isinstance(ident, str) else json.dumps(ident))
        return self.check_many(texts, paths)

    def fix(self, text: str, unsafe: bool = False, path: str = "<text>") -> str:
        """The text with the fixes ``--fix`` applies (``unsafe=True``: also
        those of ``--unsafe-fixes``)."""
        return self._core.fix(_text(text), _text(path, "path"), bool(unsafe))

    def rules(self) -> list:
        """Every rule loaded, as (id, category, severity, summary)."""
        return self._core.rules()
