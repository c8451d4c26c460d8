"""YAML writing for dumps: compact one-line mappings where they read better, stable order."""

from __future__ import annotations

from typing import Any

import yaml


def parameters(parameters: tuple[str, ...]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for parameter in parameters:
        key, _, value = parameter.partition("=")
        result[key] = value
    return result


def compact(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


class Flow(dict[str, Any]):
    """Written on one line in YAML: `{type: bigint, nullable: false}` or `[id, email]`."""

    def __init__(self, value: Any) -> None:
        if isinstance(value, list):
            super().__init__()
            self.items_list: list[Any] | None = value
        else:
            super().__init__(value)
            self.items_list = None


class _Dumper(yaml.SafeDumper):
    pass


def _represent_flow(dumper: yaml.SafeDumper, value: Flow) -> yaml.Node:
    if value.items_list is not None:
        return dumper.represent_sequence("tag:yaml.org,2002:seq", value.items_list, flow_style=True)
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=True)


_Dumper.add_representer(Flow, _represent_flow)


def to_yaml(document: dict[str, Any]) -> str:
    body = yaml.dump(
        document,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return body
