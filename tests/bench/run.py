"""Run every benchmark and print one table: `python tests/bench/run.py [--quick] [--json] [--only NAME]`.

Each `tests/bench/bench_*.py` module exposes `BENCHMARKS`, a list of callables taking `quick: bool` and returning
one result dict or a list of them, each with at least: name, value, baseline_value, ratio, target, baseline
(what the ratio is against), unit, detail. Figures are ratios against a bare baseline measured in the same run,
because the machines are shared and noisy; growth benchmarks report the ratio between two sizes.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

Result = dict[str, Any]


def _load(path: Path) -> list[Callable[[bool], Result | list[Result]]]:
    spec = importlib.util.spec_from_file_location(f"tanxin_bench_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return list(getattr(module, "BENCHMARKS", []))


def run(quick: bool, only: set[str] | None) -> list[Result]:
    results: list[Result] = []
    sys.path.insert(0, str(HERE))
    for path in sorted(HERE.glob("bench_*.py")):
        for bench in _load(path):
            label = getattr(bench, "__name__", path.stem)
            if only and not any(name in label for name in only):
                continue
            started = time.perf_counter()
            try:
                produced = bench(quick)
            except Exception as exc:
                results.append({"name": label, "error": f"{type(exc).__name__}: {exc}", "ratio": None,
                                "target": None, "baseline": "", "detail": traceback.format_exc(limit=3)})
                continue
            for result in produced if isinstance(produced, list) else [produced]:
                result.setdefault("seconds", round(time.perf_counter() - started, 1))
                results.append(result)
    return results


def _verdict(result: Result) -> str:
    if result.get("error"):
        return "ERROR"
    ratio, target = result.get("ratio"), result.get("target")
    if ratio is None or target is None:
        return ""
    return "ok" if ratio <= target else "OVER"


def print_table(results: list[Result]) -> None:
    header = f"{'benchmark':<20} {'ratio':>8} {'target':>8} {'':>5}  {'value':>12} {'baseline value':>15}  against"
    print(header)
    print("-" * len(header))
    for r in results:
        ratio = "—" if r.get("ratio") is None else f"{r['ratio']:.2f}"
        target = "—" if r.get("target") is None else f"≤{r['target']:g}"
        unit = r.get("unit", "")
        value = "" if r.get("value") is None else f"{r['value']:.4g}{unit}"
        base = "" if r.get("baseline_value") is None else f"{r['baseline_value']:.4g}{unit}"
        print(f"{r['name']:<20} {ratio:>8} {target:>8} {_verdict(r):>5}  {value:>12} {base:>15}  {r.get('baseline', '')}")
        if r.get("error"):
            print(f"    {r['error']}")
        elif r.get("detail"):
            print(f"    {r['detail']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes; finishes within ten minutes")
    parser.add_argument("--json", action="store_true", help="print a JSON list of results")
    parser.add_argument("--only", action="append", help="run only benchmarks whose name contains this")
    args = parser.parse_args()
    results = run(args.quick, set(args.only) if args.only else None)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        print_table(results)
    return 1 if any(r.get("error") for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
