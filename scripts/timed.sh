#!/usr/bin/env bash
# scripts/timed.sh FILE NAME COMMAND…: runs COMMAND, appends "NAME SECONDS" to FILE and
# exits as COMMAND did (`make test` times its steps with it).
file=$1 name=$2
shift 2
start=$SECONDS
"$@"
rc=$?
echo "$name $((SECONDS - start))" >>"$file"
exit $rc
