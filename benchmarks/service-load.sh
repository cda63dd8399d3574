#!/usr/bin/env bash
# Drives samples/InferenceService with real HTTP load (wrk) on loopback, with batching on and with "Enabled": false,
# at 1, 16, 64 and 256 connections, and writes the results to docs/benchmarks/service.md with a chart.
#
#   benchmarks/service-load.sh                  # 10 s per point after a 2 s warm-up: about 3 minutes on 2 cores
#   DURATION=30 benchmarks/service-load.sh      # longer points
#
# Reports, per point: requests/s, p50 and p99 latency, mean batch size (from the service's Prometheus endpoint), and
# the service's CPU time per request (from /proc). Only 127.0.0.1 is used, and every run is bounded in time.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
duration="${DURATION:-10}"
warmup="${WARMUP:-2}"
port="${PORT:-5088}"
connections=(${CONNECTIONS:-1 16 64 256})
scorer="InferenceService.SentimentScorer.ScoreBatch"
url="http://127.0.0.1:${port}"
results="${root}/docs/benchmarks/service-load.csv"
work="$(mktemp -d)"
service_pid=
stop_service() { if [ -n "$service_pid" ]; then kill -TERM "$service_pid" 2>/dev/null || true; fi; }
trap 'stop_service; rm -rf "$work"' EXIT

if ! command -v wrk >/dev/null; then
  echo "Installing wrk from the Debian packages..."
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq wrk >/dev/null; fi
fi

echo "Building the service in Release..."
dotnet build "${root}/samples/InferenceService" -c Release -v quiet -nologo --disable-build-servers >/dev/null
service_dll="${root}/samples/InferenceService/bin/Release/net10.0/InferenceService.dll"
ticks_per_second="$(getconf CLK_TCK)"

# The service's CPU time so far, in clock ticks (user + system), from /proc/<pid>/stat.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# The scorer's batch-size histogram: "<sum> <count>" from the Prometheus endpoint.
batch_sizes() {
  curl -s "${url}/metrics" | awk -v name="microbatching_batcher_name=\"${scorer}\"" '
    index($0, name) && /^microbatching_batch_size_items_sum|^microbatching_batch_size_sum/ { sum += $NF }
    index($0, name) && /^microbatching_batch_size_items_count|^microbatching_batch_size_count/ { count += $NF }
    END { printf "%d %d\n", sum, count }'
}

# Converts wrk's latency ("812.00us", "3.21ms", "1.02s") to milliseconds.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'; }

echo "mode,connections,requests_per_second,p50_ms,p99_ms,mean_batch_size,cpu_ms_per_request,requests,errors" > "$results"
for mode in batched unbatched; do
  enabled=true; [ "$mode" = unbatched ] && enabled=false
  # The content root is the build output, so the service reads its own appsettings.json there.
  dotnet "$service_dll" --urls "$url" --contentRoot "$(dirname "$service_dll")" --Logging:LogLevel:Default=Warning \
    --Logging:LogLevel:InferenceService=Information --Model:MeasureAtStartup=true \
    "--MicroBatching:Batchers:${scorer}:Enabled=${enabled}" > "${work}/${mode}.log" 2>&1 &
  service_pid=$!
  for _ in $(seq 1 120); do curl -sf "${url}/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
  curl -sf "${url}/healthz" >/dev/null || { cat "${work}/${mode}.log"; echo "The service did not start." >&2; exit 1; }
  # Long enough for the JIT's second tier, so the first point is not measured on cold code.
  wrk -t2 -c16 -d5s -s "${root}/benchmarks/service-load/reviews.lua" "${url}/v1/sentiment" >/dev/null

  for c in "${connections[@]}"; do
    threads=$(( c < 2 ? 1 : 2 ))
    wrk -t"$threads" -c"$c" -d"${warmup}s" -s "${root}/benchmarks/service-load/reviews.lua" "${url}/v1/sentiment" >/dev/null
    read -r sum_before count_before < <(batch_sizes)
    cpu_before="$(cpu_ticks "$service_pid")"
    wrk -t"$threads" -c"$c" -d"${duration}s" --timeout 10s --latency -s "${root}/benchmarks/service-load/reviews.lua" \
      "${url}/v1/sentiment" > "${work}/wrk.txt"
    cpu_after="$(cpu_ticks "$service_pid")"
    read -r sum_after count_after < <(batch_sizes)

    requests="$(awk '/requests in/ { print $1 }' "${work}/wrk.txt")"
    rps="$(awk '/^Requests\/sec/ { print $2 }' "${work}/wrk.txt")"
    p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' "${work}/wrk.txt")")"
    p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' "${work}/wrk.txt")")"
    errors="$(awk '/Non-2xx/ { n += $NF } /Socket errors/ { gsub(/[^0-9 ]/, " "); for (i = 1; i <= NF; i++) n += $i } END { print n + 0 }' "${work}/wrk.txt")"
    batch="$(awk -v s=$((sum_after - sum_before)) -v n=$((count_after - count_before)) 'BEGIN { printf "%.1f", n ? s / n : 0 }')"
    cpu="$(awk -v t=$((cpu_after - cpu_before)) -v r="$requests" -v hz="$ticks_per_second" 'BEGIN { printf "%.3f", r ? t * 1000 / hz / r : 0 }')"
    echo "${mode},${c},${rps},${p50},${p99},${batch},${cpu},${requests},${errors}" | tee -a "$results"
  done

  model_line="$(grep -o 'The model on this machine.*' "${work}/${mode}.log" | head -1 || true)"
  [ -n "$model_line" ] && echo "$model_line" > "${work}/model.txt"
  kill -TERM "$service_pid"
  wait "$service_pid" && echo "${mode}: the service stopped cleanly on SIGTERM." || echo "${mode}: the service exited with $? on SIGTERM."
  service_pid=
done

dotnet run -c Release --project "${root}/benchmarks/MicroBatching.Benchmarks" -- service-report "$results" "$(cat "${work}/model.txt" 2>/dev/null || true)"
