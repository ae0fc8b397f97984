"""Wait until CreditCheck's /healthz reports every part healthy.

    python deploy/wait_healthy.py http://127.0.0.1:8000/healthz [--timeout 300] [--pid PID]

Exits 0 once the endpoint answers 200 with status "ok" (database, broker, cache and every
platform circuit), printing that answer; 1 when the timeout passes first or when process PID
(the `make prod-local` being waited for) ends first. Standard library only, so that any
Python 3 runs it.
"""

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

POLL_SECONDS = 1.0


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    try:  # an ended process its parent has not collected yet is a zombie ("Z"), not alive
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc: signal 0 is the best answer there is
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def probe(url: str) -> tuple[bool, str]:
    """(healthy, what was seen) for one request."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (our own URL)
            body = response.read().decode()
    except urllib.error.HTTPError as exc:
        return False, f"HTTP {exc.code}: {exc.read().decode(errors='replace')[:500]}"
    except (OSError, ValueError) as exc:
        return False, str(exc)
    try:
        status = json.loads(body).get("status")
    except ValueError:
        return False, f"not JSON: {body[:200]}"
    return status == "ok", body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds (default 300)")
    parser.add_argument("--pid", type=int, help="give up as soon as this process ends")
    args = parser.parse_args(argv)
    deadline = time.monotonic() + args.timeout
    seen = "no answer yet"
    while time.monotonic() < deadline:
        if args.pid is not None and not alive(args.pid):
            print(f"wait_healthy: process {args.pid} ended; last seen: {seen}", file=sys.stderr)
            return 1
        healthy, seen = probe(args.url)
        if healthy:
            print(seen)
            return 0
        time.sleep(POLL_SECONDS)
    message = f"{args.url} not healthy after {args.timeout:.0f} s: {seen}"
    print(f"wait_healthy: {message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
