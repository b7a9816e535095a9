"""A worker written from docs/contract.md alone, in another language: reads job message bodies
(one JSON object per line on stdin) and writes the result message bodies (one per line on stdout).

Task "square" squares a number; any other input fails the job. With --sloppy it makes the
mistakes a careless client might (an error whose name is a number, a version 2 result without its
start time), so the collector's refusal can be seen.
"""
import json
import sys
import time

sloppy = "--sloppy" in sys.argv

for line in sys.stdin:
    message = json.loads(line)
    assert message["v"] in (1, 2) and message["task"] == "square"
    results = []
    for job in message["jobs"]:
        started = time.time() * 1000
        x = job["input"]
        if isinstance(x, (int, float)) and not isinstance(x, bool):
            result = {"id": job["id"], "ok": True, "output": x * x}
        else:
            result = {"id": job["id"], "ok": False, "error": {"name": 7 if sloppy else "TypeError", "message": "square needs a number"}}
        if not sloppy:
            result["started"] = started
        result["ms"] = max(0.0, time.time() * 1000 - started)
        results.append(result)
    reply = {"v": 2, "run": message["run"], "worker": "python-worker", "cold": False, "attempt": 1, "results": results}
    # ensure_ascii escapes every non-ASCII character, surrogates included: the contract's escaping rule is met.
    print(json.dumps(reply, ensure_ascii=True, separators=(",", ":")), flush=True)
