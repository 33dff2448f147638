#!/usr/bin/env python3
"""End-to-end tests of the terminal interface in a real terminal (tmux, 80x24).

Usage: tui_test.py CLINTERVIEW_BINARY
Each check prints ok/FAILED; the last line is 'N passed, M failed'.
"""
import json, os, re, shutil, subprocess, sys, tempfile, time

binary = os.path.abspath(sys.argv[1])
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
work = tempfile.mkdtemp(prefix="clinterview-tui-")
sessions = os.path.join(work, "sessions")
socket = "clinterview-e2e-%d" % os.getpid()
passed = failed = 0


def check(condition, what, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print("ok:", what)
    else:
        failed += 1
        print("FAILED:", what)
        if detail:
            print("  | " + detail.replace("\n", "\n  | "))


def tmux(*args):
    return subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True)


def stop_server():
    # kill-server returns before the server is gone; a new session started at
    # once can attach to the dying server and vanish with it.
    tmux("kill-server")
    for _ in range(100):
        if tmux("list-sessions").returncode != 0:
            return
        time.sleep(0.05)


def start(command, width=80, height=24):
    stop_server()
    script = os.path.join(work, "run.sh")
    if os.path.exists(os.path.join(work, "stty.txt")):
        os.remove(os.path.join(work, "stty.txt"))
    # The wrapper shell catches Ctrl-C (a handler, which exec resets) so that it
    # outlives the program and can report its exit code and the terminal modes.
    with open(script, "w") as f:
        f.write("trap 'true' INT\ncd %s\nexport LANG=C.UTF-8 TERM=xterm-256color\n%s\necho EXIT=$?\nstty -a > %s/stty.txt\nsleep 60\n" % (root, command, work))
    for _ in range(5):
        tmux("new-session", "-d", "-x", str(width), "-y", str(height), "-s", "e2e", "sh " + script)
        time.sleep(0.1)
        if tmux("has-session", "-t", "e2e").returncode == 0:
            return
        stop_server()
    print("could not start a tmux session")


def screen():
    return tmux("capture-pane", "-p", "-t", "e2e").stdout


def wait_for(pattern, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = screen()
        if re.search(pattern, text):
            return text
        time.sleep(0.05)
    return None


def settle(before, timeout=2.0):
    """Waits until the screen differs from `before` and then holds still for
    two captures: the frame after a key is drawn. A key that changes nothing
    on the screen waits out `timeout`."""
    deadline = time.monotonic() + timeout
    last = before
    while time.monotonic() < deadline:
        text = screen()
        if text != before and text == last:
            return text
        last = text
        time.sleep(0.02)
    return last


def keys(*sequence):
    for key in sequence:
        before = screen()
        tmux("send-keys", "-t", "e2e", key)
        settle(before)


def wait_until(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def run_command(*args):
    return subprocess.run([binary, *args], capture_output=True, text=True, cwd=root)


def run_args(client):
    return "%s run -i phq9 --client %s --rater 'E2E Tester' --role PWP --sessions %s" % (binary, client, sessions)


# 1. A whole PHQ-9 with keys; the summary shows the right total and band.
start(run_args("whole"))
check(wait_for(r"Over the last 2 weeks") is not None, "the first screen shows the PHQ-9 stem", screen())
keys("Enter")
for answer in "123210123":
    keys(answer)
text = wait_for(r"URGENT")
check(text is not None, "item 9 above 0 raises an urgent banner", screen())
keys("2")
check(wait_for(r"phq9_difficulty") is not None, "an urgent alert blocks answers until acknowledged", screen())
keys("A", "2")
text = wait_for(r"End of the interview: results")
check(text is not None and "PHQ-9 total (LOINC 44261-6): 15 (moderately severe)" in text,
      "the summary shows the total 15 and its band", screen())
keys("C")
text = wait_for(r"EXIT=0")
check(text is not None and "completed and saved" in text.replace("\n", ""), "completing exits 0 and says where the session is", screen())

# 2. Kill -9 halfway, then resume with every answer intact.
start(run_args("killed"))
wait_for(r"Over the last 2 weeks")
keys("Enter", "3", "2", "1", "0")
wait_for(r"4/10")
subprocess.run(["pkill", "-9", "-f", "^%s run -i phq9 --client killed" % re.escape(binary)])
wait_until(lambda: subprocess.run(["pgrep", "-f", "client killed"], capture_output=True).returncode != 0)
journal = [f for f in os.listdir(sessions) if "killed" in f and f.endswith(".jsonl")]
check(len(journal) == 1, "the killed session has a journal")
session_id = journal[0][:-len(".jsonl")] if journal else "missing"
start("%s run --resume %s --sessions %s" % (binary, session_id, sessions))
text = wait_for(r"phq9_5")
check(text is not None and "4/10" in text, "resuming continues at item 5 with 4 answers", screen())
keys("Left")
text = wait_for(r"Recorded: 0")
check(text is not None, "the answer given before the kill is there (item 4: 0)", screen())
keys("q")
wait_for(r"EXIT=0")
exported = run_command("export-answers", session_id, "--sessions", sessions)
answers = json.loads(exported.stdout)["answers"] if exported.returncode == 0 else {}
check(answers == {"phq9_1": "3", "phq9_2": "2", "phq9_3": "1", "phq9_4": "0"}, "every acknowledged answer is in the journal", exported.stdout + exported.stderr)
check(run_command("verify", session_id, "--sessions", sessions).returncode == 0, "the resumed journal verifies")

# 3. Resizing at any moment redraws correctly.
start(run_args("resized"))
wait_for(r"Over the last 2 weeks")
keys("Enter", "1")
tmux("resize-window", "-t", "e2e", "-x", "60", "-y", "20")
check(wait_for(r"too small") is not None, "below 80x24 the screen asks to enlarge the terminal", screen())
tmux("resize-window", "-t", "e2e", "-x", "120", "-y", "40")
text = wait_for(r"Diagnoses this item bears on")
check(text is not None and "phq9_2" in text, "at 120 columns the side panel appears, on the same item", screen())
tmux("resize-window", "-t", "e2e", "-x", "80", "-y", "24")
text = wait_for(r"phq9_2")
check(text is not None and "Diagnoses this item bears on" not in text and max(len(line) for line in text.splitlines()) <= 80,
      "back at 80x24 the layout fits again", screen())
keys("2")
check(wait_for(r"phq9_3") is not None, "answering goes on after resizing", screen())

# 4. Ctrl-C saves, restores the terminal and exits 130.
keys("C-c")
text = wait_for(r"EXIT=130")
check(text is not None and "Continue it with" in text.replace("\n", ""), "Ctrl-C exits 130 and says how to resume", screen())
wait_until(lambda: os.path.exists(os.path.join(work, "stty.txt")) and os.path.getsize(os.path.join(work, "stty.txt")) > 0)
modes = open(os.path.join(work, "stty.txt")).read() if os.path.exists(os.path.join(work, "stty.txt")) else ""
check(re.search(r"(^|\s)icanon(\s|$)", modes) and re.search(r"(^|\s)echo(\s|$)", modes), "the terminal is back in normal mode (icanon, echo)", modes)
contents = [f for f in os.listdir(sessions) if "resized" in f and f.endswith(".jsonl")]
types = [json.loads(line)["type"] for line in open(os.path.join(sessions, contents[0]))] if contents else []
check(types[-1:] == ["paused"] and types.count("answer") == 2, "the journal holds both answers and the pause", str(types))

# 4b. The start screen offers a client's open session: Ctrl-R continues it.
start(run_args("reopen"))
wait_for(r"Over the last 2 weeks")
keys("Enter", "1")
wait_for(r"1/10")
keys("q")
wait_for(r"EXIT=0")
start("%s run -i phq9 --rater 'E2E Tester' --role PWP --sessions %s" % (binary, sessions))
wait_for(r"Client id")
keys("reopen", "Enter")
check(wait_for(r"has a session open") is not None, "the start screen points out the client's open session", screen())
keys("C-r")
text = wait_for(r"phq9_2")
check(text is not None and "1/10" in text, "Ctrl-R continues it where it stopped", screen())
keys("q")

# 5. SIGTERM also saves and restores.
start(run_args("termed"))
wait_for(r"Over the last 2 weeks")
keys("Enter", "1")
wait_for(r"1/10")
subprocess.run(["pkill", "-TERM", "-f", "^%s run -i phq9 --client termed" % re.escape(binary)])
text = wait_for(r"EXIT=143")
check(text is not None, "SIGTERM exits 143 after saving", screen())

# 6. No usable terminal: exit 2 with a message, never garbage.
result = subprocess.run([binary, "run", "-i", "phq9", "--client", "x", "--rater", "y", "--role", "z", "--sessions", sessions],
                        stdin=subprocess.DEVNULL, capture_output=True, text=True, cwd=root)
check(result.returncode == 2 and "interactive terminal" in result.stderr and "\x1b" not in result.stdout, "without a terminal: exit 2 and a message", result.stderr)
start("TERM=dumb " + run_args("dumb"))
text = wait_for(r"EXIT=2")
check(text is not None and "TERM is 'dumb'" in text, "TERM=dumb: exit 2 and what to do", screen())
start("LANG=C LC_ALL=C " + run_args("latin"))
text = wait_for(r"EXIT=2")
check(text is not None and "not UTF-8" in text, "a non-UTF-8 locale: exit 2 and what to do", screen())
start("LC_ALL=xx_XX.UTF-8 " + run_args("uninstalled"))
text = wait_for(r"EXIT=2")
check(text is not None and "not installed" in text.replace("\n", " "), "a UTF-8 locale that is not installed: exit 2, named as not installed", screen())

# 7. Without colours (vt100) selection still shows, in reverse video.
start("TERM=vt100 " + run_args("mono"))
wait_for(r"Over the last 2 weeks")
keys("Enter", "Down")
styled = tmux("capture-pane", "-p", "-e", "-t", "e2e").stdout
check("\x1b[7m" in styled, "on vt100 the highlighted option is in reverse video", styled[:400])
keys("q")

# 8. Closing the terminal ends the program: the session is paused, nothing spins.
start(run_args("closed"))
wait_for(r"Over the last 2 weeks")
keys("Enter", "1")
wait_for(r"1/10")
stop_server()
deadline = time.monotonic() + 5
while time.monotonic() < deadline and subprocess.run(["pgrep", "-f", "client closed"], capture_output=True).returncode == 0:
    time.sleep(0.1)
still = subprocess.run(["pgrep", "-f", "client closed"], capture_output=True).returncode == 0
check(not still, "closing the terminal ends the program (no busy loop)")
if still:
    subprocess.run(["pkill", "-9", "-f", "client closed"])
closed = [f for f in os.listdir(sessions) if "closed" in f and f.endswith(".jsonl")]
types = [json.loads(line)["type"] for line in open(os.path.join(sessions, closed[0]))] if closed else []
check(types[-2:] == ["answer", "paused"], "the closed session kept its answer and was paused", str(types))

# 9. Every frame reaches the terminal in one write: a frame sent in pieces is
# drawn by the terminal piece by piece (ncurses writes after each cursor
# movement until curses has once been suspended and resumed).
trace = os.path.join(work, "frames.strace")
if shutil.which("strace") is None:
    check(False, "strace is needed to see the frames' writes (apt-get install strace)")
else:
    start("strace -f -qq -e trace=read,write,poll,ppoll,pselect6 -e signal=none -o %s %s" % (trace, run_args("frames")))
    wait_for(r"Over the last 2 weeks")
    keys("Enter", "1", "2", "Down", "Up", "3")
    wait_for(r"3/10")
    keys("q")
    wait_for(r"EXIT=0")
    events = []
    for line in open(trace):
        match = re.match(r"(\d+) +(\w+)\((\d+)?", line)
        if match:
            events.append((match.group(1), match.group(2), match.group(3)))
    main = events[0][0] if events else None
    calls = [(name, fd) for pid, name, fd in events if pid == main]
    reads = [i for i, (name, fd) in enumerate(calls) if name == "read" and fd == "0"]
    pieces, frames, run = [], 0, 0
    # Between the first key and the last (q, whose exit writes as it likes).
    for name, fd in calls[reads[0]:reads[-1]] if len(reads) > 1 else []:
        if name == "write" and fd == "1":
            run += 1
        elif name in ("read", "poll", "ppoll", "pselect6"):
            if run:
                frames += 1
                pieces.append(run)
            run = 0
    check(frames >= 6 and max(pieces) == 1, "every frame after a key is one write to the terminal",
          "writes per frame: %s" % pieces)

stop_server()
shutil.rmtree(work, ignore_errors=True)
print("terminal end-to-end: %d passed, %d failed" % (passed, failed))
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
