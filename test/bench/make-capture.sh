#!/usr/bin/env bash
# Generates a large SIP capture for the benchmark with SIPp on loopback.
#
#   test/bench/make-capture.sh CALLS OUT.pcap [--rate CPS] [--verify]
#   e.g. test/bench/make-capture.sh 50000 bench-data/calls-50k.pcap
#
# CALLS calls in fixed proportions, placed by three SIPp callers against three SIPp
# callees at the same time (scenarios from test/fixtures/sipp/):
#   60 % answered, caller hangs up after 1 s   answered-uac.xml -> answered-uas.xml  ports 5211 -> 5210
#   20 % busy, 486 Busy Here                   rejected-uac.xml -> busy-486-uas.xml  ports 5213 -> 5212
#   20 % cancelled 300 ms after 180 Ringing    cancel-uac.xml   -> cancel-uas.xml    ports 5215 -> 5214
# The three callers share the total rate (default 1000 calls/s) in the same proportions,
# so they run for the same time. dumpcap records all six ports to OUT.pcap (classic
# pcap) with a 512 MB buffer and the run fails if it dropped anything.
# Writes OUT.pcap.expected.json: SIPp's final counts of successful calls per kind and
# the number of SIP messages on the wire (messages per call by design, times the calls,
# plus every retransmission SIPp reports). --verify recounts the messages with tshark:
# about a minute for 10,000 calls, but tshark's SIP analysis slows down with size (more
# than 15 minutes for 50,000 calls), so verify a smaller run.
# On the 2-core build machine 50,000 calls at the default rate take about 55 s and give a
# 135 MB file of 320,000 messages; 2,000 calls/s still ran without a failed call.
# Needs root (capture on lo), sipp (Debian sip-tester), dumpcap, ss; tshark for --verify.
set -euo pipefail

usage() { echo "usage: $0 CALLS OUT.pcap [--rate CPS] [--verify]" >&2; exit 2; }
[[ $# -ge 2 ]] || usage
CALLS=$1
OUT=$2
shift 2
RATE=1000
VERIFY=0
while [[ $# -gt 0 ]]; do
  case $1 in
    --rate) RATE=${2:?}; shift 2 ;;
    --verify) VERIFY=1; shift ;;
    *) usage ;;
  esac
done
[[ $CALLS =~ ^[0-9]+$ && $CALLS -ge 10 ]] || { echo "CALLS must be a number >= 10" >&2; exit 2; }

SCENARIOS=$(cd "$(dirname "${BASH_SOURCE[0]}")/../fixtures/sipp" && pwd)
WORK_DIR=$(mktemp -d /tmp/sipscope-bench.XXXXXX)
mkdir -p "$(dirname "$OUT")"
OUT=$(cd "$(dirname "$OUT")" && pwd)/$(basename "$OUT")

# kind -> scenarios, ports, share of the calls (percent), SIP messages per call by design,
# extra caller options (-d: talk time for answered calls, ringing time before CANCEL).
KINDS=(answered busy cancelled)
declare -A UAC=([answered]=answered-uac.xml [busy]=rejected-uac.xml [cancelled]=cancel-uac.xml)
declare -A UAS=([answered]=answered-uas.xml [busy]=busy-486-uas.xml [cancelled]=cancel-uas.xml)
declare -A PORT=([answered]=5210 [busy]=5212 [cancelled]=5214)
declare -A SHARE=([answered]=60 [busy]=20 [cancelled]=20)
# answered: INVITE 100 180 200 ACK BYE 200; busy: INVITE 100 486 ACK;
# cancelled: INVITE 100 180 CANCEL 200 487 ACK
declare -A MESSAGES_PER_CALL=([answered]=7 [busy]=4 [cancelled]=7)
declare -A DELAY_MS=([answered]=1000 [busy]=0 [cancelled]=300)

declare -A COUNT
COUNT[answered]=$((CALLS * SHARE[answered] / 100))
COUNT[busy]=$((CALLS * SHARE[busy] / 100))
COUNT[cancelled]=$((CALLS - COUNT[answered] - COUNT[busy]))

capture_pid=""
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}" $capture_pid; do kill "$pid" 2>/dev/null || true; done
  if [[ $KEEP_WORK_DIR == 1 ]]; then log "SIPp logs kept in $WORK_DIR"; else rm -rf "$WORK_DIR"; fi
}
trap cleanup EXIT
KEEP_WORK_DIR=0
log() { printf '[make-capture] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; KEEP_WORK_DIR=1; exit 1; }

# sipp_bg ROLE KIND ARGS... — one SIPp in the background, statistics in WORK_DIR/KIND-ROLE.
sipp_bg() {
  local role=$1 kind=$2
  shift 2
  local dir="$WORK_DIR/$kind-$role"
  mkdir -p "$dir"
  (cd "$dir" && exec sipp -nostdin -trace_stat -stf "$dir/stat.csv" -fd 10 -trace_err \
    -buff_size 4194304 -max_recv_loops 5000 -max_sched_loops 5000 "$@" >"$dir/stdout.log" 2>&1) &
  pids+=($!)
}

stat_value() { # KIND ROLE COLUMN — cumulative counter from SIPp's last statistics line
  awk -F';' -v col="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i }
    END { print $c + 0 }' "$WORK_DIR/$1-$2/stat.csv"
}

wait_listening() { # PORT
  local i
  for i in $(seq 100); do
    [[ -n "$(ss -Huln "sport = :$1")" ]] && return 0
    sleep 0.05
  done
  die "nothing listening on udp/$1"
}

# ---------------------------------------------------------------- capture
filter="udp portrange 5210-5215"
rm -f "$OUT"
dumpcap -q -P -i lo -B 512 -f "$filter" -w "$OUT" 2>"$WORK_DIR/dumpcap.err" &
capture_pid=$!
for _ in $(seq 100); do grep -q '^File:' "$WORK_DIR/dumpcap.err" && break; sleep 0.05; done
grep -q '^File:' "$WORK_DIR/dumpcap.err" || die "dumpcap did not start: $(cat "$WORK_DIR/dumpcap.err")"
sleep 0.3

# ---------------------------------------------------------------- calls
started=$(date +%s.%N)
for kind in "${KINDS[@]}"; do
  sipp_bg uas "$kind" -sf "$SCENARIOS/${UAS[$kind]}" -i 127.0.0.1 -p "${PORT[$kind]}" -m "${COUNT[$kind]}"
done
for kind in "${KINDS[@]}"; do wait_listening "${PORT[$kind]}"; done
for kind in "${KINDS[@]}"; do
  rate=$(awk -v r="$RATE" -v s="${SHARE[$kind]}" 'BEGIN { printf "%.2f", r * s / 100 }')
  sipp_bg uac "$kind" -sf "$SCENARIOS/${UAC[$kind]}" -i 127.0.0.1 -p $((PORT[$kind] + 1)) \
    -m "${COUNT[$kind]}" -r "$rate" -d "${DELAY_MS[$kind]}" -cid_str "bench-$kind-%u@sipscope.test" \
    "127.0.0.1:${PORT[$kind]}"
done
log "placing $CALLS calls at $RATE calls/s: answered ${COUNT[answered]}, busy ${COUNT[busy]}, cancelled ${COUNT[cancelled]}"
for pid in "${pids[@]}"; do wait "$pid" || true; done
pids=()
elapsed=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')

sleep 0.5
kill -INT "$capture_pid"
wait "$capture_pid" || true
capture_pid=""
read -r captured dropped < <(sed -n 's/.*received\/dropped on interface.*: \([0-9]*\)\/\([0-9]*\) .*/\1 \2/p' "$WORK_DIR/dumpcap.err")
chmod 644 "$OUT"

# ---------------------------------------------------------------- SIPp's counts
messages=0
failed_total=0
retrans_total=0
declare -A OK FAILED
for kind in "${KINDS[@]}"; do
  OK[$kind]=$(stat_value "$kind" uac 'SuccessfulCall(C)')
  FAILED[$kind]=$(( $(stat_value "$kind" uac 'FailedCall(C)') + $(stat_value "$kind" uas 'FailedCall(C)') ))
  retrans=$(( $(stat_value "$kind" uac 'Retransmissions(C)') + $(stat_value "$kind" uas 'Retransmissions(C)') ))
  messages=$((messages + OK[$kind] * MESSAGES_PER_CALL[$kind] + retrans))
  failed_total=$((failed_total + FAILED[$kind]))
  retrans_total=$((retrans_total + retrans))
  log "$kind: SIPp successful=${OK[$kind]} failed=${FAILED[$kind]} (caller+callee) retransmissions=$retrans"
done
log "SIP messages: $messages; dumpcap captured $captured packets, dropped $dropped; $elapsed s"

cat >"$OUT.expected.json" <<EOF
{
  "answered": ${OK[answered]},
  "busy": ${OK[busy]},
  "cancelled": ${OK[cancelled]},
  "messages": $messages,
  "calls": $CALLS,
  "failed": $failed_total,
  "retransmissions": $retrans_total,
  "rate_cps": $RATE,
  "seconds": $elapsed,
  "dumpcap": { "packets": ${captured:-0}, "dropped": ${dropped:-0} },
  "call_id_patterns": ["bench-answered-N@sipscope.test", "bench-busy-N@sipscope.test", "bench-cancelled-N@sipscope.test"],
  "notes": "counts are SIPp's successful calls per kind; messages = 7 per answered call (INVITE 100 180 200 ACK BYE 200) + 4 per busy call (INVITE 100 486 ACK) + 7 per cancelled call (INVITE 100 180 CANCEL 200 487 ACK) + the retransmissions SIPp reports; every message is one UDP datagram on 127.0.0.1"
}
EOF
log "wrote $OUT ($(stat -c %s "$OUT") bytes) and $OUT.expected.json"

[[ ${dropped:-0} == 0 ]] || die "dumpcap dropped $dropped packets: the capture is incomplete"
[[ $failed_total == 0 ]] || die "$failed_total calls failed: lower --rate"

if [[ $VERIFY == 1 ]]; then
  counted=$(tshark -n -r "$OUT" -Y sip -T fields -e frame.number 2>/dev/null | wc -l)
  log "tshark counts $counted SIP messages"
  [[ $counted == "$messages" ]] || die "tshark counts $counted SIP messages, SIPp's statistics say $messages"
fi
