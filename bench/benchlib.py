"""Shared helpers for the benchmarks in bench/: paired, shuffled runs measured with wait4."""
import atexit, glob, os, random, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "bin", "jwtkit.js")
WALL, RSS, CPU = 0, 1, 2  # the fields of a result: seconds, peak KiB, user+system seconds


def run(cmd, stdin_path=None, env=None):
    """Runs cmd with stdout to /dev/null; returns (wall s, peak RSS KiB, CPU s, exit code)."""
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
    return wall, usage.ru_maxrss, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status)


def paired(commands, rounds, warmup=2, ok_codes=(0,)):
    """Runs every command once per round in a shuffled order. Returns {name: [(wall, rss, cpu)]}."""
    results = {name: [] for name in commands}
    for name, spec in commands.items():
        for _ in range(warmup):
            run(*spec)
    for _ in range(rounds):
        order = list(commands)
        random.shuffle(order)
        for name in order:
            wall, rss, cpu, code = run(*commands[name])
            if code not in ok_codes:
                sys.exit(f"{name} exited {code}")
            results[name].append((wall, rss, cpu))
    return results


def ratios(results, name, baseline, index=WALL):
    """The per-round ratios name/baseline, sorted."""
    return sorted(a[index] / b[index] for a, b in zip(results[name], results[baseline]))


def median_ratio(results, name, baseline, index=WALL):
    return statistics.median(ratios(results, name, baseline, index))


def spread(results, name, baseline, index=WALL):
    """'[q1–q3]' of the per-round ratios: how much the machine's noise moved them."""
    r = ratios(results, name, baseline, index)
    return f"[{r[len(r) // 4]:.2f}–{r[(3 * len(r)) // 4]:.2f}]"


def median(results, name, index=WALL):
    return statistics.median(r[index] for r in results[name])


def install_packed():
    """npm pack (which builds dist/ through `prepack`) and npm install -g into a temporary prefix,
    as a user installs jwtkit. Returns the path of the installed `jwtkit` command."""
    tmp = tempfile.mkdtemp(prefix="jwtkit-bench-")
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    subprocess.run(["npm", "pack", "--pack-destination", tmp], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    tarball = glob.glob(os.path.join(tmp, "jwtkit-*.tgz"))[0]
    prefix = os.path.join(tmp, "prefix")
    subprocess.run(["npm", "install", "-g", "--prefix", prefix, "--no-audit", "--no-fund", "--prefer-offline", tarball],
                   cwd=tmp, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return os.path.join(prefix, "bin", "jwtkit")


