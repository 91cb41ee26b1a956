"""What the browser of a JavaScript source may skip loading."""

from __future__ import annotations

# Listings are text: images, media and fonts only cost memory and time in the browser.
HEAVY_RESOURCES = frozenset({"image", "media", "font"})


def skip_heavy_resource(request) -> bool:
    """``PLAYWRIGHT_ABORT_REQUEST`` hook: True aborts the browser's request."""
    return request.resource_type in HEAVY_RESOURCES
