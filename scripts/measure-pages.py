#!/usr/bin/env python3
"""Times the dashboard's pages served by `DashboardFunction --serve`, one request at a time as one Lambda
environment takes them: for each page, N requests, then requests a second, p50 and p95; at the end the server's
peak memory. Used by scripts/bench (dashboard, year).

    measure-pages.py BINARY LOG REQUESTS NAME=PATH...
"""
import http.client, resource, statistics, subprocess, sys, time

binary, log, requests = sys.argv[1], sys.argv[2], int(sys.argv[3])
pages = [argument.split("=", 1) for argument in sys.argv[4:]]
server = subprocess.Popen([binary, "--serve", "127.0.0.1:0"], stdout=subprocess.PIPE, stderr=open(log, "w"))
line = server.stdout.readline().decode().strip()
if not line.startswith("serving http://"):
    server.kill()
    sys.exit("DashboardFunction did not start; see " + log)
host, port = line[len("serving http://"):].split(":")


def get(path):
    connection = http.client.HTTPConnection(host, int(port), timeout=300)
    started = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    if response.status != 200:
        raise SystemExit(f"{path}: status {response.status}")
    return elapsed, len(body)


results = []
try:
    get("/")  # the first request connects and checks the schema
    for name, path in pages:
        times = []
        for index in range(requests):
            elapsed, size = get(path)
            times.append(elapsed)
            print(f"\r   {name}: {index + 1}/{requests}", end="", flush=True)
        times.sort()
        p50 = statistics.median(times)
        p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
        print(f"\r   {name:34s} {requests:3d} requests: {len(times) / sum(times):6.2f} req/s, "
              f"p50 {p50 * 1000:7.1f} ms, p95 {p95 * 1000:7.1f} ms, {size / 1024:.0f} KiB")
        results.append((name, p95))
finally:
    server.terminate()
    server.wait()
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
worst = max(results, key=lambda result: result[1])
print(f"summary: slowest p95 {worst[1] * 1000:.0f} ms ({worst[0]}); DashboardFunction peak memory {peak:.0f} MiB")
