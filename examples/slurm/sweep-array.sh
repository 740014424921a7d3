#!/usr/bin/env bash
# One shard of a truce sweep per Slurm array task. Submit it with ./submit.sh (which also
# queues the merge), or alone with:  sbatch --array=0-15 sweep-array.sh
#
# Shards are numbered from 0, like SLURM_ARRAY_TASK_ID, so --array=0-(N-1) runs shards
# 0/N ... N-1/N. Every shard must run the same command (same specification, runs and seed);
# `truce merge` checks it from the shards' manifests. --resume makes a requeued or preempted
# task continue where its last checkpoint left it instead of starting again.
#
#SBATCH --job-name=truce-sweep
#SBATCH --array=0-15
#SBATCH --cpus-per-task=8
#SBATCH --mem=2G
#SBATCH --time=02:00:00
#SBATCH --requeue
#SBATCH --output=logs/%x-%A_%a.out
set -euo pipefail

TRUCE=${TRUCE:-truce}                              # the truce binary (e.g. target/release/truce)
SPEC=${SPEC:-scenarios/us-28-point.sweep.toml}     # run from the directory holding it
SHARDS=${SHARDS:-16}                               # must equal the size of --array
OUT=${OUT:-shards/sweep}

"$TRUCE" sweep "$SPEC" \
    --shard "${SLURM_ARRAY_TASK_ID}/${SHARDS}" \
    --threads "${SLURM_CPUS_PER_TASK:-1}" \
    --out "${OUT}-${SLURM_ARRAY_TASK_ID}" \
    --resume --quiet
