#!/usr/bin/env bash
# ctest BashCompletion (issue 24 item 1): deploy/bash-completion/puente completes the commands,
# subcommands and options of the puente it is given, read from its --help.
#   tests/install/bash_completion.sh PUENTE_PROGRAM
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
puente=$1
source "$root/deploy/bash-completion/puente"
complete_line() {  # the words typed, the last one being completed -> what TAB offers
  COMP_WORDS=("$puente" "$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  _puente
  echo "${COMPREPLY[*]}"
}
expect() {  # $1: what TAB must offer, the rest: the words
  local want=$1 got
  shift
  got=$(complete_line "$@")
  [[ $got == "$want" ]] || { echo "FAIL: puente $* <TAB> offered '$got', not '$want'"; exit 1; }
  echo "ok: puente $* <TAB> -> $got"
}
expect "token" to
expect "new list revoke hash" token ""
expect "keygen" push k
expect "--for" token new --f
expect "--version" --v
expect "status" --json sms ""
