"""YAML text → plain data that remembers where each value was written.

PyYAML's own constructors keep the last of two equal keys silently and expand aliases
without limit; building the data from the node graph here lets us refuse both.
"""

from __future__ import annotations

from typing import Any

import yaml

from planner.errors import DeclarationError

# Far above any real declaration set, far below what exhausts memory (a "billion laughs").
MAX_NODES = 2_000_000
# A declaration file this large is a mistake (a data dump, a generated blob), not a schema.
MAX_FILE_BYTES = 10 * 1024 * 1024


class LocatedDict(dict[str, Any]):
    """A mapping that knows the line of itself and of each of its keys (1-based)."""

    line: int
    key_lines: dict[str, int]


class LocatedList(list[Any]):
    line: int
    item_lines: list[int]


def load_yaml(text: str, path: str) -> Any:
    size = len(text.encode("utf-8", errors="replace"))
    if size > MAX_FILE_BYTES:
        raise DeclarationError(
            path, None, "", f"the file is {size / 1e6:.0f} MB; declarations are limited to 10 MB"
        )
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:
        raise DeclarationError(path, None, "", "the document nests too deeply") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = mark.line + 1 if mark is not None else None
        problem = f"{error.problem or error}".strip()
        raise DeclarationError(path, line, "", f"YAML syntax error: {problem}") from None
    except yaml.YAMLError as error:
        raise DeclarationError(path, None, "", f"YAML error: {error}") from None
    if node is None:
        return None
    try:
        return _Builder(path).build(node)
    except RecursionError:
        raise DeclarationError(
            path, None, "", "the document nests too deeply (a recursive alias?)"
        ) from None


class _Builder:
    def __init__(self, path: str) -> None:
        self.path = path
        self.count = 0
        self.constructor = yaml.SafeLoader("")

    def build(self, node: yaml.Node) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise DeclarationError(
                self.path,
                node.start_mark.line + 1,
                "",
                f"the document expands to more than {MAX_NODES:,} values "
                "(aliases repeated too often?)",
            )
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node)
        if isinstance(node, yaml.SequenceNode):
            return self._sequence(node)
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode) -> LocatedDict:
        result = LocatedDict()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise DeclarationError(
                    self.path, key_node.start_mark.line + 1, "", "merge keys (<<) are not supported"
                )
            key = self._scalar(key_node)
            line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                key = str(key)
            if key in result:
                raise DeclarationError(
                    self.path,
                    line,
                    "",
                    f"duplicate key {key!r} (first written on line {result.key_lines[key]})",
                )
            result[key] = self.build(value_node)
            result.key_lines[key] = line
        return result

    def _sequence(self, node: yaml.SequenceNode) -> LocatedList:
        result = LocatedList()
        result.line = node.start_mark.line + 1
        result.item_lines = []
        for item in node.value:
            result.append(self.build(item))
            result.item_lines.append(item.start_mark.line + 1)
        return result

    def _scalar(self, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            raise DeclarationError(
                self.path, node.start_mark.line + 1, "", "a key must be a plain value"
            )
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as error:
            raise DeclarationError(
                self.path, node.start_mark.line + 1, "", f"invalid value: {error.problem}"
            ) from None


def line_of(data: Any, path: list[str | int]) -> int | None:
    """The line of the value at `path` inside located data (or of its nearest parent)."""
    line = getattr(data, "line", None)
    current = data
    for step in path:
        if isinstance(current, LocatedDict) and isinstance(step, str) and step in current:
            line = current.key_lines.get(step, line)
            current = current[step]
        elif isinstance(current, LocatedList) and isinstance(step, int) and step < len(current):
            line = current.item_lines[step]
            current = current[step]
        else:
            break
    return line
