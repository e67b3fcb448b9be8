import os
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

__version__: str

PathLike = Union[str, os.PathLike[str]]

class RuleError(Exception):
    """args: (message, file, rule or None, (start, end) byte span or None)"""

class Fix:
    replacement: str
    applicability: str

class Diagnostic:
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
    def to_dict(self) -> dict[str, Any]: ...

class Linter:
    def __init__(
        self,
        rules: Optional[Iterable[PathLike]] = None,
        config: Optional[PathLike] = None,
        disable: Iterable[str] = (),
        enable: Iterable[str] = (),
    ) -> None: ...
    def check(self, text: str, path: str = "<text>") -> list[Diagnostic]: ...
    def check_many(
        self, texts: Sequence[str], paths: Optional[Sequence[str]] = None
    ) -> list[list[Diagnostic]]: ...
    def check_records(
        self,
        records: Iterable[Mapping[str, Any]],
        id_field: str = "id",
        text_field: str = "text",
    ) -> list[list[Diagnostic]]: ...
    def fix(self, text: str, unsafe: bool = False, path: str = "<text>") -> str: ...
    def rules(self) -> list[tuple[str, str, str, str]]: ...
