"""Problems found in versioned data files, reported with the file, record and field."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    path: str
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        where = self.path
        if self.record:
            where += f", record {self.record}"
        if self.field:
            where += f", field {self.field}"
        return f"{where}: {self.message}"


class DataError(Exception):
    """Data files that cannot be loaded; ``problems`` says where and why. Nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
