"""Overhead of each adapter over a raw HTTP round trip to its sandbox.

For every platform, in one run: the median time of `adapter.consult()` of a clean document and the
median time of a raw HTTP request carrying exactly the bytes the adapter sent (captured by the
sandbox), both against the sandbox at 0 ms latency. Prints one line per platform, then
`RATIO provider_overhead=<max adapter/raw> target=2.0`.

    .venv/bin/python bench/providers.py [--rounds 200]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from providers.base import ConsultRequest, PersonType, ProviderConfig
from providers.registry import all_keys, build_adapter
from providers.sandbox.scenarios import CLEAN_CPF
from providers.sandbox.server import serve_in_thread
from providers.sandbox.wsgi import Request


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    sandbox = serve_in_thread()
    credentials = requests.get(f"{sandbox.url}/sandbox/scenarios", timeout=5).json()["credentials"]
    ratios = {}
    try:
        for key in sorted(all_keys()):
            adapter = build_adapter(
                key,
                ProviderConfig(base_url=f"{sandbox.url}/{key}", credentials=credentials[key]),
            )
            request = ConsultRequest(document=CLEAN_CPF, person_type=PersonType.PERSON)
            adapter.consult(request)  # warm-up: tokens, connections, imports
            captured = sandbox.state.last_requests[key]
            assert isinstance(captured, Request)
            url = f"{sandbox.url}/{key}{captured.path}"
            headers = {
                k: v for k, v in captured.headers.items() if k not in ("host", "content-length")
            }
            session = requests.Session()
            session.trust_env = False
            adapter_times, raw_times = [], []
            for _ in range(args.rounds):  # interleaved, so drift hits both sides alike
                sandbox.state.balances.clear()  # prepaid sandboxes start full again (untimed)
                started = time.perf_counter()
                adapter.consult(request)
                adapter_times.append(time.perf_counter() - started)
                started = time.perf_counter()
                raw = session.request(
                    captured.method, url, data=captured.body, headers=headers, timeout=10
                )
                raw.content  # noqa: B018 - read the whole body, as the adapter does
                raw_times.append(time.perf_counter() - started)
            adapter_ms, raw_ms = _median_ms(adapter_times), _median_ms(raw_times)
            ratios[key] = adapter_ms / raw_ms
            print(
                f"{key:16s} adapter.consult median {adapter_ms:7.3f} ms   "
                f"raw HTTP median {raw_ms:7.3f} ms   ratio {ratios[key]:.2f}"
            )
    finally:
        sandbox.stop()
    worst = max(ratios.values())
    print(f"RATIO provider_overhead={worst:.2f} target=2.0")
    return 0


if __name__ == "__main__":
    sys.exit(main())
