"""Before and after: one benchmark run on two commits, alternating, with the ratios.

A refactor must not cost speed (issue #17: within 1.1× of before). This checks out the
``--base`` commit into a temporary worktree and runs the same benchmark command in the
base tree and in this one, alternately (A B A B …, ``--rounds`` times), so both see the
same machine load; each tree runs its own benchmark file against its own code. Every
figure printed by the benchmark is matched by its line's words (the line with its
numbers taken out) and printed for both, with the median ratio after / before.

Usage: .venv/bin/python benchmarks/compare.py --base 2f9cdbe [--rounds 2] -- benchmarks/validator.py --sizes 10000
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


def figures(output: str) -> dict[str, list[float]]:
    """Each printed line with numbers, keyed by its words: ``check p95: 1.9 ms`` → {"check p#: # ms": [95, 1.9]}."""
    found: dict[str, list[float]] = {}
    for line in output.splitlines():
        numbers = NUMBER.findall(line)
        if not numbers:
            continue
        key = " ".join(NUMBER.sub("#", line).split())
        while key in found:  # the same words again (another size or database): kept apart
            key += " ·"
        found[key] = [float(n.replace(",", "")) for n in numbers]
    return found


def run(tree: Path, command: list[str]) -> str:
    python = ROOT / ".venv" / "bin" / "python"
    done = subprocess.run([str(python), *command], cwd=tree, capture_output=True, text=True, timeout=3600)
    if done.returncode:
        sys.exit(f"{command} failed in {tree} ({done.returncode}):\n{done.stderr[-2000:]}")
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the commit before the change")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--control",
        help="words of a figure that does not depend on the registry's code (say, "
        "'difflib'): each pair's ratios are also shown divided by its ratio, taking out machine load",
    )
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- benchmarks/x.py [its arguments]")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch) / "base"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(base), args.base], cwd=ROOT, check=True)
        try:
            before, after = [], []
            for _ in range(args.rounds):
                before.append(figures(run(base, command)))
                after.append(figures(run(ROOT, command)))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=ROOT, check=False)
    report(before, after, args.base, args.control)


def _control(before: list[dict], after: list[dict], words: str | None) -> list[float] | None:
    """Each pair's after/before of the control figure (its first number that differs), or None."""
    if not words:
        return None
    key = next((k for k in after[0] if words in k and k in before[0]), None)
    if key is None:
        sys.exit(f"no figure with “{words}” in both runs")
    index = next(i for i, v in enumerate(after[0][key]) if any(run[key][i] != v for run in after + before))
    return [a[key][index] / b[key][index] for a, b in zip(after, before)]


def report(before: list[dict], after: list[dict], base: str, control: str | None = None) -> None:
    load = _control(before, after, control)
    header = f"{'figure':<60} {'before (' + base + ')':>22} {'after':>22} {'after/before':>12}"
    print(header + (f" {'÷ control':>10}" if load else ""))
    for key in after[0]:
        if key not in before[0]:
            continue
        for index in range(len(after[0][key])):
            old = [run[key][index] for run in before if key in run and len(run[key]) > index]
            new = [run[key][index] for run in after if key in run and len(run[key]) > index]
            if not old or not new or all(v == new[0] for v in new + old):
                continue  # a size or a count, the same in both: not a measurement
            ratio = statistics.median(new) / statistics.median(old) if statistics.median(old) else float("nan")
            label = f"{key[:56]} [{index}]"
            line = (
                f"{label:<60} {' / '.join(f'{v:g}' for v in old):>22} {' / '.join(f'{v:g}' for v in new):>22}"
                f" {ratio:>11.2f}×"
            )
            if load and len(old) == len(new) == len(load):
                line += f" {statistics.median([n / o / c for n, o, c in zip(new, old, load) if o]):>9.2f}×"
            print(line)


if __name__ == "__main__":
    main()
