#!/usr/bin/env bash
# Submits the sweep as a job array of SHARDS shards and the merge as a job that waits for it.
#   SHARDS=32 SPEC=scenarios/us-28-point.sweep.toml TRUCE=$PWD/target/release/truce \
#       examples/slurm/submit.sh
set -euo pipefail
here=$(dirname "$0")
SHARDS=${SHARDS:-16}
export SHARDS
mkdir -p logs
array=$(sbatch --parsable --export=ALL --array="0-$((SHARDS - 1))" "$here/sweep-array.sh")
sbatch --export=ALL --dependency="afterok:${array}" "$here/merge.sh"
