"""A worker written from docs/contract.md alone, in another language: reads job message bodies
(one JSON object per line on stdin) and writes the result message bodies (one per line on stdout).

Task "square" squares a number; any other input fails the job. With --sloppy it makes the
mistakes a careless client might (an error whose name is a number, a version 2 result without its
start time), so the collector's refusal can be seen. With --raw it writes non-ASCII characters as
they are (UTF-8), as SQS allows them (#x10000 to #x10FFFF, emoji, included), not as escapes, and
an error message quotes the input.
"""
import json
import sys
import time

sloppy = "--sloppy" in sys.argv
raw = "--raw" in sys.argv

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
            message_text = f"square needs a number (given {json.dumps(x, ensure_ascii=False)})" if raw else "square needs a number"
            result = {"id": job["id"], "ok": False, "error": {"name": 7 if sloppy else "TypeError", "message": message_text}}
        if not sloppy:
            result["started"] = started
        result["ms"] = max(0.0, time.time() * 1000 - started)
        results.append(result)
    reply = {"v": 2, "run": message["run"], "worker": "python-worker", "cold": False, "attempt": 1, "results": results}
    # ensure_ascii escapes every non-ASCII character, surrogates included: the contract's escaping rule is
    # met. Without it (--raw), characters go as they are, which SQS accepts too (docs/contract.md).
    print(json.dumps(reply, ensure_ascii=not raw, separators=(",", ":")), flush=True)
