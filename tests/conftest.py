"""Shared test set-up: hypothesis profiles, picked with HYPOTHESIS_PROFILE.

- ``default``: quick, for local runs and CI (the README's test command).
- ``thorough``: many more examples, for a deliberate heavy run:
  ``HYPOTHESIS_PROFILE=thorough pytest tests``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "default", max_examples=60, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "thorough", max_examples=2000, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
