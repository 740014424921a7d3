#!/usr/bin/env bash
# Joins the shards of sweep-array.sh into one result directory, byte-identical to a
# one-machine `truce sweep`. Queued by submit.sh to start once every array task succeeded.
#
#SBATCH --job-name=truce-merge
#SBATCH --cpus-per-task=1
#SBATCH --mem=1G
#SBATCH --time=00:20:00
#SBATCH --output=logs/%x-%j.out
set -euo pipefail

TRUCE=${TRUCE:-truce}
OUT=${OUT:-shards/sweep}
RESULT=${RESULT:-results/sweep}

# The order of the directories does not matter: merge orders the shards by their manifests,
# and refuses a missing or repeated shard, an unfinished one, or shards of different commands.
"$TRUCE" merge "${OUT}"-* --out "$RESULT"
