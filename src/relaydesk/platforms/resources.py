"""Where the recipes' JS lives, and how one recipe's injected source is built."""

from __future__ import annotations

import json
from collections.abc import Mapping

from relaydesk.shipped import shipped_dir

RESOURCES = shipped_dir("resources")
RECIPES = RESOURCES / "recipes"
COMMON_JS = RECIPES / "_common" / "common.js"


def recipe_source(platform_id: str, config: Mapping[str, object] | None = None) -> str:
    """The JS injected for one platform: its settings, the shared plumbing, then the recipe.

    ``config`` overrides the recipe's defaults (``health_timeout_ms``, ``scan_interval_ms``); the
    QWebChannel client (qwebchannel.js) is prepended by the Qt side, which owns that resource.
    """
    recipe = RECIPES / platform_id / "recipe.js"
    if not recipe.is_file():
        raise FileNotFoundError(f"no recipe file for platform {platform_id!r} at {recipe}")
    settings = {"platform": platform_id, **(config or {})}
    return "\n".join(
        (
            f"var RELAYDESK_CONFIG = {json.dumps(settings)};",
            COMMON_JS.read_text(encoding="utf-8"),
            recipe.read_text(encoding="utf-8"),
        )
    )
