#!/usr/bin/env python3
"""Key to frame, and launch, in a pseudo-terminal, without tmux: the program's own part.

The tmux probe (bench/tui-latency.sh) times the whole path a clinician sees,
but on a 2-core machine tmux and the probe's polling take most of it and
vary from hour to hour. Here the program runs in a pty driven directly:
each key is written to the pty and timed until the frame's last byte is read
back (no byte for 30 ms ends the frame). Keys come 20 ms apart, so caches
are as cold as between a clinician's keys. A `cat` behind the same pty gives
the floor. Launch is timed from the fork to the first item's text on the
screen (`--launches` per build and round). Compare builds in alternating
rounds.

Usage: bench/pty-latency.py [--rounds N] [--keys N] [--launches N] LABEL=BINARY ...
Prints one JSON line per build, scenario and round (medians and p90s in ms).
"""
import argparse, fcntl, json, os, pty, select, shutil, statistics, struct, sys, tempfile, termios, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INTERVIEW = os.path.join(ROOT, "bench", "interviews", "latency.json")
SCENARIOS = {"answer": [b"2", b"3"], "highlight": [b"\x1bOB", b"\x1bOA"]}


def start(argv):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update(TERM="xterm-256color", LANG="C.UTF-8")
        os.execvp(argv[0], argv)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    return pid, fd


def drain(fd, quiet):
    """Reads until nothing comes for `quiet` seconds; the time of the last byte."""
    last = None
    while select.select([fd], [], [], quiet)[0]:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        last = time.perf_counter()
    return last


def wait_for(fd, text, timeout=10.0):
    seen, deadline = b"", time.monotonic() + timeout
    while text not in seen and time.monotonic() < deadline:
        if select.select([fd], [], [], 0.1)[0]:
            seen += os.read(fd, 65536)
    if text not in seen:
        sys.exit("the first screen never showed %r" % text)


def measure(argv, ready, keys, presses):
    pid, fd = start(argv)
    try:
        wait_for(fd, ready)
        drain(fd, 0.3)
        times = []
        for n in range(presses):
            sent = time.perf_counter()
            os.write(fd, keys[n % len(keys)])
            last = drain(fd, 0.03)
            if last is not None:
                times.append((last - sent) * 1e3)
            time.sleep(0.02)
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        os.close(fd)
    return times


def launch(argv, ready):
    """Milliseconds from the fork to `ready` on the screen."""
    started = time.perf_counter()
    pid, fd = start(argv)
    try:
        wait_for(fd, ready)
        return (time.perf_counter() - started) * 1e3
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        os.close(fd)


def summary(label, scenario, times):
    ordered = sorted(times)
    return {"build": label, "scenario": scenario, "count": len(times),
            "median_ms": round(statistics.median(ordered), 3),
            "p90_ms": round(ordered[int(0.9 * (len(ordered) - 1))], 3)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keys", type=int, default=100)
    parser.add_argument("--launches", type=int, default=0)
    parser.add_argument("builds", nargs="+", metavar="LABEL=BINARY")
    args = parser.parse_args()
    floor_script = tempfile.NamedTemporaryFile("w", suffix=".sh", delete=False)
    floor_script.write("stty raw -echo\necho READY\nexec cat\n")
    floor_script.close()
    for _ in range(args.rounds):
        for build in args.builds:
            label, binary = build.split("=", 1)
            sessions = tempfile.mkdtemp(prefix="pty-latency-")
            argv = [binary, "run", "-i", INTERVIEW, "--client", "bench", "--rater", "bench", "--role", "bench", "--sessions", sessions]
            for scenario, keys in SCENARIOS.items():
                print(json.dumps(summary(label, scenario, measure(argv, b"Benchmark symptom 1", keys, args.keys))), flush=True)
            if args.launches:
                times = [launch(argv, b"Benchmark symptom 1") for _ in range(args.launches)]
                print(json.dumps(summary(label, "launch", times)), flush=True)
            shutil.rmtree(sessions, ignore_errors=True)
        print(json.dumps(summary("floor", "cat", measure(["sh", floor_script.name], b"READY", [b"x", b"y"], args.keys))), flush=True)
    os.unlink(floor_script.name)


if __name__ == "__main__":
    main()
