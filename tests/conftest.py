"""Settings for the whole suite."""

import os

from hypothesis import settings

# CI must judge the code, not the draw: a fixed sequence of examples there (hypothesis's own
# advice for CI); locally, fresh random examples keep finding new cases.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
