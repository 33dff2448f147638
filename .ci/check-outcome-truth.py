"""Checks an outcome report (--json) against what clinterview-bench
service-year put in (truth.json): every client, every figure.
Usage: python3 check-outcome-truth.py TRUTH.json OUTCOME.json
Exit 0 when all agree; else prints each difference."""
import json
import sys

truth = json.load(open(sys.argv[1]))["clients"]
report = json.load(open(sys.argv[2]))
problems = []


def check(what, got, want):
    if got != want:
        problems.append(f"{what}: the report says {got!r}, the generator put in {want!r}")


clients = {c["client"]: c for c in report["per_client"]}
check("clients in the report", sorted(clients), sorted(truth))
for cid, t in truth.items():
    c = clients.get(cid)
    if c is None:
        continue
    check(f"{cid} followed up", c["follow_up"] is not None, t["followed_up"])
    check(f"{cid} episode status", c["episode_status"], t["episode_status"])
    check(f"{cid} intake roles", c["intake_roles"], [t["intake_role"]])
    check(f"{cid} had a diagnosis at intake", c["had_diagnosis"], True)
    check(f"{cid} case at intake", c["case_at_intake"], True)
    if t["followed_up"]:
        check(f"{cid} lost every diagnosis", c["lost_every_diagnosis"], t["recovered"])
        check(f"{cid} recovered by questionnaire", c["questionnaires"]["recovered"], t["recovered"])
        check(f"{cid} independent blind follow-up", c["independent_blind_follow_up"], t["independent_blind"])
    else:
        check(f"{cid} lost every diagnosis", c["lost_every_diagnosis"], None)

n = len(truth)
followed = [t for t in truth.values() if t["followed_up"]]
recovered = [t for t in followed if t["recovered"]]
independent = [t for t in followed if t["independent_blind"]]
s = report["summary"]


def proportion(p):
    return (p["count"], p["of"])


check("clients assessed", report["clients"], n)
check("clients followed up", report["followed_up"], len(followed))
reasons = {}
for t in truth.values():
    if not t["followed_up"]:
        reason = t["episode_status"] or "no status recorded"
        reasons[reason] = reasons.get(reason, 0) + 1
check("without a follow-up, by reason", report["without_follow_up"], reasons)
check("recovered, followed up", proportion(s["recovered"]["followed_up"]), (len(recovered), len(followed)))
check("recovered, everyone", proportion(s["recovered"]["everyone"]), (len(recovered), n))
check("lost, followed up", proportion(s["lost_every_diagnosis"]["followed_up"]), (len(recovered), len(followed)))
check("lost, everyone", proportion(s["lost_every_diagnosis"]["everyone"]), (len(recovered), n))
check(
    "lost, independent blind",
    proportion(s["lost_by_independent_blind_assessor"]),
    (len([t for t in independent if t["recovered"]]), len(independent)),
)
check(
    "lost, other assessments",
    proportion(s["lost_by_other_assessment"]),
    (len([t for t in followed if t["recovered"] and not t["independent_blind"]]), len(followed) - len(independent)),
)
roles = {}
for t in truth.values():
    roles[t["intake_role"]] = roles.get(t["intake_role"], 0) + 1
check("intake diagnoses by role", s["intake_diagnoses_by_role"], roles)

# Fidelity: the rushed assessor's sessions, and only theirs, were implausibly
# quick, with modules in under half their expected time.
fidelity = report["fidelity"]
for name, a in json.load(open(sys.argv[1])).get("assessors", {}).items():
    f = fidelity.get(name)
    if f is None:
        continue
    check(f"{name} flagged implausibly quick", f["implausibly_quick_sessions"] > 0, a["rushed"])
    check(f"{name} unfinished sessions", f["unfinished"], 0)
    check(f"{name} has modules in under half their expected time", bool(f["hurried_modules"]), a["rushed"])
for p in problems[:40]:
    print(p)
print(f"{len(problems)} differences over {n} clients")
sys.exit(1 if problems else 0)
