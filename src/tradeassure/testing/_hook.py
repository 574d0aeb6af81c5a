"""The ``hypothesis`` entry point (pyproject.toml): hypothesis calls
:func:`_hypothesis_setup_hook` when it is imported.

Loading this module imports :mod:`tradeassure.testing`, which registers the strategies
(:data:`~tradeassure.testing.TYPE_STRATEGIES`). It is a module of its own, not a
function of the package, because hypothesis looks the hook up while the package may be
half loaded: when ``import tradeassure.testing`` comes first, its ``import hypothesis``
runs the entry points before the package has defined anything; the package then
registers the strategies itself once loaded.
"""

from __future__ import annotations

__all__ = ["_hypothesis_setup_hook"]


def _hypothesis_setup_hook() -> None:
    """Register tradeassure's strategies with hypothesis: import tradeassure.testing."""
    import tradeassure.testing  # noqa: F401  (registers on import)
