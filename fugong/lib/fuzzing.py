"""For tests: what the property-based input tests share (any JSON value, and their settings).

Each such test sends any value a client could send and asserts the answer is a clear error
naming the field, or the row stored: never a server error. A few dozen examples run in the
suite; ``FUGONG_FUZZ_EXAMPLES=2000`` runs a longer hunt.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Any JSON value: scalars (with a few values that are valid somewhere in the API, so that
# valid rows are stored too), and lists and objects of them.
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=24)
    | st.sampled_from(["cough", "440604", "36.6", "2020-02-10", "onsite", "", " "]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)

fuzz = settings(
    max_examples=int(os.environ.get("FUGONG_FUZZ_EXAMPLES", "40")),
    deadline=None,
    # The database and the users come from pytest's fixtures, shared by a test's examples.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
