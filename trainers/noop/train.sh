#!/bin/sh
# No-op trainer for orchestration benchmarks: sleeps NOOP_SECONDS (default 1), then reports a
# result. Speaks the trainer protocol; the input file (last argument) is ignored.
sleep "${NOOP_SECONDS:-1}"
echo '{"type":"result","values":{"val_acc":0.5}}'
