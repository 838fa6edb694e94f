"""``Configuration`` takes every argument of the generated client's, in the same places."""

from __future__ import annotations

import inspect
from types import ModuleType

from generated_client import gen  # noqa: F401  (a fixture)

import openapi_client


def test_every_generated_configuration_parameter_is_accepted_the_same_way(
    gen: ModuleType,  # noqa: F811
) -> None:
    theirs = list(inspect.signature(gen.Configuration.__init__).parameters.values())
    ours = inspect.signature(openapi_client.Configuration.__init__).parameters
    missing = [p.name for p in theirs if p.name not in ours]
    assert missing == [], f"the generated Configuration has keywords we lack: {missing}"
    # Positional arguments land in the same parameter, and keyword-only ones stay keywords.
    positional = [p.name for p in theirs if p.kind is p.POSITIONAL_OR_KEYWORD]
    assert [n for n in ours if ours[n].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD][
        : len(positional)
    ] == positional
    for p in theirs:
        if p.kind is p.KEYWORD_ONLY:
            assert ours[p.name].kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD), p.name


def test_generated_style_configuration_is_built(gen: ModuleType) -> None:  # noqa: F811
    # The same call, with every argument the generated client takes, builds both.
    arguments = {
        name: p.default
        for name, p in inspect.signature(gen.Configuration.__init__).parameters.items()
        if name != "self"
    }
    arguments["host"] = "https://h.example/v1"
    for cls in (gen.Configuration, openapi_client.Configuration):
        cfg = cls(**arguments)
        assert cfg.host == "https://h.example/v1"
        assert cfg.verify_ssl is True and cfg.proxy is None
