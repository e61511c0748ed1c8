#!/bin/sh
# gen-hostile-template.sh - write a template whose values cost far more
# memory than its text, for the memory bound (tests/cli/memory.sh and the
# large-input part of bench/run.sh):
#
#   join   Fn::Join of N short strings (default 1,000,000: a 5 MB template;
#          rampart 0.x took 422 MB on it)
#   list   a property holding a flow list of N one-letter items (2 bytes each)
#   map    one mapping entry of N items copied by N/1000 Fn::FindInMap calls
#
#   bench/gen-hostile-template.sh KIND OUT [N]
set -eu
kind=${1:?usage: gen-hostile-template.sh join|list|map OUT [N]}
out=${2:?usage: gen-hostile-template.sh join|list|map OUT [N]}
n=${3:-1000000}
head='AWSTemplateFormatVersion: "2010-09-09"'
case $kind in
join)
	awk -v n="$n" -v head="$head" 'BEGIN {
		printf "%s\nResources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Join [\",\", [", head
		for (i = 0; i < n; i++) printf "%si%03d", (i ? "," : ""), i % 1000
		printf "]]\n" }' >"$out" ;;
list)
	awk -v n="$n" -v head="$head" 'BEGIN {
		printf "%s\nResources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      Tags: [", head
		for (i = 0; i < n; i++) printf "%sa", (i ? "," : "")
		printf "]\n" }' >"$out" ;;
map)
	awk -v n="$n" -v head="$head" 'BEGIN {
		printf "%s\nMappings:\n  M:\n    K:\n      V: [", head
		for (i = 0; i < n; i++) printf "%sabcd", (i ? "," : "")
		printf "]\nResources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      L:\n"
		for (i = 0; i < n / 1000; i++) printf "        - !FindInMap [M, K, V]\n" }' >"$out" ;;
*)
	echo "gen-hostile-template.sh: unknown kind $kind" >&2; exit 2 ;;
esac
