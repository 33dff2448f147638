"""The outcome report's text, CSV and HTML carry the numbers of its JSON.
Usage: python3 check-outcome-formats.py OUTCOME.json OUTCOME.txt OUTCOME.csv OUTCOME.html"""
import csv
import html
import json
import sys

report = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read()
rows = list(csv.DictReader(open(sys.argv[3], newline="")))
page = html.unescape(open(sys.argv[4]).read())
s = report["summary"]
problems = []


def need(where, body, fragment):
    if fragment not in body:
        problems.append(f"{where} lacks {fragment!r}")


def pair(p):
    return f"({p['count']} of {p['of']})"


need("text", text, f"{report['clients']} clients assessed at intake; {report['followed_up']} with a follow-up")
for key in ["recovered", "reliable_recovery", "reliable_improvement", "lost_every_diagnosis"]:
    need("text", text, pair(s[key]["followed_up"]))
    need("text", text, pair(s[key]["everyone"]))
need("text", text, f"judged by an independent blind assessor: ")
need("text", text, pair(s["lost_by_independent_blind_assessor"]))
for reason, count in report["without_follow_up"].items():
    need("text", text, f"  {reason}: {count}")
    need("html", page, f"{reason}")
for role, count in s["intake_diagnoses_by_role"].items():
    need("text", text, f"  {role}: {count}")
need("html", page, f"Outcomes: {report['clients']} clients assessed at intake")
for key in ["recovered", "lost_every_diagnosis"]:
    for group in ["followed_up", "everyone"]:
        need("html", page, f"{s[key][group]['count']} of {s[key][group]['of']}")
if len(rows) != report["clients"]:
    problems.append(f"CSV has {len(rows)} clients, JSON {report['clients']}")
if sum(r["followed_up"] == "true" for r in rows) != report["followed_up"]:
    problems.append("CSV's followed_up column disagrees with the JSON")
if sum(r["lost_every_diagnosis"] == "true" for r in rows) != s["lost_every_diagnosis"]["everyone"]["count"]:
    problems.append("CSV's lost_every_diagnosis column disagrees with the JSON")
rows_on_page = page.count('<tr class="client">')
if rows_on_page != report["clients"]:
    problems.append(f"the page's table has {rows_on_page} clients, JSON {report['clients']}")
for p in problems:
    print(p)
print(f"{len(problems)} differences")
sys.exit(1 if problems else 0)
