"""Example instances of every public value class, one module per domain module.

Each module defines ``EXAMPLES``: a list of instances, at least one per public attrs
class of the matching ``tradeassure`` module. ``tests/test_value_semantics.py`` checks
the shared value contract over all of them, and fails when a public class has none.
"""
