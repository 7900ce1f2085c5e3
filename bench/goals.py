"""One line per goal: the ratio, its goal and "met" / "NOT met", kept for the closing summary.

Every bench module prints its figures, then calls :func:`goal` for each ratio it measured;
``python -m bench`` lists every goal again at the end, so the verdicts are read in one place.
"""

from __future__ import annotations

import operator

#: (label, ratio, goal text, met) of every goal checked in this run, in order.
CHECKED: list[tuple[str, float, str, bool]] = []

_OPS = {"<=": operator.le, ">=": operator.ge, "<": operator.lt}


def goal(label: str, ratio: float, op: str, target: float, unit: str = "x") -> bool:
    """Print ``label = ratio (goal op target: met)`` and remember it for the summary.

    Examples:
        >>> CHECKED.clear()
        >>> goal("demo", 1.5, "<=", 2)
          demo = 1.50x (goal <= 2x: met)
        True
        >>> goal("memory", 1200, "<", 1024, unit=" MB")
          memory = 1200 MB (goal < 1024 MB: NOT met)
        False
        >>> [c[3] for c in CHECKED]
        [True, False]
        >>> CHECKED.clear()
    """
    met = _OPS[op](ratio, target)
    shown = f"{ratio:.0f}" if unit.strip() == "MB" else f"{ratio:.2f}"
    text = f"{op} {target:g}{unit}"
    print(f"  {label} = {shown}{unit} (goal {text}: {'met' if met else 'NOT met'})")
    CHECKED.append((label, ratio, text, met))
    return met


def summary() -> None:
    """Every goal checked in this run, one line each."""
    if not CHECKED:
        return
    print("== summary (goal: verdict)")
    width = max(len(label) for label, *_ in CHECKED)
    for label, ratio, text, met in CHECKED:
        shown = f"{ratio:.0f}" if "MB" in text else f"{ratio:.2f}"
        print(f"  {label:<{width}}  {shown:>6}  goal {text:<10} {'met' if met else 'NOT met'}")
