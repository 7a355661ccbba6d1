"""Shared helpers for the benchmarks in bench/: paired, shuffled runs measured with wait4."""
import os, random, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "bin", "jwtkit.js")


def run(cmd, stdin_path=None, env=None):
    """Runs cmd with stdout to /dev/null; returns (wall seconds, peak RSS KiB, exit code)."""
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=stdin,
                                env=env if env is not None else os.environ)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    finally:
        if stdin_path:
            stdin.close()
    return wall, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


def paired(commands, rounds, warmup=2, ok_codes=(0,)):
    """Runs every command once per round in a shuffled order. Returns {name: [(wall, rss)]}."""
    results = {name: [] for name in commands}
    for name, spec in commands.items():
        for _ in range(warmup):
            run(*spec)
    for _ in range(rounds):
        order = list(commands)
        random.shuffle(order)
        for name in order:
            wall, rss, code = run(*commands[name])
            if code not in ok_codes:
                sys.exit(f"{name} exited {code}")
            results[name].append((wall, rss))
    return results


def median_ratio(results, name, baseline, index=0):
    return statistics.median(a[index] / b[index] for a, b in zip(results[name], results[baseline]))


def median(results, name, index=0):
    return statistics.median(r[index] for r in results[name])
