"""python -m providers.sandbox [--host 127.0.0.1] [--port 8700] [--latency-ms 0]"""

from __future__ import annotations

import argparse
import sys

from providers.sandbox.server import build_server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Sandboxes of the credit-bureau platforms.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8700)
    parser.add_argument("--latency-ms", type=int, default=0, help="steady latency of every call")
    args = parser.parse_args(argv)
    server, state = build_server(args.host, args.port)
    state.latency_ms["*"] = args.latency_ms
    print(
        f"Sandboxes das plataformas em http://{args.host}:{server.server_port}/ "
        "(cenários em /sandbox/scenarios)",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
