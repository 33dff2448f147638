#!/usr/bin/env python3
"""Kill a journaled session with SIGKILL at many random moments; every time,
resuming must keep every acknowledged answer, and verify must pass.

Usage: crash_test.py CLINTERVIEW_BINARY [ITERATIONS]
Prints 'N passed, M failed' and exits 1 on any failure.
"""
import json, os, random, shutil, signal, subprocess, sys, tempfile, time

binary = sys.argv[1]
iterations = int(sys.argv[2]) if len(sys.argv) > 2 else 60
random.seed(20261127)

work = tempfile.mkdtemp(prefix="clinterview-crash-")
items = [{"id": f"Q{i}", "kind": "rating", "prompt": f"Question {i}"} for i in range(250)]
definition = {"format": "clinterview/1", "id": "crash", "version": "1", "title": "Crash test",
              "modules": [{"id": "m", "title": "M", "sections": [{"id": "s", "title": "S", "items": items}]}]}
answers = {f"Q{i}": str(1 + i % 3) for i in range(250)}
definition_path = os.path.join(work, "crash.json")
answers_path = os.path.join(work, "answers.json")
json.dump(definition, open(definition_path, "w"))
json.dump({"client": "crash-client", "rater": "tester", "role": "tester", "answers": answers}, open(answers_path, "w"))

def run(*args):
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=120)

# How long an uninterrupted session takes, to spread the kills over it.
start = time.monotonic()
full = run("record", "-i", definition_path, "-a", answers_path, "--sessions", os.path.join(work, "timing"))
duration = time.monotonic() - start
assert full.returncode == 0, full.stderr

passed = failed = 0
killed_after = []
for iteration in range(iterations):
    sessions = os.path.join(work, f"s{iteration}")
    # Every other session fsyncs in the background, as the terminal does: "ack"
    # once an answer is written, the fsync waited for before the next answer.
    flush = ["--background-flush"] if iteration % 2 else []
    process = subprocess.Popen([binary, "record", "-i", definition_path, "-a", answers_path, "--sessions", sessions, *flush],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(random.uniform(0, duration * 1.1))
    process.send_signal(signal.SIGKILL)
    out, _ = process.communicate()
    acknowledged = [line.split()[1] for line in out.splitlines() if line.startswith("ack ")]
    killed_after.append(len(acknowledged))
    journals = [f for f in os.listdir(sessions) if f.endswith(".jsonl")] if os.path.isdir(sessions) else []
    problems = []
    if not journals:
        if acknowledged:
            problems.append("answers were acknowledged but there is no journal")
    else:
        journal = os.path.join(sessions, journals[0])
        before = run("verify", journal)
        if before.returncode != 0 and "cut off mid-write" not in before.stdout:
            problems.append("after the kill, verify found more than a cut-off record: " + before.stdout.strip())
        resumed = run("record", "--resume", journal, "-i", definition_path, "-a", answers_path, "--sessions", sessions)
        if resumed.returncode != 0:
            problems.append("resume failed: " + resumed.stderr.strip())
        after = run("verify", journal)
        if after.returncode != 0:
            problems.append("verify failed after resume: " + after.stdout.strip())
        exported = run("export-answers", journal)
        if exported.returncode != 0:
            problems.append("export failed: " + exported.stderr.strip())
        else:
            got = json.loads(exported.stdout)["answers"]
            lost = [item for item in acknowledged if got.get(item) != answers[item]]
            if lost:
                problems.append(f"acknowledged answers lost or changed: {lost[:5]}")
            if len(got) != len(answers):
                problems.append(f"after resuming, {len(got)} of {len(answers)} answers are recorded")
    if problems:
        failed += 1
        print(f"iteration {iteration} (killed after {len(acknowledged)} acknowledged answers): " + "; ".join(problems))
    else:
        passed += 1

print(f"crash test: killed {iterations} sessions at random moments over {duration:.2f} s, after {min(killed_after)} to {max(killed_after)} of {len(answers)} answers")
print(f"{passed} passed, {failed} failed")
# The sessions are kept for inspection only when something failed.
if failed:
    print(f"the killed sessions are in {work}")
else:
    shutil.rmtree(work, ignore_errors=True)
sys.exit(1 if failed else 0)
