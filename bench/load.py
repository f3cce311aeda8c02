"""A small HTTP load client for `make bench`: GETs one URL from several threads on
loopback, bounded in requests and time, and prints JSON (requests/s, p50, p95, errors).
Run as its own process so the server's CPU time is not shared with the client's GIL."""

import argparse
import http.client
import json
import statistics
import threading
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--cookie", default="")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--seconds", type=float, default=15.0)
    args = parser.parse_args()

    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[int] = []
    issued = 0
    deadline = time.perf_counter() + args.seconds
    headers = {"Cookie": args.cookie} if args.cookie else {}

    def worker() -> None:
        nonlocal issued
        while True:
            with lock:
                if issued >= args.requests or time.perf_counter() > deadline:
                    return
                issued += 1
            started = time.perf_counter()
            conn = http.client.HTTPConnection(args.host, args.port, timeout=30)
            try:
                conn.request("GET", args.path, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except OSError:
                status = 0
            finally:
                conn.close()
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if status != 200:
                    errors.append(status)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    ordered = sorted(latencies)
    print(
        json.dumps(
            {
                "requests": len(latencies),
                "errors": len(errors),
                "statuses": sorted(set(errors)),
                "seconds": wall,
                "rps": len(latencies) / wall if wall else 0.0,
                "p50_ms": 1000 * statistics.median(ordered) if ordered else None,
                "p95_ms": 1000 * ordered[max(0, int(0.95 * len(ordered)) - 1)] if ordered else None,
            }
        )
    )


if __name__ == "__main__":
    main()
